from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine

from assist.demo import seed_demo
from tests.conftest import NOW

ROOT = Path(__file__).parents[2]


@pytest.fixture(autouse=True)
def clear_streamlit_caches() -> Iterator[None]:
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def workspace(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The demo workspace in a temp SQLite file, which the app reads through DATABASE_URL."""
    seed_demo(sqlite_engine, now=NOW)
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    return sqlite_engine
