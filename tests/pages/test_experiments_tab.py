"""Issue 38 on the Metrics page: an admin starts and stops a holdout; a lead reads the comparison but cannot start
one; the comparison shows both arms and no verdict while the data does not support one."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist.arrival import Arrival
from assist.domain import Channel, User
from assist.intake import take_in
from assist.store import session_scope
from tests.factories import make_actor
from tests.pages.conftest import ROOT, plain, signed_in


def _tab(user: User) -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "metrics.py"), default_timeout=120), user)
    at.query_params["m_tab"] = "Experiments"
    return at.run()


def _texts(at: AppTest) -> str:
    return "\n".join(plain(str(e.value)) for e in [*at.markdown, *at.caption, *at.info, *at.success, *at.error])


def test_an_admin_starts_and_stops_a_holdout_and_a_lead_reads_the_comparison(admin: User, database: Engine) -> None:
    at = _tab(admin)
    assert not at.exception
    assert "No experiment has run yet" in _texts(at)
    at.number_input(key="m_experiment_percent").set_value(100)
    at.button(key="FormSubmitter:m_experiment_start-Start an experiment").click().run()
    assert "Started: 100 % of the tickets that arrive from now on get no draft and no articles." in _texts(at)
    assert "100 % held out" in _texts(at)
    for n in range(3):
        take_in(
            database,
            Arrival(channel=Channel.EMAIL, customer_email=f"c{n}@example.com", body=f"Where is my invoice {n}?"),
            actor="intake:test",
            max_chars=5000,
        )
    with session_scope(database) as session:
        lead = make_actor(session, "lead")
    st.cache_data.clear()  # the dashboard's cache (METRICS_CACHE_SECONDS) has run out
    seen = _tab(lead)
    assert not seen.exception
    assert not [b for b in seen.button if b.key and b.key.startswith("m_experiment")]  # no start, no stop
    text = _texts(seen)
    assert "Admins start and stop experiments." in text
    assert "0 assisted and 3 held-out tickets" in text and "No verdict yet" in text
    escalation = seen.dataframe[0].value.set_index("Measure").loc["Escalation rate"]
    assert (escalation["Held out"], escalation["Assisted"], escalation["95 % interval"]) == (
        "0.0 % (n=3)",
        "— (n=0)",
        "—",
    )
    at.button(key="m_experiment_stop").click().run()
    assert "Stopped. Its tickets keep their arms for the comparison." in _texts(at)
    assert at.number_input(key="m_experiment_percent").value == 10  # the form is back for the next one
