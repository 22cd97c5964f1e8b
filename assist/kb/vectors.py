"""Chroma: the client factory and the chunk collection, always with our own embedding function."""

from __future__ import annotations

from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from assist.config import Settings
from assist.embeddings import Embedder
from assist.errors import ConfigError

COLLECTION = "kb_chunks_minilm"


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
