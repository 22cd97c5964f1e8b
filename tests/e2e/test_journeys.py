"""The four journeys, in a real browser: agent, lead, admin, customer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from assist.csat import issue_token
from assist.dev.browser import button, open_ticket, settle, sign_in
from tests.e2e.conftest import Workspace, shot

pytestmark = pytest.mark.e2e


def test_agent_reads_a_frustrated_ticket_edits_the_draft_and_sends(page: Page, workspace: Workspace) -> None:
    ticket_id = workspace.newest_ticket("third time")
    sign_in(page, "maya.lee@lumen.app", "lumen-demo-agent")
    open_ticket(page, ticket_id)
    assert page.get_by_text("Frustration").first.is_visible()
    assert page.get_by_text("Suggest escalating").is_visible()
    shot(page, "agent-1-ticket")
    assert page.get_by_text("Warming up").count() == 0  # the server said "ready" after loading the models
    editor = page.get_by_role("textbox", name="Reply to the customer")
    editor.fill(editor.input_value() + "\nI'll keep an eye on this personally.")
    settle(page)
    button(page, "Send").click()
    page.get_by_text("Reply sent with your edits").wait_for()
    settle(page)
    assert page.get_by_text("Awaiting customer").first.is_visible()
    # Defect: the editor refilled with the machine draft, and one more click sent it as a second reply.
    editor = page.get_by_role("textbox", name="Reply to the customer")
    assert editor.input_value() == ""
    assert page.get_by_text("You replied last").is_visible()
    button(page, "Send").click()
    page.get_by_text("The message is empty").wait_for()
    settle(page)
    shot(page, "agent-2-sent")
    assert len(workspace.messages(ticket_id, "agent")) == 1


def test_a_returning_customer_with_a_new_question_is_not_greeted_as_a_repeat_and_links_go_before_the_sign_off(
    page: Page, workspace: Workspace
) -> None:
    """README walkthrough 3: Diego's earlier ticket (a disabled webhook endpoint) is in his history, but today's
    question (signatures that never match) is another issue: the draft answers it without "you've contacted us
    before"."""
    sign_in(page, "maya.lee@lumen.app", "lumen-demo-agent")
    open_ticket(page, workspace.newest_ticket("Lumen-Signature"))
    editor = page.get_by_role("textbox", name="Reply to the customer")
    assert "Lumen-Signature" in editor.input_value() or "raw" in editor.input_value()
    assert "contacted us about this before" not in editor.input_value()
    page.get_by_role("combobox", name="Article to link").click()
    page.get_by_role("option").nth(1).click()
    settle(page)
    button(page, "Link").click()
    settle(page)
    lines = editor.input_value().splitlines()
    links = [n for n, line in enumerate(lines) if line.startswith("You can read more in our help article")]
    assert len(links) == 2 and all("https://help.lumen.app/articles/" in lines[n] for n in links)
    assert max(links) < lines.index("Best regards,")
    shot(page, "agent-3-returning-customer")


def test_a_resolved_ticket_is_read_only_until_reopened(page: Page, workspace: Workspace) -> None:
    """Defect: resolved tickets showed a full editor with live Send buttons."""
    ticket_id = workspace.newest_resolved()
    sign_in(page, "maya.lee@lumen.app", "lumen-demo-agent")
    open_ticket(page, ticket_id)
    page.get_by_text("This ticket is resolved, so it is read-only").wait_for()
    assert button(page, "Send").count() == 0
    page.get_by_test_id("stMainBlockContainer").get_by_role("button").filter(
        has=page.get_by_text("Reopen", exact=True)
    ).click()
    button(page, "Send").wait_for()


def test_lead_takes_over_from_the_queue_and_sees_the_dashboard(page: Page, workspace: Workspace) -> None:
    workspace.first_escalation_unowned()
    sign_in(page, "rachel.kim@lumen.app", "lumen-demo-lead")
    page.get_by_role("link", name="Escalations").click()
    page.get_by_role("button", name="Take over and reply").wait_for()
    settle(page)
    assert page.get_by_text("No handoff package was stored").count() == 0  # seeded escalations carry one
    shot(page, "lead-1-queue")
    page.get_by_role("button", name="Take over and reply").click()
    page.get_by_role("textbox", name="Reply to the customer").wait_for()
    settle(page)
    assert page.get_by_text("Rachel Kim").first.is_visible()
    assert page.get_by_text("Suggest escalating").count() == 0  # she owns the escalation now
    shot(page, "lead-2-took-over")
    page.get_by_role("link", name="Metrics").click()
    page.get_by_text("CSAT trend").wait_for()
    # The chart titles come before the charts: wait for the charts themselves (they were read too early once).
    page.locator(".js-plotly-plot").nth(1).wait_for()
    settle(page)
    assert page.locator(".js-plotly-plot").count() == 2  # the open tab's charts only
    shot(page, "lead-3-metrics")
    page.get_by_role("tab", name="Workload").click()
    page.locator(".js-plotly-plot").nth(3).wait_for()
    settle(page)
    assert "m_tab=Workload" in page.url
    page.reload()  # the open tab is in the address: a reload comes back to it
    page.get_by_text("Sentiment mix").wait_for()
    page.locator(".js-plotly-plot").nth(3).wait_for()
    settle(page)
    assert page.get_by_text("CSAT trend").count() == 0
    # Defect: every value of the escalation-queue filter crashed with a traceback.
    page.get_by_role("combobox", name="Escalation queue").click()
    page.get_by_role("option", name="Tier 2").click()
    settle(page)
    page.locator("[data-testid=stMetric]", has_text="Tickets").first.wait_for()
    assert page.get_by_text("Traceback").count() == 0 and page.get_by_text("InvalidRequestError").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0


def test_admin_uploads_an_article_that_becomes_searchable_and_matches_a_ticket(
    page: Page, workspace: Workspace, tmp_path_factory: pytest.TempPathFactory
) -> None:
    article = tmp_path_factory.mktemp("upload") / "dark-mode.md"
    article.write_text(
        "---\nid: dark-mode\ntitle: Use dark mode\ncategory: general\nproduct: web\n"
        "updated: 2026-11-01\n---\n# Use dark mode\n\n## Turn it on\n"
        "1. Open Profile → Appearance.\n2. Choose Dark, or System to follow your computer.\n\n"
        "Dark mode is available on every plan, in the web app and the mobile apps.\n"
    )
    sign_in(page, "admin@lumen.app", "lumen-demo-admin")
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("heading", name="Upload articles").wait_for()
    settle(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(str(article))
    page.get_by_text("dark-mode.md").first.wait_for()  # the upload finished
    settle(page)
    page.get_by_role("button", name="Ingest", exact=True).click()
    page.get_by_text("Indexed 1 article(s): 1 new").wait_for()
    page.get_by_role("textbox", name="A customer question").fill("is there a dark theme")
    # Scoped to the search form: the dataframe toolbar also has a button named "Search".
    page.get_by_test_id("stForm").filter(has_text="A customer question").get_by_role(
        "button", name="Search", exact=True
    ).click()
    page.get_by_text("1. Use dark mode").wait_for()
    shot(page, "admin-1-searchable")
    # Its assistance was prepared before the article existed: opening it now retrieves again.
    open_ticket(page, workspace.newest_ticket("dark theme"))
    page.get_by_text("[1] Use dark mode").wait_for()
    shot(page, "admin-2-ticket-matches")


def test_customer_rates_through_the_survey_link_and_the_dashboard_changes(
    page: Page, base_url: str, workspace: Workspace
) -> None:
    def csat() -> str:
        page.get_by_role("link", name="Metrics").click()
        page.get_by_text("CSAT trend").wait_for()
        settle(page)
        return page.locator("[data-testid=stMetric]", has_text="CSAT").first.inner_text()

    sign_in(page, "rachel.kim@lumen.app", "lumen-demo-lead")
    before = csat()
    token = issue_token(workspace.engine, ticket_id=workspace.newest_resolved(), settings=workspace.settings)
    customer = page.context.browser.new_page()  # type: ignore[union-attr]
    customer.goto(f"{base_url}/survey?t={token}")
    customer.get_by_text("How did we do?").wait_for(timeout=120_000)
    customer.get_by_text("★", exact=True).click()
    customer.get_by_role("button", name="Send rating").click()
    customer.get_by_text("Thank you").wait_for(timeout=60_000)
    shot(customer, "customer-1-rated")
    customer.close()
    after = csat()
    assert after != before, (before, after)
    shot(page, "customer-2-dashboard")


def test_hostile_markdown_in_tickets_and_articles_renders_as_text_and_fetches_nothing(
    page: Page, workspace: Workspace, workspace_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Security probe finding 10: bare URLs, www. addresses and emails became links, :material/...: became an
    icon, and an image in an article title, an import error or the full article made the browser fetch it."""
    import http.server
    import subprocess
    import sys
    import threading

    from assist.dev.browser import ROOT
    from assist.dev.workspace import free_port

    hits: list[str] = []

    class Beacon(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return None

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Beacon)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    beacon = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("hostile")
    body = (
        f"Beacon test ![m]({beacon}/md.png) <img src='{beacon}/html.png'> {beacon}/bare "
        "www.evil.example and bob@evil.example :material/inbox: webhook beacon signature"
    )
    (folder / "t.csv").write_text(
        f'external_id,subject,body,customer_email\nHOSTILE-1,Beacon ticket,"{body}",eve@x.example\n'
    )
    subprocess.run(
        [sys.executable, "-m", "assist", "tickets", "import", str(folder / "t.csv")],
        cwd=ROOT,
        env=workspace_env,
        check=True,
        capture_output=True,
    )
    article = folder / "beacon.md"
    article.write_text(
        f'---\nid: beacon-webhook\ntitle: "Webhook beacon ![t]({beacon}/title.png)"\ncategory: technical\n---\n'
        f"# Webhook beacon signature\n\nWebhook beacon signature help ![b]({beacon}/body.png) see {beacon}/x.\n"
    )
    sign_in(page, "admin@lumen.app", "lumen-demo-admin")
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("heading", name="Upload articles").wait_for()
    settle(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(str(article))
    page.get_by_text("beacon.md").first.wait_for()
    settle(page)
    page.get_by_role("button", name="Ingest", exact=True).click()
    page.get_by_text("Indexed 1 article").wait_for()
    open_ticket(page, workspace.newest_ticket("Beacon test"))
    page.get_by_text("Webhook beacon", exact=False).first.wait_for()
    page.get_by_text("Full article").first.click()
    settle(page)
    main = page.get_by_test_id("stMainBlockContainer")
    assert main.locator(f"a[href*='127.0.0.1:{port}'], a[href*='evil.example'], a[href^='mailto:']").count() == 0
    assert main.locator("img[src*='127.0.0.1']").count() == 0
    assert main.locator("[aria-label='inbox icon']").count() == 0
    page.wait_for_timeout(1000)
    server.shutdown()
    assert hits == [], hits
