"""Factories for every heavy resource. Each is built once per process and passed in.

The Streamlit app caches these with `st.cache_resource` (ui/resources.py); the CLI builds them once
per command; tests build them with temporary locations.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr
from sqlalchemy import Engine

if TYPE_CHECKING:
    from assist.drafting.reader import AnswerReader
    from assist.pipeline import Assistant

from assist.config import Settings
from assist.delivery import Courier, transport
from assist.drafting import AnswerSelector, ConfidenceModel, Drafter, LlmDrafter, NeedModel, OfflineDrafter
from assist.drafting.deadline import DeadlineTransport
from assist.drafting.reuse import ReuseModel
from assist.embeddings import Embedder
from assist.errors import AssistError, ConfigError
from assist.kb import KnowledgeBase
from assist.kb.vectors import answered_collection, location, open_index
from assist.sentiment import SentimentModel
from assist.similar import SimilarIndex
from assist.store import make_engine, upgrade
from assist.triage import Triager


def build_engine(settings: Settings) -> Engine:
    """The SQLAlchemy engine, with the schema brought up to date."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def build_courier(settings: Settings, *, engine: Engine) -> Courier:
    """The delivery worker for this process (not started): the configured transport, the retry budget."""
    return Courier(engine, send=transport(settings), max_attempts=settings.delivery_max_attempts)


def build_embedder(settings: Settings) -> Embedder:
    return Embedder(threads=settings.torch_threads)


def build_sentiment_model(settings: Settings) -> SentimentModel:
    """The sentiment model; a damaged model folder is a clear ConfigError, not a SafetensorError traceback."""
    try:
        return SentimentModel(settings.sentiment_model, label_map=settings.sentiment_labels)
    except AssistError:
        raise
    except Exception as e:
        where = settings.sentiment_model or "assist/sentiment/model"
        raise ConfigError(
            f"The sentiment model at {where} cannot be loaded ({type(e).__name__}: {str(e)[:120]}). Restore it from "
            "the release (git checkout assist/sentiment/model) or retrain it with `python -m assist train sentiment`."
        ) from e


def build_knowledge_base(
    settings: Settings, *, engine: Engine, embedder: Embedder, repair_index: bool = False
) -> KnowledgeBase:
    """The knowledge base over SQL and the vector index. A damaged index is a SearchIndexError that says to
    re-index; `repair_index` (the re-index command) sets a damaged embedded store aside instead."""
    return KnowledgeBase(
        engine=engine,
        collection=open_index(settings, embedder, repair=repair_index),
        embedder=embedder,
        max_upload_bytes=settings.kb_upload_max_mb * 1_000_000,
        help_center_url=settings.help_center_url,
        location=location(settings),
        checkouts=Path(settings.chroma_path).parent / "sources",  # beside the local data, one folder per source
    )


def build_similar_index(settings: Settings, *, embedder: Embedder, repair_index: bool = False) -> SimilarIndex:
    """The team's sent replies, in a second collection of the knowledge base's vector store."""
    return SimilarIndex(
        collection=open_index(settings, embedder, repair=repair_index, collection=answered_collection),
        embedder=embedder,
    )


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """ChatOpenAI when a key or an OpenAI-compatible base URL is configured, else None (offline drafts)."""
    if settings.openai_api_key is None and not settings.openai_base_url:
        return None
    from langchain_openai import ChatOpenAI

    # Local OpenAI-compatible servers (vLLM, Ollama) accept any key; the client insists on one.
    key = settings.openai_api_key or SecretStr("not-needed")
    return ChatOpenAI(
        model=settings.openai_model,
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=0.2,
        http_client=httpx.Client(transport=DeadlineTransport()),  # a draft's deadline closes its connection
    )


def build_drafter(settings: Settings, *, chat_model: BaseChatModel | None) -> Drafter:
    llm = None
    if chat_model is not None:
        llm = LlmDrafter(
            chat_model,
            name=settings.openai_model,
            usd_per_1k_input=settings.llm_usd_per_1k_input,
            usd_per_1k_output=settings.llm_usd_per_1k_output,
            deadline_s=settings.llm_timeout_s,
            phone_region=settings.default_phone_region,
        )
    return Drafter(offline=OfflineDrafter(), llm=llm)


def build_triager(settings: Settings, *, embedder: Embedder) -> Triager:
    """Triage; a damaged model file is a clear ConfigError (delete it to fall back to zero-shot, or retrain)."""
    try:
        return Triager(embedder=embedder, model_path=settings.triage_model_path)
    except AssistError:
        raise
    except Exception as e:
        raise ConfigError(
            f"The triage model at {settings.triage_model_path} cannot be loaded ({type(e).__name__}: "
            f"{str(e)[:120]}). Retrain it with `python -m assist train triage --from-db`, or delete the file to "
            "use the zero-shot categories meanwhile."
        ) from e


def build_answer_reader(settings: Settings) -> AnswerReader:
    """The cross-encoder that reads question and passage together (assist/drafting/reader.py)."""
    from assist.drafting.reader import AnswerReader

    return AnswerReader()


def build_assistant(
    settings: Settings,
    *,
    engine: Engine | None = None,
    embedder: Embedder | None = None,
    reader: AnswerReader | None = None,
    sentiment: SentimentModel | None = None,
) -> Assistant:
    """Everything `assist.pipeline.assist` needs, each built once (the models may be shared: they do not depend on
    the database)."""
    from assist.pipeline import Assistant
    from assist.telemetry import configure

    configure(settings)
    engine = engine or build_engine(settings)
    embedder = embedder or build_embedder(settings)
    return Assistant(
        engine=engine,
        settings=settings,
        embedder=embedder,
        knowledge_base=build_knowledge_base(settings, engine=engine, embedder=embedder),
        sentiment=sentiment or build_sentiment_model(settings),
        triager=build_triager(settings, embedder=embedder),
        drafter=build_drafter(settings, chat_model=build_chat_model(settings)),
        selector=AnswerSelector(embedder, reader or build_answer_reader(settings)),
        confidence=ConfidenceModel.load(),
        needs=NeedModel.load(),
        similar=build_similar_index(settings, embedder=embedder),
        reuse=ReuseModel.load(),
    )


def warm_up(assistant: Assistant) -> None:
    """One pass through every model and index, so the first real ticket pays no first-use costs
    (lazy torch initialisation, the BM25 index build, tokenizer caches)."""
    text = "I was charged twice for my subscription this month."
    vector = assistant.embedder.encode_one(text)
    assistant.triager.classify(text, vector=vector)
    assistant.sentiment.predict([text])
    assistant.knowledge_base.search(text, k=1, query_vector=vector)
    if assistant.selector.reader is not None:
        assistant.selector.reader.scores(text, ["Refund policy: Duplicate charges are always refunded in full."])
