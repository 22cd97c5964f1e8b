"""The browser tests' isolation, through the running app: what one test changes, the next does not see."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from assist.dev.browser import open_ticket, sign_in
from tests.e2e.conftest import newest_ticket, open_tab, put_back, query

pytestmark = pytest.mark.e2e


def _rename(env: dict[str, str], ticket_id: int, subject: str) -> None:
    query(
        env,
        "from assist.config import Settings\nfrom assist.factories import build_engine\n"
        "from assist.store.db import session_scope\nfrom assist.store.models import TicketRow\n"
        "with session_scope(build_engine(Settings())) as s:\n"
        f"    s.get_one(TicketRow, {ticket_id}).subject = {subject!r}\n",
    )


def test_a_workspace_put_back_under_the_running_app_is_what_the_next_tab_sees(
    browser: Browser, base_url: str, workspace_env: dict[str, str]
) -> None:
    ticket_id = newest_ticket(workspace_env, "dark theme")
    _rename(workspace_env, ticket_id, "Left behind by another test")
    with open_tab(browser, base_url, width=1440, height=900) as tab:
        sign_in(tab, "maya.lee@lumen.app", "lumen-demo-agent")
        open_ticket(tab, ticket_id)
        assert tab.get_by_text("Left behind by another test").count() >= 1

    put_back(workspace_env)

    with open_tab(browser, base_url, width=1440, height=900) as tab:
        sign_in(tab, "maya.lee@lumen.app", "lumen-demo-agent")
        open_ticket(tab, ticket_id)
        assert tab.get_by_text("Dark theme?").count() >= 1
        assert tab.get_by_text("Left behind by another test").count() == 0
