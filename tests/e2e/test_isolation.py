"""The browser tests' isolation, through the running app: what one test changes, the next does not see."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from assist.dev.browser import open_ticket, sign_in
from assist.store.db import session_scope
from assist.store.models import TicketRow
from tests.e2e.conftest import Workspace, open_tab, put_back

pytestmark = pytest.mark.e2e


def _rename(workspace: Workspace, ticket_id: int, subject: str) -> None:
    with session_scope(workspace.engine) as s:
        s.get_one(TicketRow, ticket_id).subject = subject


def test_a_workspace_put_back_under_the_running_app_is_what_the_next_tab_sees(
    browser: Browser, base_url: str, workspace: Workspace, workspace_env: dict[str, str]
) -> None:
    ticket_id = workspace.newest_ticket("dark theme")
    _rename(workspace, ticket_id, "Left behind by another test")
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
