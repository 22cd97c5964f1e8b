"""Process-wide resources, built once by `assist` factories and cached by Streamlit.

Cache the Engine (it owns the connection pool), never a Session or a connection.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from assist.config import Settings
from assist.store import make_engine, upgrade


@st.cache_resource
def settings() -> Settings:
    return Settings()


@st.cache_resource
def engine() -> Engine:
    db = make_engine(settings().database_url)
    upgrade(db)  # a fresh or older database is brought to the current schema before first use
    return db
