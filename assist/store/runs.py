"""Assist runs: one computed `Assistance` per ticket version, stored with its draft in one transaction."""

from __future__ import annotations

from sqlalchemy import Engine, func, select, update

from assist.domain import Assistance, AuthorRole, Draft
from assist.store.db import session_scope
from assist.store.models import AssistRunRow, DraftRow, MessageRow, TicketRow, utcnow


def save_run(engine: Engine, *, assistance: Assistance) -> Assistance:
    """Store the draft, the run (with the whole result, for instant re-open) and the ticket's derived
    priority and category, all in one transaction. Returns the assistance with its stored ids."""
    draft = assistance.draft
    with session_scope(engine) as session:
        draft_row = DraftRow(
            ticket_id=assistance.ticket_id,
            ticket_version=assistance.ticket_version,
            text=draft.text,
            confidence=draft.confidence,
            raw_confidence=draft.raw_confidence,
            sources=list(draft.sources),
            model=draft.model,
            mode=draft.mode.value,
        )
        session.add(draft_row)
        session.flush()
        run = AssistRunRow(
            ticket_id=assistance.ticket_id,
            ticket_version=assistance.ticket_version,
            draft_id=draft_row.id,
            mode=draft.mode.value,
            model=draft.model,
            confidence=draft.confidence,
            top_score=assistance.hits[0].score if assistance.hits else None,
            category=assistance.triage.category.value,
            category_confidence=assistance.triage.category_confidence,
            intent=assistance.triage.intent,
            sentiment_level=assistance.sentiment.level.value,
            sentiment_score=assistance.sentiment.score,
            frustration=assistance.sentiment.frustration,
            priority=assistance.priority,
            escalate=assistance.escalation.suggest,
            queue=assistance.escalation.queue.value,
            reasons=list(assistance.escalation.reasons),
            tokens=draft.tokens,
            cost_usd=draft.cost_usd,
            latency_ms=assistance.timings_ms.get("total", 0.0),
            steps_ms=assistance.timings_ms,
            created_at=utcnow(),
        )
        session.add(run)
        session.flush()
        stored = assistance.model_copy(
            update={"run_id": run.id, "draft_id": draft_row.id, "created_at": run.created_at}
        )
        run.result = stored.model_dump(mode="json")
        # Keep the inbox's priority and category in step with the panels. A Core UPDATE leaves the
        # ticket's version alone: this is derived data, not an edit that should conflict with an agent.
        session.execute(
            update(TicketRow)
            .where(TicketRow.id == assistance.ticket_id)
            .values(
                priority=assistance.priority, category=func.coalesce(TicketRow.category, stored.triage.category.value)
            )
            .execution_options(synchronize_session=False)
        )
    return stored


def latest_run(engine: Engine, *, ticket_id: int, version: int | None = None) -> Assistance | None:
    """The newest stored assistance for the ticket's version (`version`, or the current one)."""
    with session_scope(engine) as session:
        if version is None:
            version = session.scalar(select(TicketRow.version).where(TicketRow.id == ticket_id))
        row = session.scalars(
            select(AssistRunRow)
            .where(AssistRunRow.ticket_id == ticket_id, AssistRunRow.ticket_version == version)
            .order_by(AssistRunRow.id.desc())
            .limit(1)
        ).first()
        return Assistance.model_validate(row.result) if row is not None and row.result else None


def stored_run(engine: Engine, *, run_id: int) -> Assistance | None:
    with session_scope(engine) as session:
        row = session.get(AssistRunRow, run_id)
        return Assistance.model_validate(row.result) if row is not None and row.result else None


def stored_draft(engine: Engine, *, external_id: str, newest: str) -> Draft | None:
    """The draft stored last for the ticket with this external id, when its newest customer message is `newest`
    (a label is about one message: after the customer writes again it no longer applies)."""
    with session_scope(engine) as session:
        ticket_id = session.scalar(select(TicketRow.id).where(TicketRow.external_id == external_id))
        if ticket_id is None:
            return None
        body = session.scalar(
            select(MessageRow.body)
            .where(MessageRow.ticket_id == ticket_id, MessageRow.author_role == AuthorRole.CUSTOMER.value)
            .order_by(MessageRow.id.desc())
            .limit(1)
        )
        if body is None or body.strip() != newest.strip():
            return None
        row = session.scalars(
            select(AssistRunRow).where(AssistRunRow.ticket_id == ticket_id).order_by(AssistRunRow.id.desc()).limit(1)
        ).first()
        return Assistance.model_validate(row.result).draft if row is not None and row.result else None
