"""Process-wide resources, built once by the `assist.resources` factories and cached by Streamlit.

Cache the Engine (it owns the connection pool), never a Session or a connection.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from assist import resources as factories
from assist.config import Settings
from assist.embeddings import Embedder
from assist.kb import KnowledgeBase
from assist.pipeline import Assistant


@st.cache_resource
def settings() -> Settings:
    return Settings()


@st.cache_resource
def engine() -> Engine:
    return factories.build_engine(settings())


@st.cache_resource(show_spinner="Loading the embedding model…")
def embedder() -> Embedder:
    return factories.build_embedder(settings())


def knowledge_base() -> KnowledgeBase:
    return assistant().knowledge_base  # one knowledge base per process, shared with the pipeline


@st.cache_resource(show_spinner="Loading the models…")
def assistant() -> Assistant:
    return factories.build_assistant(settings(), engine=engine(), embedder=embedder())
