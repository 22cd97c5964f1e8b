"""Factories for every heavy resource. Each is built once per process and passed in.

The Streamlit app caches these with `st.cache_resource` (ui/resources.py); the CLI builds them once
per command; tests build them with temporary locations.
"""

from __future__ import annotations

from sqlalchemy import Engine

from assist.config import Settings
from assist.embeddings import Embedder
from assist.kb import KnowledgeBase, chunk_collection, make_chroma_client
from assist.store import make_engine, upgrade


def build_engine(settings: Settings) -> Engine:
    """The SQLAlchemy engine, with the schema brought up to date."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def build_embedder(settings: Settings) -> Embedder:
    return Embedder(threads=settings.torch_threads)


def build_knowledge_base(settings: Settings, *, engine: Engine, embedder: Embedder) -> KnowledgeBase:
    client = make_chroma_client(settings)
    return KnowledgeBase(
        engine=engine,
        collection=chunk_collection(client, embedder),
        embedder=embedder,
        max_upload_bytes=settings.kb_upload_max_mb * 1_000_000,
    )
