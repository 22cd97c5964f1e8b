from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from assist.config import get_settings
from assist.domain import Role, User
from assist.embeddings import Embedder
from assist.store import make_engine, session_scope
from assist.store.copy import copy_workspace
from assist.store.models import UserRow
from tests.conftest import postgres_url
from ui import warmup

ROOT = Path(__file__).parents[2]


class _PostgresCopies:
    """The page tests' starting workspaces moved to PostgreSQL with `db copy` (issue 37: a team that moves keeps
    a working product), once per run and process: the empty workspace and the demo. Each test gets its own
    database cloned from one of them (CREATE DATABASE ... TEMPLATE), dropped afterwards."""

    def __init__(self) -> None:
        self.templates: dict[Path, str] = {}
        self.admin = make_engine(postgres_url(), isolation_level="AUTOCOMMIT")  # CREATE DATABASE runs outside one

    def _url(self, name: str) -> str:
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))  # the app's pool too

    def database(self, workspace: Path) -> str:
        """A new database holding a copy of the SQLite `workspace` (a file no test writes to): its URL."""
        if workspace not in self.templates:
            template = f"assist_pages_{uuid.uuid4().hex[:12]}"
            self._create(template)
            self.templates[workspace] = template  # dropped at the end even if the copy fails
            source, target = make_engine(f"sqlite:///{workspace}"), make_engine(self._url(template))
            try:
                copy_workspace(source, target)
            finally:
                source.dispose()
                target.dispose()  # a template may have no one connected while it is cloned
        name = f"assist_page_{uuid.uuid4().hex[:12]}"
        self._create(name, template=self.templates[workspace])
        return self._url(name)

    def close(self) -> None:
        for template in self.templates.values():
            self.drop(template)
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_copies() -> Iterator[_PostgresCopies]:
    copies = _PostgresCopies()
    yield copies
    copies.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, sqlite_engine: Engine) -> Iterator[Engine]:
    """The database the page under test reads: the test's SQLite file (an empty workspace, or the demo when the
    test asks for `workspace`), or the same workspace copied to PostgreSQL with `db copy`. Every page test runs
    on both."""
    if request.param == "sqlite":
        yield sqlite_engine
        return
    copies: _PostgresCopies = request.getfixturevalue("postgres_copies")
    # The file the test's SQLite database started from (the demo, or the empty schema), copied once per run.
    start = "seeded_demo" if "demo_workspace" in request.fixturenames else "migrated_sqlite"
    url = copies.database(request.getfixturevalue(start))
    engine = make_engine(url)
    yield engine
    engine.dispose()
    copies.drop(str(engine.url.database))


@pytest.fixture(autouse=True)
def clear_streamlit_caches() -> Iterator[None]:
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
    get_settings.cache_clear()
    warmup.reset()


@pytest.fixture(autouse=True)
def isolated_settings(database: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The app under test reads a temp database and a temp chroma folder, never ./data."""
    monkeypatch.setenv("DATABASE_URL", database.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.delenv("CHROMA_HOST", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    get_settings.cache_clear()
    warmup.reset()


@pytest.fixture(autouse=True)
def models_loaded(isolated_settings: None, embedder: Embedder) -> None:
    """The models finished loading, as on a server that said "ready" (the warm-up state has its own test). The app
    gets the run's one encoder and reader (`models_are_shared_across_the_run`), and keeps its other models across
    tests as a server keeps them across databases."""
    warmup.assistant(get_settings())


@pytest.fixture
def workspace(demo_workspace: Engine, database: Engine) -> Engine:
    """The demo workspace in the test's database (`demo_workspace` makes the SQLite file start from the demo,
    which `database` copies to PostgreSQL in the postgres run)."""
    return database


@pytest.fixture
def admin(database: Engine) -> User:
    """A signed-in admin for page tests (admins may open every page and do everything)."""
    with session_scope(database) as session:
        row = UserRow(email="test-admin@lumen.app", name="Test Admin", role="admin")
        session.add(row)
        session.flush()
        return User(id=row.id, email=row.email, name=row.name, role=Role.ADMIN, active=True)


def signed_in(at: AppTest, user: User | None) -> AppTest:
    """Start the page as `user` (as the sign-in form leaves the session)."""
    if user is not None:
        at.session_state["user"] = user
        at.session_state["last_seen"] = time.time()
    return at


def plain(markdown: str) -> str:
    """What a person reads of escaped markdown (AppTest reports the source, with backslash escapes)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n").replace("\u2060", "")
