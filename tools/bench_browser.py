"""`python -m assist bench browser` (or `python -m tools.bench_browser`): the agent's screen timed in a real
Chromium (Debian's, driven by playwright) against the app as `make run` starts it, on a fresh demo workspace.

    first_open_ms           the first ticket opened after the server said it is ready (cold page)
    click_to_draft_p50/p95  from the click on a row of the inbox list to the reply box showing the draft
    send_p95_ms             from the click on Send to the confirmation
    n                       tickets opened (each from the list, as an agent works)
    metrics_first_open_ms   a lead's first click on Metrics to the KPIs and the open tab's charts drawn (the server's
                            first Metrics page; the dashboard draws one tab at a time)
    metrics_tab_ms          from a click on the Workload tab to its four charts drawn
    metrics_date_change_ms  a new start date typed into "Created between" (its month, one later): from leaving the
                            field, when Streamlit takes the range, to the KPIs and the open tab drawn again
    metrics_filter_change_ms  from a new filter (category Billing) to the open tab drawn again (a filter not seen
                            before)

Prints one JSON line. The browser is 1440×900, the list shows 10 tickets a page (no inner scrolling, so a
row is one click away) and the agent pages through "All open".
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from assist.dev.browser import ARGS, CHROMIUM, HEADER_PX, ROW_PX, prepare_demo, serve, settle, sign_in
from assist.dev.workspace import free_port, offline_env

PAGE = 10
THINK_MS = 1000  # an agent reads the list before clicking; the click is not timed against the list's drawing


def _settle(page: Any, *, pause_ms: int = 300) -> None:
    settle(page, before_ms=0, after_ms=pause_ms)


def run(*, tickets: int = 24, **_options: Any) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        env = offline_env(Path(tmp), DEMO_MODE="true", PAGE_SIZE=str(PAGE))
        prepare_demo(env)
        with serve(env, free_port()) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = _tab(browser, url)
            agent = _agent(page, tickets)
            page.context.close()  # the lead works on her own machine, not beside the agent's tab
            metrics = _metrics(_tab(browser, url))
            browser.close()
    return {**agent, **metrics}


def _tab(browser: Any, url: str) -> Any:
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    return page


def _agent(page: Any, tickets: int) -> dict[str, Any]:
    """An agent opens `tickets` tickets from the list, page after page, and sends each drafted reply."""
    from assist.dev.bench.timing import percentile

    sign_in(page, "maya.lee@lumen.app", "lumen-demo-agent")
    opens, sends, misses = [], [], 0
    for n in range(tickets):
        if n and n % PAGE == 0:
            field = page.get_by_test_id("stNumberInputField")  # the next page of the list
            field.fill(str(n // PAGE + 1))
            field.press("Enter")
            _settle(page)
            page.wait_for_timeout(700)  # the list of the new page is drawn
        elapsed, missed = _open_row(page, n % PAGE)
        opens.append(elapsed)
        misses += missed
        editor = page.get_by_role("textbox", name="Reply to the customer")
        if editor.count() and editor.input_value().strip():
            sends.append(_send(page))
        page.get_by_role("button").filter(has=page.get_by_text("List", exact=True)).click()
        _settle(page)
    return {
        "first_open_ms": round(opens[0]),
        "click_to_draft_p50_ms": round(percentile(opens[1:], 50)),
        "click_to_draft_p95_ms": round(percentile(opens[1:], 95)),
        "send_p95_ms": round(percentile(sends, 95)),
        "sends": len(sends),
        "missed_clicks": misses,
        "n": len(opens),
    }


def _metrics(page: Any) -> dict[str, int]:
    """A lead opens Metrics for the first time, opens a second tab, then filters it to one category."""
    sign_in(page, "rachel.kim@lumen.app", "lumen-demo-lead")
    page.wait_for_timeout(THINK_MS)
    first = _timed(lambda: page.get_by_role("link", name="Metrics").click(), page, charts=2)
    tab = _timed(lambda: page.get_by_role("tab", name="Workload").click(), page, charts=4)
    month = page.get_by_role("spinbutton", name="month, Created between start date")
    month.click()
    month.type(f"{int(month.get_attribute('aria-valuenow') or 0) % 12 + 1:02d}")
    dated = _timed(_new_figures(page, lambda: page.get_by_role("heading", name="Metrics").click()), page, charts=4)
    page.get_by_role("combobox", name="Category").click()
    change = _timed(_new_figures(page, page.get_by_role("option", name="Billing").click), page, charts=4)
    return {
        "metrics_first_open_ms": first,
        "metrics_tab_ms": tab,
        "metrics_date_change_ms": dated,
        "metrics_filter_change_ms": change,
    }


def _new_figures(page: Any, action: Any) -> Any:
    """`action`, then wait until the ticket count differs from before (the dashboard was read again)."""
    tickets = "[data-testid=stMetric]:first-of-type [data-testid=stMetricValue]"
    before = page.locator(tickets).first.inner_text()

    def act() -> None:
        action()
        page.wait_for_function(
            "([selector, before]) => document.querySelector(selector)?.innerText !== before", arg=[tickets, before]
        )

    return act


def _timed(action: Any, page: Any, *, charts: int) -> int:
    """Milliseconds from `action` to `charts` plotly charts drawn and the rerun finished."""
    started = time.perf_counter()
    action()
    page.locator(".js-plotly-plot").nth(charts - 1).wait_for()
    _settle(page, pause_ms=0)
    return round((time.perf_counter() - started) * 1000)


def _open_row(page: Any, row: int) -> tuple[float, bool]:
    """Milliseconds from the click on the row to the draft, and whether the click had to be repeated
    (reported as `missed_clicks`: a click the screen ignored is a defect a person would feel)."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    page.wait_for_timeout(THINK_MS)
    drafted = page.locator("textarea[aria-label='Reply to the customer'], [data-testid=stAlert]:has-text('read-only')")
    started = time.perf_counter()
    grid.click(position={"x": 200, "y": HEADER_PX + ROW_PX * row + ROW_PX // 2})
    missed = False
    try:
        drafted.first.wait_for(timeout=10_000)
    except Exception:
        missed = True
        grid.click(position={"x": 200, "y": HEADER_PX + ROW_PX * row + ROW_PX // 2})
        drafted.first.wait_for()
    elapsed = (time.perf_counter() - started) * 1000
    _settle(page)
    return elapsed, missed


def _send(page: Any) -> float:
    started = time.perf_counter()
    page.get_by_role("button").filter(has=page.get_by_text("Send", exact=True)).click()
    page.get_by_text("Reply sent").first.wait_for()
    elapsed = (time.perf_counter() - started) * 1000
    _settle(page)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=24)
    print(json.dumps(run(tickets=parser.parse_args().tickets)))


if __name__ == "__main__":
    main()
