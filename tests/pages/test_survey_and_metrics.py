"""Resolve a ticket -> survey link -> the customer rates -> the dashboard's CSAT changes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import streamlit as st
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from assist.config import Settings, get_settings
from assist.csat import issue_token
from assist.domain import User
from assist.store import session_scope
from assist.store.models import CsatRow
from assist.ticket_actions import send_reply
from tests.factories import make_actor, make_ticket
from tests.pages.conftest import ROOT, signed_in


def _dashboard(admin: User) -> AppTest:
    return signed_in(AppTest.from_file(str(ROOT / "pages" / "metrics.py"), default_timeout=120), admin).run()


def _csat(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "CSAT")


@pytest.mark.model
def test_survey_flow_changes_the_dashboard(admin: User, workspace: Engine) -> None:
    before = _csat(_dashboard(admin))
    with session_scope(workspace) as session:
        ticket = make_ticket(session, subject="Export stuck")
        agent = make_actor(session)
        ticket_id, version = ticket.id, ticket.version
    sent = send_reply(
        workspace,
        ticket_id=ticket_id,
        expected_version=version,
        text="Fixed, sorry for the wait.",
        draft_id=None,
        actor=agent,
        resolve=True,
        settings=Settings(),
    )
    assert sent.survey_url is not None and urlparse(sent.survey_url).path == "/survey"
    token = parse_qs(urlparse(sent.survey_url).query)["t"][0]

    survey = signed_in(AppTest.from_file(str(ROOT / "pages" / "survey.py"), default_timeout=60), admin)
    survey.query_params["t"] = token
    survey.run()
    assert survey.text[0].value == "Export stuck"
    survey.radio(key="survey_score").set_value(1)
    survey.button(key="survey_submit").click().run()
    assert survey.success[0].value.startswith("Thank you")

    replay = signed_in(AppTest.from_file(str(ROOT / "pages" / "survey.py"), default_timeout=60), admin)
    replay.query_params["t"] = token
    replay.run()
    assert "already have your rating" in replay.info[0].value

    st.cache_data.clear()  # the dashboard caches its figures for a minute
    after = _csat(_dashboard(admin))
    assert after != before  # one more rating of 1 lowers the average


def test_no_rating_is_preselected_and_none_is_recorded_without_a_choice(database: Engine) -> None:
    """Defect (issue 34): the survey preselected 5 stars, so "Send rating" without a choice recorded a 5."""
    with session_scope(database) as session:
        ticket_id = make_ticket(session, subject="Export stuck").id
    token = issue_token(database, ticket_id=ticket_id, settings=get_settings())
    at = AppTest.from_file(str(ROOT / "pages" / "survey.py"), default_timeout=60)
    at.query_params["t"] = token
    at.run()
    assert at.radio(key="survey_score").value is None
    at.button(key="survey_submit").click().run()
    assert not at.exception and not at.success
    assert [i.value for i in at.info] == ["Please choose a rating from 1 to 5 stars, then send it."]
    with session_scope(database) as session:
        assert session.scalars(select(CsatRow)).all() == []
    at.radio(key="survey_score").set_value(3)
    at.button(key="survey_submit").click().run()
    assert at.success[0].value.startswith("Thank you")
    with session_scope(database) as session:
        assert session.scalars(select(CsatRow.score)).all() == [3]


def test_forged_link_gets_a_clear_message(admin: User, workspace: Engine) -> None:
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "survey.py"), default_timeout=60), admin)
    at.query_params["t"] = "forged.token.value"
    at.run()
    assert "not valid" in at.info[0].value


@pytest.mark.model
def test_dashboard_filters_and_exports(admin: User, workspace: Engine) -> None:
    at = _dashboard(admin)
    assert not at.exception
    all_tickets = next(m.value for m in at.metric if m.label == "Tickets")
    at.multiselect(key="m_categories").select("billing").run()
    billing = next(m.value for m in at.metric if m.label == "Tickets")
    assert int(billing.replace(",", "")) < int(all_tickets.replace(",", ""))
    assert not at.exception
    assert _charts(at) == ["CSAT trend", "CSAT by how the reply was written"]


def _charts(at: AppTest) -> list[str]:
    return [m.value.removeprefix("##### ") for m in at.markdown if m.value.startswith("##### ")]


@pytest.mark.model
def test_the_dashboard_draws_only_the_open_tab_and_opens_the_one_in_the_address(admin: User, workspace: Engine) -> None:
    """Issue 34: eight charts drawn at once made the first open take 4-6 s in a browser. The tab in the address
    (a reload, a shared link) is the one drawn."""
    at = _dashboard(admin)
    assert [t.label for t in at.tabs] == [
        "Satisfaction",
        "Workload",
        "Drafts and macros",
        "Agents",
        "Knowledge gaps",
        "Experiments",
    ]
    assert len(at.get("plotly_chart")) == 2
    drafts = signed_in(AppTest.from_file(str(ROOT / "pages" / "metrics.py"), default_timeout=120), admin)
    drafts.query_params["m_tab"] = "Drafts and macros"
    drafts.run()
    assert not drafts.exception
    assert _charts(drafts)[:2] == [
        "Confidence calibration (draft confidence vs sent with light edits)",
        "Assist runs per day (hover: latency and LLM cost)",
    ]
    assert "Macros used" in _charts(drafts)
    for tab, shows in (("Workload", "Sentiment mix"), ("Agents", None), ("Knowledge gaps", None)):
        at = signed_in(AppTest.from_file(str(ROOT / "pages" / "metrics.py"), default_timeout=120), admin)
        at.query_params["m_tab"] = tab
        at.run()
        assert not at.exception, tab
        assert "CSAT trend" not in _charts(at) and (shows is None or shows in _charts(at)), tab
    assert at.slider(key="m_gap_score").value == 0.4  # the knowledge-gaps tab drew its own controls


@pytest.mark.model
def test_the_draft_funnel_adds_up_to_the_drafts_shown_in_every_breakdown(admin: User, workspace: Engine) -> None:
    """Issue 38: every draft shown ends in one stage; accepted is sent as is or lightly edited."""
    from assist.funnel import Stage

    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "metrics.py"), default_timeout=120), admin)
    at.query_params["m_tab"] = "Drafts and macros"
    at.run()
    assert not at.exception
    for by in ("Confidence band", "Category", "Agent shown it", "Draft source"):
        at.selectbox(key="m_funnel_by").set_value(by).run()
        table = next(d.value for d in at.dataframe if "Shown" in d.value.columns)
        overall, groups = table.iloc[0], table.iloc[1:]
        assert overall[""] == "All drafts shown" and overall["Shown"] > 100, by
        assert overall["Shown"] == sum(overall[s.value] for s in Stage) == groups["Shown"].sum(), by
    assert any("**Accepted** means sent as is or with light edits" in c.value for c in at.caption)
