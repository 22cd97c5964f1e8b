"""assist(ticket) -> Assistance: retrieval, sentiment, triage, draft and escalation for one ticket.

The ticket text is embedded once; retrieval, triage and the offline drafter reuse that vector.
Each step is timed (and traced when OTLP is configured); every run is stored with its draft, so
dashboards can show latency, mode and cost, and the workspace can re-open a ticket instantly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, func, select, update

from assist.config import Settings
from assist.domain import Assistance, Hit
from assist.drafting import ArticleText, ConfidenceModel, Drafter
from assist.embeddings import Embedder
from assist.escalation import evaluate
from assist.handoff import customer_summary
from assist.history import contact_history, retrieval_query, unanswered_text
from assist.kb import KnowledgeBase
from assist.priority import priority as priority_of
from assist.sentiment import SentimentModel, analyze
from assist.store.db import session_scope
from assist.store.models import AssistRunRow, DraftRow, TicketRow
from assist.store.tickets import ticket_detail
from assist.telemetry import StepTimer
from assist.triage import Triager

CATEGORY_FILTER_CONFIDENCE = 0.8  # below this, triage's category does not restrict retrieval
ARTICLES = 5


@dataclass(frozen=True)
class Assistant:
    """The resources one assist run needs, built once by `assist.resources.build_assistant`."""

    engine: Engine
    settings: Settings
    embedder: Embedder
    knowledge_base: KnowledgeBase
    sentiment: SentimentModel
    triager: Triager
    drafter: Drafter
    confidence: ConfidenceModel


def assist(assistant: Assistant, *, ticket_id: int) -> Assistance:
    """Compute and store assistance for the ticket's current version.

    Raises:
        NotFoundError: no such ticket.
    """
    timer = StepTimer()
    with timer.run("assist", ticket_id=ticket_id):
        with timer.step("load"), session_scope(assistant.engine) as session:
            ticket = ticket_detail(session, ticket_id=ticket_id)
        query = retrieval_query(ticket)
        with timer.step("embed"):
            vector = assistant.embedder.encode_one(query)
        with timer.step("triage"):
            triage = assistant.triager.classify(query, vector=vector)
        with timer.step("history"), session_scope(assistant.engine) as session:
            history = contact_history(
                session, ticket=ticket, category=ticket.category or triage.category, intent=triage.intent
            )
        with timer.step("retrieve"):
            hits = _retrieve(
                assistant.knowledge_base,
                query,
                vector,
                triage.category.value if triage.category_confidence >= CATEGORY_FILTER_CONFIDENCE else None,
            )
            articles = {h.article_id: _article(assistant.knowledge_base, h) for h in hits[:2]}
        with timer.step("sentiment"):
            text = unanswered_text(ticket)
            sentiment = analyze(
                assistant.sentiment.predict_one(text), text=text, history=history, model=assistant.sentiment.name
            )
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
        with timer.step("escalate"):
            escalation = evaluate(
                sentiment=sentiment,
                history=history,
                priority=priority,
                draft_confidence=draft.confidence,
                settings=assistant.settings,
            )
        with timer.step("store"), session_scope(assistant.engine) as session:
            draft_row = DraftRow(
                ticket_id=ticket.id,
                ticket_version=ticket.version,
                text=draft.text,
                confidence=draft.confidence,
                sources=list(draft.sources),
                model=draft.model,
                mode=draft.mode.value,
            )
            session.add(draft_row)
            session.flush()
            run = AssistRunRow(
                ticket_id=ticket.id,
                ticket_version=ticket.version,
                draft_id=draft_row.id,
                mode=draft.mode.value,
                model=draft.model,
                confidence=draft.confidence,
                top_score=hits[0].score if hits else None,
                category=triage.category.value,
                category_confidence=triage.category_confidence,
                intent=triage.intent,
                sentiment_level=sentiment.level.value,
                sentiment_score=sentiment.score,
                frustration=sentiment.frustration,
                priority=priority,
                escalate=escalation.suggest,
                queue=escalation.queue.value,
                reasons=list(escalation.reasons),
                tokens=draft.tokens,
                cost_usd=draft.cost_usd,
                latency_ms=0.0,
            )
            session.add(run)
            session.flush()
            run_id, draft_id, created_at = run.id, draft_row.id, run.created_at
    result = Assistance(
        ticket_id=ticket.id,
        ticket_version=ticket.version,
        run_id=run_id,
        draft_id=draft_id,
        query=query,
        history=history,
        triage=triage,
        hits=tuple(hits),
        sentiment=sentiment,
        priority=priority,
        draft=draft,
        escalation=escalation,
        timings_ms=timer.timings_ms,
        created_at=created_at,
    )
    with session_scope(assistant.engine) as session:  # record the measured total and the full result
        row = session.get_one(AssistRunRow, run_id)
        row.latency_ms = timer.timings_ms["total"]
        row.steps_ms = timer.timings_ms
        row.result = result.model_dump(mode="json")
        # Keep the inbox's priority and category in step with the panels. A Core UPDATE leaves the
        # ticket's version alone: this is derived data, not an edit that should conflict with an agent.
        session.execute(
            update(TicketRow)
            .where(TicketRow.id == ticket.id)
            .values(priority=priority, category=func.coalesce(TicketRow.category, triage.category.value))
            .execution_options(synchronize_session=False)
        )
    return result


def latest(engine: Engine, *, ticket_id: int) -> Assistance | None:
    """The stored assistance for the ticket's current version, if it was computed already."""
    with session_scope(engine) as session:
        version = session.scalar(select(TicketRow.version).where(TicketRow.id == ticket_id))
        row = session.scalars(
            select(AssistRunRow)
            .where(AssistRunRow.ticket_id == ticket_id, AssistRunRow.ticket_version == version)
            .order_by(AssistRunRow.id.desc())
            .limit(1)
        ).first()
        return Assistance.model_validate(row.result) if row is not None and row.result else None


def assist_many(
    assistant: Assistant, *, ticket_ids: Sequence[int], progress: Callable[[int, int, str], None] | None = None
) -> dict[int, Assistance | str]:
    """Precompute assistance for many tickets; a failure on one ticket is reported, not raised."""
    from assist.errors import AssistError

    results: dict[int, Assistance | str] = {}
    for n, ticket_id in enumerate(ticket_ids, start=1):
        try:
            results[ticket_id] = assist(assistant, ticket_id=ticket_id)
        except AssistError as e:
            results[ticket_id] = str(e)
        if progress:
            progress(n, len(ticket_ids), f"Ticket #{ticket_id}")
    return results


def _retrieve(kb: KnowledgeBase, query: str, vector: npt.NDArray[np.float32], category: str | None) -> list[Hit]:
    hits = kb.search(query, k=ARTICLES, category=category, query_vector=vector)
    if category is not None and not hits:
        hits = kb.search(query, k=ARTICLES, query_vector=vector)
    return hits


def _article(kb: KnowledgeBase, hit: Hit) -> ArticleText:
    detail = kb.get_article(hit.article_id)
    return ArticleText(article_id=detail.id, title=detail.title, body=detail.body)
