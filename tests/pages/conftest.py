from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist.config import get_settings
from assist.domain import Role, User
from assist.embeddings import Embedder
from assist.store import session_scope
from assist.store.models import UserRow
from ui import warmup

ROOT = Path(__file__).parents[2]


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
def isolated_settings(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The app under test reads a temp database and a temp chroma folder, never ./data."""
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.delenv("CHROMA_HOST", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    get_settings.cache_clear()
    warmup.reset()


@pytest.fixture(autouse=True)
def models_loaded(isolated_settings: None, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """The models finished loading, as on a server that said "ready" (the warm-up state has its own test). The app
    gets the run's one encoder, and keeps its other models across tests as a server keeps them across databases."""
    monkeypatch.setattr(warmup, "build_embedder", lambda _settings: embedder)
    warmup.assistant(get_settings())


@pytest.fixture
def workspace(demo_workspace: Engine) -> Engine:
    """The demo workspace in the temp database."""
    return demo_workspace


@pytest.fixture
def admin(sqlite_engine: Engine) -> User:
    """A signed-in admin for page tests (admins may open every page and do everything)."""
    with session_scope(sqlite_engine) as session:
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
