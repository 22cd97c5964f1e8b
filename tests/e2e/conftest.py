"""A real browser (Debian's chromium, driven by playwright) against the app on a free loopback port,
with a temporary demo workspace. Never `playwright install`: it would download a browser."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from assist.dev.workspace import free_port, offline_env

ROOT = Path(__file__).parents[2]
SHOTS = ROOT / "reports" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DARK_MODE_TICKET = (
    "external_id,subject,body,customer_email,customer_name\n"
    "E2E-1,Dark theme?,Is there a dark theme for the Lumen web app? My eyes hurt at night.,nora@e2e.example,Nora\n"
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def workspace_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: `make test` installs it (apt-get install chromium)"
    work = tmp_path_factory.mktemp("e2e")
    env = offline_env(work, database="e2e.db", METRICS_CACHE_SECONDS="0", DEMO_MODE="true")
    (work / "tickets.csv").write_text(DARK_MODE_TICKET)
    for args in (
        ["seed-demo"],
        ["kb", "ingest", "kb_docs"],
        ["tickets", "import", str(work / "tickets.csv")],
        ["precompute", "--open", "--quiet"],
    ):
        subprocess.run([sys.executable, "-m", "assist", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


@pytest.fixture(scope="session")
def base_url(workspace_env: dict[str, str]) -> Iterator[str]:
    """The app as `make run` starts it (`python -m ui.serve`), used once it says the models are ready."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--port", str(port), "--address", "127.0.0.1"],
        cwd=ROOT,
        env=workspace_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    said: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            said.append(line)
            if "is ready at" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    try:
        assert ready.wait(timeout=240), "the app never said it was ready:\n" + "".join(said[-20:])
        assert httpx.get(f"{url}/_stcore/health", timeout=5).text == "ok"
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@contextmanager
def open_tab(browser: Browser, base_url: str, *, width: int, height: int) -> Iterator[Page]:
    """A new browser context of this window size on the app's first page; closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.set_default_timeout(120_000)
    tab.goto(base_url)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    with open_tab(browser, base_url, width=1500, height=2200) as tab:
        yield tab


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the rerun the last action started."""
    page.wait_for_timeout(400)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
    page.wait_for_timeout(600)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    settle(page)


def open_ticket(page: Page, ticket_id: int) -> None:
    inbox = page.get_by_role("link", name="Inbox")
    if inbox.count():  # an agent has only the inbox, and Streamlit shows no menu for a single page
        inbox.click()
        settle(page)
    list_button = button(page, "List")
    if list_button.count():  # a ticket is open: back to the list first
        list_button.click()
        settle(page)
    search = page.get_by_role("textbox", name="Search")
    search.fill(f"#{ticket_id}")
    search.press("Enter")
    settle(page)
    click_row(page, 0)
    page.get_by_text(f"#{ticket_id} ·").first.wait_for()
    settle(page)


def click_row(page: Page, row: int, *, column_x: int = 200) -> None:
    """Click a cell of the first table on the page (the subject column of the inbox list)."""
    page.get_by_test_id("stDataFrame").first.click(position={"x": column_x, "y": 35 + 35 * row + 17})


def button(page: Page, label: str) -> Locator:
    """A button by its label alone (its accessible name also holds the icon's name and the shortcut)."""
    return page.get_by_role("button").filter(has=page.get_by_text(label, exact=True))


def query(env: dict[str, str], code: str) -> str:
    """Run a snippet against the e2e workspace (what a setup step or another system would do)."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def newest_ticket(env: dict[str, str], phrase: str) -> int:
    return int(
        query(
            env,
            (
                "from assist.config import Settings\nfrom assist.factories import build_engine\n"
                "from assist.store.db import session_scope\nfrom assist.store.models import TicketRow\n"
                "from sqlalchemy import select\n"
                "with session_scope(build_engine(Settings())) as s:\n"
                "    for t in s.scalars(select(TicketRow).order_by(TicketRow.created_at.desc()).limit(12)):\n"
                f"        if {phrase!r}.lower() in t.messages[0].body.lower():\n"
                "            print(t.id); break\n"
            ),
        )
    )
