"""Issue 38 in a real browser: an admin starts a holdout on the Metrics page, and a ticket that arrives while it
runs opens for its agent with no draft and no articles."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from assist.dev.browser import button, open_ticket, settle, sign_in
from tests.e2e.conftest import Workspace, open_tab, shot

pytestmark = pytest.mark.e2e


def test_a_ticket_arriving_during_a_holdout_opens_without_draft_or_articles(
    page: Page, browser: Browser, base_url: str, workspace: Workspace
) -> None:
    sign_in(page, "admin@lumen.app", "lumen-demo-admin")
    page.get_by_role("link", name="Metrics").click()
    page.get_by_role("tab", name="Experiments").click()
    share = page.get_by_role("spinbutton", name="Hold out this share of new tickets (%)")
    share.fill("100")
    share.press("Enter")  # the form submits on Enter, as a keyboard user would
    page.get_by_text("of the tickets that arrive from now on get no draft and no articles").wait_for()
    assert page.get_by_text("100 % held out").count() >= 1
    shot(page, "admin-experiment-started")
    ticket_id = workspace.arrive(
        email="holdout@e2e.example",
        subject="Refund for a double charge",
        body="I was charged twice this month. How do I get a refund?",
    )
    with open_tab(browser, base_url, width=1440, height=900) as agent:
        sign_in(agent, "maya.lee@lumen.app", "lumen-demo-agent")
        open_ticket(agent, ticket_id)
        agent.get_by_text("it is in the holdout of an experiment").wait_for()
        settle(agent)
        assert agent.get_by_role("textbox", name="Reply to the customer").input_value() == ""
        assert agent.get_by_text("Knowledge base (").count() == 0
        assert agent.get_by_text("Similar resolved tickets").count() == 0
        for badge in ("Likely sent as is", "Check the quoted sentence", "Check before sending"):
            assert agent.get_by_text(badge).count() == 0
        shot(agent, "agent-held-out-ticket")
    button(page, "Stop the experiment").click()
    page.get_by_text("Its tickets keep their arms for the comparison").wait_for()
