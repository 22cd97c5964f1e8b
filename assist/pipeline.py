"""compute_assistance(ticket) -> Assistance: retrieval, sentiment, triage, draft and escalation for one ticket.

The ticket text is embedded once; retrieval, triage and the offline drafter reuse that vector.
Each step is timed (and traced when OTLP is configured); every run is stored with its draft, so
dashboards can show latency, mode and cost, and the workspace can re-open a ticket instantly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine

from assist.config import Settings
from assist.domain import (
    Assistance,
    AuthorRole,
    ContactHistory,
    Hit,
    MessageSentiment,
    SearchMode,
    Sentiment,
    TicketDetail,
)
from assist.drafting import ArticleText, ConfidenceModel, Drafter
from assist.embeddings import Embedder
from assist.errors import NoAlternativeError, SearchIndexError
from assist.escalation import evaluate
from assist.handoff import customer_summary
from assist.history import contact_history, retrieval_query, unanswered_text
from assist.kb import KnowledgeBase
from assist.priority import priority as priority_of
from assist.sentiment import SentimentModel, analyze
from assist.store.db import session_scope
from assist.store.models import utcnow
from assist.store.runs import latest_run, save_run
from assist.store.tickets import ticket_detail
from assist.telemetry import StepTimer
from assist.topics import TopicMatch, ticket_topic_text
from assist.triage import Triager

CATEGORY_FILTER_CONFIDENCE = 0.8  # below this, triage's category does not restrict retrieval
ARTICLES = 5


@dataclass(frozen=True)
class Assistant:
    """The resources one assist run needs, built once by `assist.factories.build_assistant`."""

    engine: Engine
    settings: Settings
    embedder: Embedder
    knowledge_base: KnowledgeBase
    sentiment: SentimentModel
    triager: Triager
    drafter: Drafter
    confidence: ConfidenceModel


def compute_assistance(
    assistant: Assistant, *, ticket_id: int, ticket: TicketDetail | None = None, alternative: int = 0
) -> Assistance:
    """Compute and store assistance for the ticket's current version.

    `ticket` saves a read when the caller has just loaded it. `alternative` > 0 grounds the draft on the
    next-best article (Regenerate); the rest of the assessment is the same.

    Raises:
        NotFoundError: no such ticket.
        NoAlternativeError: `alternative` asks for a candidate that does not exist.
    """
    timer = StepTimer()
    with timer.run("assist", ticket_id=ticket_id):
        if ticket is None:
            with timer.step("load"), session_scope(assistant.engine) as session:
                ticket = ticket_detail(session, ticket_id=ticket_id)
        query = retrieval_query(ticket)
        topic = ticket_topic_text(ticket)
        with timer.step("embed"):
            if topic == query:
                vector = topic_vector = assistant.embedder.encode_one(query)
            else:
                vector, topic_vector = assistant.embedder.encode([query, topic])
        with timer.step("triage"):
            triage = assistant.triager.classify(query, vector=vector)
        with timer.step("history"), session_scope(assistant.engine) as session:
            match = TopicMatch(ticket_id=ticket.id, vector=topic_vector, embed=assistant.embedder.encode)
            history = contact_history(
                session, ticket=ticket, category=ticket.category or triage.category, intent=triage.intent, topic=match
            )
            match.remember(session)
        with timer.step("retrieve"):
            hits, retrieval_note = _retrieve(
                assistant.knowledge_base,
                query,
                vector,
                triage.category.value if triage.category_confidence >= CATEGORY_FILTER_CONFIDENCE else None,
            )
            if alternative:
                if alternative >= len(hits) or hits[alternative].score < assistant.drafter.offline.min_article_score:
                    raise NoAlternativeError(
                        "There is no other grounded candidate for this ticket: the current draft uses the best "
                        "matching article. Edit it, or write the answer by hand."
                    )
                hits = [hits[alternative], *hits[:alternative], *hits[alternative + 1 :]]
            articles = {h.article_id: _article(assistant.knowledge_base, h) for h in hits[:2]}
        with timer.step("sentiment"):
            sentiment, trend = _sentiment(assistant, ticket, history)
            priority = priority_of(sentiment, history)
        with timer.step("draft"):
            confidence = assistant.confidence.probability(hits, triage.category)
            draft = assistant.drafter.draft(
                ticket=ticket,
                hits=hits,
                articles=articles,
                level=sentiment.level,
                customer_summary=customer_summary(ticket),
                query_vector=vector,
                earlier_contacts=history.earlier_contacts_same_issue,
                confidence=confidence,
            )
        if retrieval_note:
            draft = draft.model_copy(update={"notes": (*draft.notes, retrieval_note)})
        with timer.step("escalate"):
            escalation = evaluate(
                sentiment=sentiment,
                history=history,
                priority=priority,
                draft_confidence=draft.confidence,
                settings=assistant.settings,
            )
        result = Assistance(
            ticket_id=ticket.id,
            ticket_version=ticket.version,
            run_id=0,
            draft_id=0,
            query=query,
            history=history,
            triage=triage,
            hits=tuple(hits),
            sentiment=sentiment,
            priority=priority,
            draft=draft,
            escalation=escalation,
            timings_ms={**timer.timings_ms, "total": timer.elapsed_ms()},
            created_at=utcnow(),
            sentiment_trend=trend,
            kb_generation=assistant.knowledge_base.generation(),
        )
        with timer.step("store"):  # a span of its own; the stored timings end where the store begins
            stored = save_run(assistant.engine, assistance=result)
    return stored


def _sentiment(
    assistant: Assistant, ticket: TicketDetail, history: ContactHistory
) -> tuple[Sentiment, tuple[MessageSentiment, ...]]:
    """The assessment of what is waiting for an answer, and the tone of every customer message before it,
    in one batched forward pass (the handoff shows the trend without running the model again)."""
    customer = [m for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER]
    text = unanswered_text(ticket)
    probabilities = assistant.sentiment.predict([*(m.body for m in customer[:-1]), text])
    name = assistant.sentiment.name
    sentiment = analyze(probabilities[-1], text=text, history=history, model=name)
    trend = [
        MessageSentiment(
            message_id=m.id,
            created_at=m.created_at,
            level=(s := analyze(p, text=m.body, model=name)).level,
            score=s.score,
        )
        for m, p in zip(customer[:-1], probabilities[:-1], strict=True)
    ]
    if customer:
        last = customer[-1]
        trend.append(
            MessageSentiment(
                message_id=last.id, created_at=last.created_at, level=sentiment.level, score=sentiment.score
            )
        )
    return sentiment, tuple(trend)


def latest(engine: Engine, *, ticket_id: int, version: int | None = None) -> Assistance | None:
    """The stored assistance for the ticket's current version (or `version`), if it was computed already."""
    return latest_run(engine, ticket_id=ticket_id, version=version)


def precompute_many(
    assistant: Assistant, *, ticket_ids: Sequence[int], progress: Callable[[int, int, str], None] | None = None
) -> dict[int, Assistance | str]:
    """Precompute assistance for many tickets; a failure on one ticket is reported, not raised."""
    from assist.errors import AssistError

    results: dict[int, Assistance | str] = {}
    for n, ticket_id in enumerate(ticket_ids, start=1):
        try:
            results[ticket_id] = compute_assistance(assistant, ticket_id=ticket_id)
        except AssistError as e:
            results[ticket_id] = str(e)
        if progress:
            progress(n, len(ticket_ids), f"Ticket #{ticket_id}")
    return results


def _retrieve(
    kb: KnowledgeBase, query: str, vector: npt.NDArray[np.float32], category: str | None
) -> tuple[list[Hit], str | None]:
    """Hybrid search (without the category filter when it finds nothing). A broken vector index falls back
    to keyword search and says so: never silently worse."""
    try:
        hits = kb.search(query, k=ARTICLES, category=category, query_vector=vector)
        if category is not None and not hits:
            hits = kb.search(query, k=ARTICLES, query_vector=vector)
        return hits, None
    except SearchIndexError as e:
        return kb.search(query, k=ARTICLES, mode=SearchMode.BM25), f"Articles found by keywords only. {e}"


def _article(kb: KnowledgeBase, hit: Hit) -> ArticleText:
    detail = kb.get_article(hit.article_id)
    return ArticleText(article_id=detail.id, title=detail.title, body=detail.body, url=hit.url)
