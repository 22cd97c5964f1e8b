"""A real browser (Debian's chromium, driven by playwright) against the app on a free loopback port,
with a temporary demo workspace. Never `playwright install`: it would download a browser.

Each test starts from the prepared workspace: its database is put back before every test, under the one running
app (`copy_database`), so no test depends on what another did or in what order they ran. A server per test
would cost its model load each time (about 11 s here). The Chroma folder is not put back: it is an index, and
SQL says what is searchable and which tickets were resolved (vectors of rows that are gone are never shown).

Screenshots go to `reports/screenshots/` (ignored by git: a test run changes no tracked file)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine, func, select

from assist.arrival import Arrival
from assist.config import Settings
from assist.dev.browser import ARGS, CHROMIUM, ROOT, prepare_demo, serve, settle, watch_socket
from assist.dev.workspace import copy_database, free_port, offline_env
from assist.domain import Channel
from assist.factories import build_engine
from assist.intake import take_in
from assist.queue import list_escalations
from assist.store.db import session_scope
from assist.store.models import MacroUseRow, MessageRow, TicketRow

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


@dataclass(frozen=True)
class Workspace:
    """The e2e workspace as the app sees it, opened in this process for setup steps and checks of what was stored
    (what another system would do). A new interpreter per step cost about 3 s of imports each time."""

    settings: Settings
    engine: Engine

    def newest_ticket(self, phrase: str) -> int:
        """The newest ticket whose first message holds `phrase`."""
        with session_scope(self.engine) as s:
            for ticket in s.scalars(select(TicketRow).order_by(TicketRow.created_at.desc()).limit(60)):
                if phrase.lower() in ticket.messages[0].body.lower():
                    return ticket.id
        raise AssertionError(f"no recent ticket says {phrase!r}")

    def newest_resolved(self) -> int:
        with session_scope(self.engine) as s:
            return s.scalars(
                select(TicketRow.id)
                .where(TicketRow.status == "resolved")
                .order_by(TicketRow.created_at.desc())
                .limit(1)
            ).one()

    def messages(self, ticket_id: int, role: str) -> list[str]:
        """The bodies of `ticket_id`'s messages by `role` ("customer", "agent"), oldest first."""
        with session_scope(self.engine) as s:
            return list(
                s.scalars(
                    select(MessageRow.body)
                    .where(MessageRow.ticket_id == ticket_id, MessageRow.author_role == role)
                    .order_by(MessageRow.id)
                )
            )

    def macro_uses(self, ticket_id: int) -> int:
        with session_scope(self.engine) as s:
            return s.scalars(
                select(func.count()).select_from(MacroUseRow).where(MacroUseRow.ticket_id == ticket_id)
            ).one()

    def arrive(self, *, email: str, subject: str, body: str) -> int:
        """A customer's e-mail taken in as the mail poller takes it; its ticket id."""
        arrival = Arrival(channel=Channel.EMAIL, customer_email=email, subject=subject, body=body)
        return take_in(self.engine, arrival, actor="intake:e2e", max_chars=20_000)[0]

    def first_escalation_unowned(self) -> int:
        """Setup: the most urgent escalation in the queue belongs to nobody (in the demo a lead already holds it),
        so a lead's take-over goes straight through. Returns its ticket id."""
        first = list_escalations(self.engine)[0]
        with session_scope(self.engine) as s:
            s.get_one(TicketRow, first.ticket_id).assignee_id = None
        return first.ticket_id


@pytest.fixture(scope="session")
def workspace(workspace_env: dict[str, str]) -> Iterator[Workspace]:
    with pytest.MonkeyPatch.context() as patch:  # the settings the app reads from the environment it was given
        for key in set(os.environ) - set(workspace_env):
            patch.delenv(key)
        for key, value in workspace_env.items():
            patch.setenv(key, value)
        settings = Settings()
    engine = build_engine(settings)
    yield Workspace(settings, engine)
    engine.dispose()
