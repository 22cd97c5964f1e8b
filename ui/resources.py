"""Process-wide resources, built once by the `assist.factories` factories (through `ui.warmup`, so the
models load when the server starts) and cached by Streamlit.

Cache the Engine (it owns the connection pool), never a Session or a connection.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from assist import Assistant, Courier, Embedder, KnowledgeBase, Settings, get_settings
from ui import warmup


@st.cache_resource
def settings() -> Settings:
    return get_settings()


@st.cache_resource
def engine() -> Engine:
    return warmup.engine(settings())


def courier() -> Courier:
    """The process's delivery worker (Send wakes it; it delivers outside the click)."""
    return warmup.courier(settings())


def models_ready() -> bool:
    """Whether the models have finished loading (starts loading them if nobody has yet)."""
    warmup.start(settings())
    return warmup.ready()


@st.cache_resource(show_spinner="Loading the models…")
def assistant() -> Assistant:
    return warmup.assistant(settings())


def embedder() -> Embedder:
    return assistant().embedder  # one encoder per process, shared with the pipeline


def knowledge_base() -> KnowledgeBase:
    return assistant().knowledge_base  # one knowledge base per process, shared with the pipeline
