"""Faults the probe caused (findings 5 and 14): each gives a plain message saying what failed and what to do,
and nothing is left half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import chromadb
import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from sqlalchemy import Engine, create_engine, func, select

from assist.authentication import authenticate
from assist.config import Settings
from assist.domain import Role
from assist.embeddings import Embedder
from assist.errors import AuthError, ConfigError, DatabaseError, SearchIndexError
from assist.factories import build_sentiment_model, build_triager
from assist.kb import KnowledgeBase, chunk_collection
from assist.kb.vectors import chroma_settings
from assist.store import session_scope
from assist.store.models import ArticleRow
from assist.users import OPERATOR, create_user
from tests.conftest import KB_DOCS, article

pytestmark = pytest.mark.model


def _kb(engine: Engine, embedder: Embedder, folder: Path) -> KnowledgeBase:
    client = chromadb.PersistentClient(path=str(folder), settings=chroma_settings())
    return KnowledgeBase(
        engine=engine, collection=chunk_collection(client, embedder), embedder=embedder, max_upload_bytes=1_000_000
    )


def test_a_lost_vector_index_is_noticed_and_reindex_repairs_it(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path
) -> None:
    """Finding 5: after the Chroma folder was deleted, search silently fell back to keywords."""
    kb = _kb(sqlite_engine, embedder, tmp_path / "chroma")
    kb.ingest_paths([KB_DOCS], actor=OPERATOR)
    assert kb.index_status().healthy
    shutil.rmtree(tmp_path / "chroma")
    SharedSystemClient.clear_system_cache()  # what a process restart does
    restarted = _kb(sqlite_engine, embedder, tmp_path / "chroma")  # a restart finds an empty index
    status = restarted.index_status()
    assert not status.healthy and status.vectors == 0 and status.passages > 100
    with pytest.raises(SearchIndexError, match="Re-index"):
        restarted.search("create an API key")
    restarted.reindex(actor=OPERATOR)
    assert restarted.index_status().healthy
    assert restarted.search("create an API key", k=1)[0].article_id == "api-keys"


def test_an_index_write_failure_is_a_plain_error_and_changes_nothing(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = _kb(sqlite_engine, embedder, tmp_path / "chroma")

    def broken(**_: object) -> None:
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(kb.collection, "upsert", broken)
    with pytest.raises(SearchIndexError, match="could not be written"):
        kb.ingest_files([("a.md", article("a", "A", "Refunds take five days."))], actor=OPERATOR)
    with session_scope(sqlite_engine) as session:
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == 0


def test_a_read_only_database_refuses_with_a_plain_message(sqlite_engine: Engine) -> None:
    """Finding 14: a read-only SQLite gave `disk I/O error` tracebacks on send and sign-in."""
    create_user(sqlite_engine, email="a@lumen.app", name="A", role=Role.AGENT, password="p" * 12, actor=OPERATOR)
    path = sqlite_engine.url.database
    read_only = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", connect_args={"uri": True})
    with pytest.raises(DatabaseError, match="nothing was saved") as refused:
        authenticate(read_only, email="a@lumen.app", password="p" * 12, settings=Settings())
    assert "read-only" in str(refused.value) and not isinstance(refused.value, AuthError)


def test_damaged_model_files_are_a_clear_configuration_error(tmp_path: Path, embedder: Embedder) -> None:
    broken = tmp_path / "sentiment"
    broken.mkdir()
    shipped = Path(__file__).parents[2] / "assist" / "sentiment" / "model"
    shutil.copy(shipped / "sentiment.json", broken / "sentiment.json")
    (broken / "weights.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ConfigError, match=r"cannot be loaded.*retrain"):
        build_sentiment_model(Settings(sentiment_model=broken))
    triage = tmp_path / "triage.skops"
    triage.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(ConfigError, match=r"triage model.*cannot be loaded"):
        build_triager(Settings(triage_model_path=triage), embedder=embedder)
