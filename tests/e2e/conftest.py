"""A real browser (Debian's chromium, driven by playwright) against the app on a free loopback port,
with a temporary demo workspace. Never `playwright install`: it would download a browser.

Each test starts from the prepared workspace: its database is put back before every test, under the one running
app (`copy_database`), so no test depends on what another did or in what order they ran. A server per test
would cost its model load each time (about 11 s here). The Chroma folder is not put back: it is an index, and
SQL says what is searchable and which tickets were resolved (vectors of rows that are gone are never shown).

Screenshots go to `reports/screenshots/` (ignored by git: a test run changes no tracked file)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from assist.dev.browser import ARGS, CHROMIUM, ROOT, prepare_demo, serve, settle, watch_socket
from assist.dev.workspace import copy_database, free_port, offline_env

SHOTS = ROOT / "reports" / "screenshots"
PREPARED = "prepared.db"  # the workspace as prepared, beside the database the app uses
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
    prepare_demo(env, imports=[work / "tickets.csv"])
    database = _database(env)
    copy_database(database, database.with_name(PREPARED))
    return env


def _database(env: dict[str, str]) -> Path:
    return Path(env["DATABASE_URL"].removeprefix("sqlite:///"))


def put_back(env: dict[str, str]) -> None:
    """The workspace's database as it was prepared, under the running app."""
    database = _database(env)
    copy_database(database.with_name(PREPARED), database)


@pytest.fixture(autouse=True)
def prepared_workspace(workspace_env: dict[str, str], base_url: str) -> None:
    """Every test starts from the prepared workspace."""
    put_back(workspace_env)


@pytest.fixture(scope="session")
def base_url(workspace_env: dict[str, str]) -> Iterator[str]:
    """The app as `make run` starts it, used once it says the models are ready."""
    with serve(workspace_env, free_port(), ready_within_s=240) as url:
        assert httpx.get(f"{url}/_stcore/health", timeout=5).text == "ok"
        yield url


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
    watch_socket(context)  # `settle` waits on the app's socket, not on fixed pauses
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


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def query(env: dict[str, str], code: str) -> str:
    """Run a snippet against the e2e workspace (what a setup step or another system would do)."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def newest_ticket(env: dict[str, str], phrase: str) -> int:
    """The newest ticket whose first message holds `phrase`."""
    return int(
        query(
            env,
            (
                "from assist.config import Settings\nfrom assist.factories import build_engine\n"
                "from assist.store.db import session_scope\nfrom assist.store.models import TicketRow\n"
                "from sqlalchemy import select\n"
                "with session_scope(build_engine(Settings())) as s:\n"
                "    for t in s.scalars(select(TicketRow).order_by(TicketRow.created_at.desc()).limit(60)):\n"
                f"        if {phrase!r}.lower() in t.messages[0].body.lower():\n"
                "            print(t.id); break\n"
            ),
        )
    )


def first_escalation_unowned(env: dict[str, str]) -> int:
    """Setup: the most urgent escalation in the queue belongs to nobody (in the demo a lead already holds it), so a
    lead's take-over goes straight through. Returns its ticket id."""
    return int(
        query(
            env,
            (
                "from assist.config import Settings\nfrom assist.factories import build_engine\n"
                "from assist.queue import list_escalations\n"
                "from assist.store.db import session_scope\nfrom assist.store.models import TicketRow\n"
                "e = build_engine(Settings())\n"
                "first = list_escalations(e)[0]\n"
                "with session_scope(e) as s:\n"
                "    s.get_one(TicketRow, first.ticket_id).assignee_id = None\n"
                "print(first.ticket_id)\n"
            ),
        )
    )
