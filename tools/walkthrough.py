"""Walk the three README scenarios in a real browser and save screenshots to docs/screenshots/.

Run: .venv/bin/python tools/walkthrough.py   (needs Debian's chromium and the playwright package)
It starts the app as `make run` does (`python -m ui.serve`) on a free port with a temporary demo workspace;
nothing under ./data is touched.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).parents[1]))
from assist.dev.browser import ARGS, CHROMIUM, open_ticket, prepare_demo, serve, settle, sign_in
from assist.dev.workspace import free_port, offline_env

ROOT = Path(__file__).parents[1]
SHOTS = ROOT / "docs" / "screenshots"


def ticket_ids(env: dict[str, str]) -> dict[str, int]:
    code = (
        "from assist.config import Settings; from assist.factories import build_engine; "
        "from assist.store.db import session_scope; from assist.store.models import TicketRow; "
        "from sqlalchemy import select\n"
        "e = build_engine(Settings())\n"
        "with session_scope(e) as s:\n"
        "    rows = s.scalars(select(TicketRow).order_by(TicketRow.created_at.desc()).limit(6)).all()\n"
        "    for t in rows: print(t.id, '|', t.messages[0].body.replace(chr(10), ' '))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    found = {}
    for line in out.stdout.splitlines():
        ticket_id, body = line.split(" | ", 1)
        for key, phrase in (("simple", "API key"), ("repeat", "third time"), ("returning", "Lumen-Signature")):
            if phrase.lower() in body.lower() and key not in found:
                found[key] = int(ticket_id)
    return found


def shot(page: Page, name: str) -> None:
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    print("saved", name)


def main() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = offline_env(Path(tmp), database="demo.db")
        prepare_demo(env)
        ids = ticket_ids(env)
        with serve(env, free_port()) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 2200})
            page.set_default_timeout(120_000)
            page.goto(base)
            sign_in(page, "rachel.kim@lumen.app", "lumen-demo-lead")  # a lead: can reply and work the queue
            # 1. A simple question, sent as drafted.
            open_ticket(page, ids["simple"])
            page.get_by_role("button", name="Send", exact=True).wait_for(timeout=180_000)
            shot(page, "1-simple-question")
            page.get_by_role("button", name="Send", exact=True).click()
            page.get_by_text("Reply sent as drafted").wait_for(timeout=60_000)
            shot(page, "1-sent-as-drafted")
            # 2. A polite third contact about the same refund: escalate, then a lead takes over.
            open_ticket(page, ids["repeat"])
            page.get_by_text("Suggest escalating").wait_for(timeout=120_000)
            shot(page, "2-repeat-customer")
            page.get_by_text("I want to hand this ticket to a lead").click()
            settle(page)
            page.get_by_role("button", name="Escalate", exact=True).click()
            page.get_by_text("it is in the lead queue now").wait_for(timeout=60_000)
            page.get_by_role("link", name="Escalations").click()
            page.get_by_role("button", name="Take over and reply").wait_for(timeout=60_000)
            shot(page, "2-lead-queue")
            page.get_by_role("button", name="Take over and reply").click()
            page.get_by_role("button", name="Send", exact=True).wait_for(timeout=120_000)
            shot(page, "2-lead-took-over")
            # 3. A returning customer: history in the panel and in the draft.
            open_ticket(page, ids["returning"])
            page.get_by_role("button", name="Send", exact=True).wait_for(timeout=120_000)
            shot(page, "3-returning-customer")
            browser.close()


if __name__ == "__main__":
    main()
