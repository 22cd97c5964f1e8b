"""Shared fixtures: real SQLite files and a real PostgreSQL schema per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import chromadb
import pytest
from sqlalchemy import Engine, text

from assist.config import Settings
from assist.drafting.reader import AnswerReader
from assist.embeddings import Embedder
from assist.factories import build_assistant
from assist.kb import KnowledgeBase, chunk_collection
from assist.kb.vectors import chroma_settings
from assist.pipeline import Assistant
from assist.store import make_engine, upgrade
from assist.users import OPERATOR

# A fixed clock for tests that build histories.
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def postgres_url() -> str:
    # The machine (and CI) run PostgreSQL here; a missing server fails the tests rather than skipping them.
    return os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A fresh schema in the test database, dropped afterwards; the test never sees other data."""
    url = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        # Extensions live in one schema per database: created in a test schema, pg_trgm would vanish with it
        # (and a parallel run's migrations would miss its operator classes). Keep it in public, on every path.
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema},public"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The same test on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged MiniLM, loaded once per test session."""
    return Embedder()


@pytest.fixture(scope="session")
def reader() -> AnswerReader:
    """The shipped answer reader, loaded once per test session."""
    return AnswerReader()


@pytest.fixture
def knowledge_base(sqlite_engine: Engine, embedder: Embedder, tmp_path: Path) -> KnowledgeBase:
    """A real knowledge base: a temp SQLite file and a temp on-disk chroma."""
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=chroma_settings())
    return KnowledgeBase(
        engine=sqlite_engine,
        collection=chunk_collection(client, embedder),
        embedder=embedder,
        max_upload_bytes=1_000_000,
    )


def article(article_id: str, title: str, body: str, *, category: str = "billing", product: str = "all") -> bytes:
    """A small markdown article with front matter."""
    return (
        f"---\nid: {article_id}\ntitle: {title}\ncategory: {category}\nproduct: {product}\nupdated: 2026-10-01\n---\n"
        f"# {title}\n\n{body}\n"
    ).encode()


KB_DOCS = Path(__file__).parents[1] / "kb_docs"


@pytest.fixture
def assistant(sqlite_engine: Engine, embedder: Embedder, reader: AnswerReader, tmp_path: Path) -> Assistant:
    """The whole offline pipeline on a temp database and chroma, with the shipped articles ingested."""
    settings = Settings(
        database_url=str(sqlite_engine.url),
        chroma_path=tmp_path / "chroma",
        chroma_host=None,
        openai_api_key=None,
        openai_base_url=None,
        triage_model_path=tmp_path / "none.skops",
        smtp_host=None,
        webhook_url=None,
    )
    built = build_assistant(settings, engine=sqlite_engine, embedder=embedder, reader=reader)
    built.knowledge_base.ingest_paths([KB_DOCS], actor=OPERATOR)
    return built
