"""Issue 34, item 2, in a real browser: a reload (F5) keeps the agent signed in and keeps what they typed,
even keystrokes Streamlit had not been handed yet (a text area sends its value only on blur); signing out
ends it for good."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page

from assist.dev.browser import button, open_ticket, settle, sign_in
from tests.e2e.conftest import Workspace, shot

pytestmark = pytest.mark.e2e

TYPED = "Typed just before the reload, never blurred."


def test_a_reload_keeps_the_agent_signed_in_and_the_reply_they_were_typing(page: Page, workspace: Workspace) -> None:
    ticket_id = workspace.newest_ticket("dark theme")
    sign_in(page, "maya.lee@lumen.app", "lumen-demo-agent")
    open_ticket(page, ticket_id)
    editor = page.get_by_role("textbox", name="Reply to the customer")
    editor.click()
    editor.press("Control+End")
    editor.press_sequentially(" " + TYPED, delay=5)
    page.reload()  # F5, with the box still focused: Streamlit never got the text
    page.get_by_text("Signed in as").wait_for()
    page.get_by_text(f"#{ticket_id} ·").first.wait_for()
    # The page script has put the text back and handed it over (a blur): it marks the box when it has. Waiting
    # for a fixed time instead failed on a loaded machine, where the script ran after the page had settled.
    page.locator("textarea[data-handed-over]").wait_for()
    settle(page)
    assert page.get_by_role("textbox", name="Email").count() == 0
    editor = page.get_by_role("textbox", name="Reply to the customer")
    assert editor.input_value().endswith(TYPED)
    shot(page, "reload-1-still-signed-in-with-the-text")
    # The text was handed to the server on the way back: a new tab (its own storage, the same cookie) has it.
    assert reply_box_in_a_new_tab(page, ticket_id, ending=TYPED).endswith(TYPED)


def reply_box_in_a_new_tab(page: Page, ticket_id: int, *, ending: str, within_s: float = 30) -> str:
    """What the reply box holds in a new tab of the same browser: as soon as it ends with `ending` (the
    hand-over is a rerun of the first tab, which a loaded machine may still be running), else as it is after
    `within_s`."""
    deadline = time.monotonic() + within_s
    while True:
        other = page.context.new_page()
        other.set_default_timeout(120_000)
        try:
            other.goto(page.url)
            other.get_by_text("Signed in as").wait_for()
            other.get_by_text(f"#{ticket_id} ·").first.wait_for()
            settle(other)
            text = other.get_by_role("textbox", name="Reply to the customer").input_value()
        finally:
            other.close()
        if text.endswith(ending) or time.monotonic() > deadline:
            return text
        page.wait_for_timeout(1000)


def test_after_signing_out_a_reload_shows_the_sign_in_page(page: Page) -> None:
    sign_in(page, "maya.lee@lumen.app", "lumen-demo-agent")
    page.reload()
    page.get_by_text("Signed in as").wait_for()  # the session survives a reload...
    settle(page)
    button(page, "Sign out").click()
    page.get_by_role("textbox", name="Email").wait_for()
    settle(page)
    page.reload()  # ...and stays ended after signing out
    page.get_by_role("textbox", name="Email").wait_for()
    settle(page)
    assert page.get_by_text("Signed in as").count() == 0
    assert not any(c["name"] == "assist_session" for c in page.context.cookies())
