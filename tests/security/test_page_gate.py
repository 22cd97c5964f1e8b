"""Security probe finding 4: every page passes the start-up gate, whichever URL reaches it, and a signed-in
session is re-checked on every request (finding 1)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist.config import get_settings
from assist.domain import Role
from assist.users import OPERATOR, change_role, create_user, set_user_active
from ui import warmup

ROOT = Path(__file__).parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture(autouse=True)
def app_env(sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    st.cache_resource.clear()
    get_settings.cache_clear()
    warmup.reset()
    yield
    st.cache_resource.clear()
    get_settings.cache_clear()
    warmup.reset()


@pytest.mark.parametrize("script", ["app.py", *PAGES])
def test_no_page_opens_without_secret_key_outside_demo_mode(script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect: `/` refused, but /admin (Streamlit serves pages/ directly) signed in to the full admin page."""
    monkeypatch.setenv("DEMO_MODE", "false")
    get_settings.cache_clear()
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    at.query_params["t"] = "anything"
    at.run()
    assert not at.exception
    assert any("SECRET_KEY is not set" in e.value.replace("\\", "") for e in at.error)
    assert not at.text_input  # no sign-in form, no survey form


def _as(at: AppTest, user: object) -> AppTest:
    at.session_state["user"], at.session_state["last_seen"] = user, time.time()
    return at


def test_a_demoted_lead_loses_the_lead_pages_on_the_next_click(sqlite_engine: Engine) -> None:
    """A role change ends the session (issue 31, finding 1): the next click shows the sign-in page."""
    lead = create_user(
        sqlite_engine, email="lead@lumen.app", name="Lead", role=Role.LEAD, password="p" * 12, actor=OPERATOR
    )
    page = str(ROOT / "pages" / "escalations.py")
    assert not _as(AppTest.from_file(page, default_timeout=60), lead).run().error
    change_role(sqlite_engine, user_id=lead.id, role=Role.AGENT, actor=OPERATOR)
    again = _as(AppTest.from_file(page, default_timeout=60), lead).run()  # the session still holds the lead
    assert not again.dataframe and again.text_input(key="sign_in_email") is not None
    assert any("a new role or a new password" in i.value for i in again.info)


def test_a_disabled_user_is_signed_out_on_the_next_click(sqlite_engine: Engine) -> None:
    agent = create_user(
        sqlite_engine, email="agent@lumen.app", name="Agent", role=Role.AGENT, password="p" * 12, actor=OPERATOR
    )
    set_user_active(sqlite_engine, user_id=agent.id, active=False, actor=OPERATOR)
    at = _as(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), agent).run()
    assert at.session_state["user"] is None if "user" in at.session_state else True
    assert at.text_input(key="sign_in_email") is not None
    assert any("disabled" in i.value for i in at.info)


def test_a_session_ends_after_its_maximum_age_however_busy(sqlite_engine: Engine) -> None:
    """Finding 1: a busy tab never timed out."""
    agent = create_user(
        sqlite_engine, email="busy@lumen.app", name="Busy", role=Role.AGENT, password="p" * 12, actor=OPERATOR
    )
    at = _as(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), agent)
    at.session_state["signed_in_at"] = time.time() - 13 * 3600  # active a second ago, signed in 13 h ago
    at.run()
    assert at.text_input(key="sign_in_email") is not None
    assert any("at most 12 hours" in i.value for i in at.info)
