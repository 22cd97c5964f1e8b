"""A tampered or damaged vector index (issue 31, finding 12).

Vectors overwritten with random ones still showed `healthy: true`; a damaged `chroma.sqlite3` gave tracebacks
in `kb status` and `precompute`, and the app only said "Could not load the models". The health check now
re-embeds a sample of passages and compares them with the stored vectors (`KnowledgeBase.index_status`), and
a store that cannot be opened is a SearchIndexError naming it (`kb.vectors.open_index`), which `kb reindex`
repairs.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from click.testing import CliRunner
from sqlalchemy import Engine

from assist.cli import main
from assist.config import Settings, get_settings
from assist.embeddings import Embedder
from assist.errors import SearchIndexError
from assist.factories import build_knowledge_base
from assist.users import OPERATOR
from tests.conftest import article

pytestmark = pytest.mark.model

ARTICLES = [
    (f"a{n}.md", article(f"a{n}", f"Topic {n}", f"Passage {n}: refunds take {n + 2} business days to arrive."))
    for n in range(6)
]


def _settings(engine: Engine, folder: Path) -> Settings:
    return Settings(database_url=engine.url.render_as_string(hide_password=False), chroma_path=folder, chroma_host=None)


@pytest.fixture(autouse=True)
def _fresh_chroma_clients() -> Iterator[None]:
    SharedSystemClient.clear_system_cache()  # chroma keeps one client per folder in a process
    yield
    SharedSystemClient.clear_system_cache()


def test_vectors_overwritten_with_random_ones_are_not_healthy(
    engine: Engine, embedder: Embedder, tmp_path: Path
) -> None:
    kb = build_knowledge_base(_settings(engine, tmp_path / "chroma"), engine=engine, embedder=embedder)
    kb.ingest_files(ARTICLES, actor=OPERATOR)
    assert kb.index_status().healthy
    ids = kb.collection.get(include=[])["ids"]
    noise = np.random.default_rng(7).normal(size=(len(ids), embedder.dimensions)).astype(np.float32)
    kb.collection.update(ids=ids, embeddings=noise / np.linalg.norm(noise, axis=1, keepdims=True))
    status = kb.index_status()
    assert status.vectors == status.passages  # every passage still "has" a vector
    assert not status.healthy and status.checked > 0 and status.mismatched == status.checked
    assert status.problem is not None and "python -m assist kb reindex" in status.problem
    kb.reindex(actor=OPERATOR)
    assert kb.index_status().healthy


def _damage(folder: Path) -> None:
    index = folder / "chroma.sqlite3"
    index.write_bytes(os.urandom(index.stat().st_size))
    SharedSystemClient.clear_system_cache()  # what a restart does


def test_a_damaged_index_file_is_a_plain_error_that_names_it_and_reindex_repairs_it(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "chroma"
    settings = _settings(sqlite_engine, folder)
    build_knowledge_base(settings, engine=sqlite_engine, embedder=embedder).ingest_files(ARTICLES, actor=OPERATOR)
    _damage(folder)
    with pytest.raises(SearchIndexError, match=r"python -m assist kb reindex") as refused:
        build_knowledge_base(settings, engine=sqlite_engine, embedder=embedder)  # what the app and precompute build
    assert str(folder) in str(refused.value)

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CHROMA_PATH", str(folder))
    monkeypatch.delenv("CHROMA_HOST", raising=False)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        status = runner.invoke(main, ["kb", "status"])
        assert status.exit_code == 1 and "Traceback" not in status.output
        assert f"The search index at {folder} cannot be opened" in status.output
        assert "python -m assist kb reindex" in status.output
        repaired = runner.invoke(main, ["kb", "reindex"])
        assert repaired.exit_code == 0, repaired.output
        SharedSystemClient.clear_system_cache()
        healthy = runner.invoke(main, ["kb", "status"])
        assert healthy.exit_code == 0, healthy.output
        assert json.loads(healthy.output.strip().splitlines()[-1])["healthy"] is True
    finally:
        get_settings.cache_clear()
    assert any(p.name.startswith("chroma.damaged-") for p in tmp_path.iterdir())  # set aside, not deleted


def test_the_app_shows_the_index_error_instead_of_could_not_load_the_models(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path
) -> None:
    """The warm-up hands its error to every page; an AssistError is shown as its own message (ui.guard)."""
    from ui import warmup

    folder = tmp_path / "chroma"
    settings = _settings(sqlite_engine, folder)
    build_knowledge_base(settings, engine=sqlite_engine, embedder=embedder).ingest_files(ARTICLES, actor=OPERATOR)
    _damage(folder)
    warmup.reset()
    try:
        with pytest.raises(SearchIndexError, match=re.escape(f"The search index at {folder} cannot be opened")):
            warmup.assistant(settings.model_copy(update={"triage_model_path": tmp_path / "none.skops"}))
    finally:
        warmup.reset()
