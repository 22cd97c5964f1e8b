"""Assist runs: one computed `Assistance` per ticket version, stored with its draft in one transaction, and the
one rule that says whether a ticket's stored assistance is still current."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Engine, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from assist.domain import OPEN_STATUSES, Assistance, AuthorRole, Draft, Owner
from assist.store.db import session_scope
from assist.store.models import AssistRunRow, DraftRow, KbStateRow, MessageRow, TicketRow
from assist.store.tickets import owner_now
from assist.times import utcnow


def _newest_run_id() -> ColumnElement[int]:
    """The id of the ticket's newest run for its current version or an earlier one (correlated to the ticket)."""
    run = aliased(AssistRunRow)
    return (
        select(func.max(run.id))
        .where(run.ticket_id == TicketRow.id, run.ticket_version <= TicketRow.version)
        .correlate(TicketRow)
        .scalar_subquery()
    )


def is_current() -> ColumnElement[bool]:
    """Whether the run in the query (`AssistRunRow`) is its ticket's (`TicketRow`) current assistance: the
    ticket's newest run, retrieved from today's knowledge base (an article added a minute ago must show up),
    and either computed for this very version or since then only the team wrote (a reply, a note, a claim
    changes the version, not what the customer asked, so the panel reruns after Send without the models) with
    the same owner (a lead's take-over or return changes who the draft speaks for).

    The one rule: opening a ticket, the waiting list of the worker and the inbox, and `precompute` use it."""
    generation = select(KbStateRow.generation).where(KbStateRow.id == 1).scalar_subquery()
    customer_wrote_since = exists().where(
        MessageRow.ticket_id == TicketRow.id,
        MessageRow.author_role == AuthorRole.CUSTOMER.value,
        MessageRow.created_at > AssistRunRow.created_at,
    )
    return and_(
        AssistRunRow.ticket_id == TicketRow.id,
        AssistRunRow.id == _newest_run_id(),
        func.coalesce(AssistRunRow.result["kb_generation"].as_integer(), 0) == func.coalesce(generation, 0),
        or_(
            AssistRunRow.ticket_version == TicketRow.version,
            and_(
                func.coalesce(AssistRunRow.result["owner"].as_string(), Owner.TEAM.value) == owner_now(),
                ~customer_wrote_since,
            ),
        ),
    )


def current_assistance(session: Session, *, ticket_id: int) -> Assistance | None:
    """The ticket's stored assistance when it is current (`is_current`), else None (compute it again)."""
    result = session.scalar(
        select(AssistRunRow.result)
        .join(TicketRow, TicketRow.id == AssistRunRow.ticket_id)
        .where(TicketRow.id == ticket_id, is_current())
    )
    return Assistance.model_validate(result) if result else None


def lacking_assistance(
    engine: Engine, *, among: Sequence[int] | None = None, open_only: bool = True, limit: int | None = None
) -> list[int]:
    """Tickets whose assistance is not current (`is_current`), oldest first: open ones, or any with
    `open_only=False`; only those of `among` when given."""
    if among is not None and not among:
        return []
    current = exists().where(AssistRunRow.ticket_id == TicketRow.id, is_current())
    statement = select(TicketRow.id).where(~current).order_by(TicketRow.created_at, TicketRow.id)
    if open_only:
        statement = statement.where(TicketRow.status.in_(sorted(s.value for s in OPEN_STATUSES)))
    if among is not None:
        statement = statement.where(TicketRow.id.in_(list(among)))
    if limit is not None:
        statement = statement.limit(limit)
    with session_scope(engine) as session:
        return list(session.scalars(statement))


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
            band=draft.band.value,
            sources=list(draft.sources),
            model=draft.model,
            mode=draft.mode.value,
            reused_from=draft.reused_from,
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
