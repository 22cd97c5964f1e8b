"""Chroma: the client factory and the chunk collection, always with our own embedding function."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from assist.config import Settings
from assist.embeddings import Embedder
from assist.errors import ConfigError, SearchIndexError

log = logging.getLogger(__name__)
COLLECTION = "kb_chunks_minilm"
ANSWERED = "answered_questions_minilm"  # the team's sent replies, by the customer words each answered


def chroma_settings(**overrides: Any) -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, **overrides)


def make_chroma_client(settings: Settings) -> ClientAPI:
    """A shared Chroma server when CHROMA_HOST is set, else an embedded store under CHROMA_PATH."""
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings())
        except Exception as e:  # chroma raises plain exceptions for connection problems
            raise ConfigError(
                f"Cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port}: {e}. "
                "Start it (`chroma run`) or unset CHROMA_HOST to use the embedded store."
            ) from e
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings())


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our encoder; chroma's default function would try to download a model."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        if self._embedder is None:
            self._embedder = Embedder()
        return list(self._embedder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "assist-minilm"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        return MiniLMEmbeddingFunction()


def chunk_collection(client: ClientAPI, embedder: Embedder) -> Collection:
    return client.get_or_create_collection(
        COLLECTION,
        configuration={"hnsw": {"space": "cosine"}},
        embedding_function=MiniLMEmbeddingFunction(embedder),  # type: ignore[arg-type]
    )


def answered_collection(client: ClientAPI, embedder: Embedder) -> Collection:
    """The second collection in the same store (embedded or server): one vector per sent reply."""
    return client.get_or_create_collection(
        ANSWERED,
        configuration={"hnsw": {"space": "cosine"}},
        embedding_function=MiniLMEmbeddingFunction(embedder),  # type: ignore[arg-type]
    )


def location(settings: Settings) -> str:
    """Where the vectors live, as an admin would look for them."""
    return f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.chroma_path)


def fatal(error: BaseException) -> bool:
    """Whether a failure must propagate as it is. Chroma's embedded store is Rust: a damaged file can raise
    a pyo3 PanicException, which is a BaseException, so `except Exception` alone misses it."""
    return isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit)


def open_index(
    settings: Settings,
    embedder: Embedder,
    *,
    repair: bool = False,
    collection: Callable[[ClientAPI, Embedder], Collection] = chunk_collection,
) -> Collection:
    """The chunk collection (or another `collection` of the same store). A store that cannot be opened (a
    damaged `chroma.sqlite3`) is a SearchIndexError that names it and says to re-index; with `repair` (what
    re-indexing does, since it rebuilds every vector from SQL) a damaged embedded store is moved aside and a
    new one started."""
    try:
        return collection(make_chroma_client(settings), embedder)
    except ConfigError:
        raise
    except BaseException as e:
        if fatal(e):
            raise
        if not repair or settings.chroma_host:
            raise SearchIndexError(
                f"The search index at {location(settings)} cannot be opened ({type(e).__name__}: "
                f"{str(e)[:120]}). Rebuild it from the stored articles: `python -m assist kb reindex`."
            ) from e
        aside = settings.chroma_path.with_name(f"{settings.chroma_path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        settings.chroma_path.rename(aside)
        log.warning("the search index at %s could not be opened (%s); moved it to %s", settings.chroma_path, e, aside)
        SharedSystemClient.clear_system_cache()  # chroma keeps one client per path: forget the damaged one
        return collection(make_chroma_client(settings), embedder)
