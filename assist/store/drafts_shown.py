"""Drafts shown as SQL keeps them: the first time an agent had each draft in front of them, and what became of
each such draft (the reply that started from it, the ticket's later course) for the draft funnel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assist.domain import ConfidenceBand, TicketStatus
from assist.store.models import CsatRow, DraftRow, DraftViewRow, ReplyRow, StatusChangeRow, TicketRow, UserRow

__all__ = ["ShownDraft", "note_shown", "shown_drafts"]


@dataclass(frozen=True, slots=True)
class ShownDraft:
    """One draft an agent was shown, and its course: the reply sent from it (if any) and the ticket after."""

    draft_id: int
    ticket_id: int
    shown_at: datetime
    shown_to: str  # the agent's name ("" when the account is gone)
    shown_to_id: int | None
    category: str
    confidence: float
    band: ConfidenceBand  # the badge it was shown with
    mode: str  # offline | llm
    sources: tuple[str, ...]
    reused_from: int | None  # the earlier ticket whose sent reply the draft is built on
    sent_distance: int | None  # the reply that started from it: its edit distance and ratio; None: none did
    sent_ratio: float | None
    sent: bool
    moved_on: bool  # not sent, and since it was shown the ticket went on without it (a reply, a newer draft, an
    # escalation or a resolution)
    reopened: bool  # reopened after the reply that started from it
    csat: float | None  # ratings after that reply, mean


def note_shown(session: Session, *, draft_id: int, ticket_id: int, user_id: int, at: datetime) -> None:
    """Record that `user_id` has the draft in front of them, unless someone had it first (a no-op then, also when
    two tabs race). Looked up first: opening a ticket again, the common case, writes nothing."""
    if session.get(DraftViewRow, draft_id) is not None:
        return
    dialect_insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        dialect_insert(DraftViewRow)
        .values(draft_id=draft_id, ticket_id=ticket_id, shown_to_id=user_id, shown_at=at)
        .on_conflict_do_nothing(index_elements=[DraftViewRow.draft_id])
    )


def shown_drafts(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    categories: tuple[str, ...] = (),
    agent_id: int | None = None,
) -> list[ShownDraft]:
    """Every draft first shown from `start` up to `end`, with what became of it, in one query."""
    view, draft, ticket = DraftViewRow, DraftRow, TicketRow
    first_reply = (
        select(ReplyRow.draft_id, func.min(ReplyRow.id).label("reply_id"))
        .where(ReplyRow.draft_id.is_not(None))
        .group_by(ReplyRow.draft_id)
        .subquery()
    )
    reply = ReplyRow.__table__.alias("sent_reply")
    other_reply = ReplyRow.__table__.alias("other_reply")
    newer_draft = DraftRow.__table__.alias("newer_draft")
    replied_without = exists().where(
        other_reply.c.ticket_id == view.ticket_id,
        other_reply.c.sent_at >= view.shown_at,
        or_(other_reply.c.draft_id.is_(None), other_reply.c.draft_id != view.draft_id),
    )
    superseded = exists().where(newer_draft.c.ticket_id == view.ticket_id, newer_draft.c.id > view.draft_id)
    # What happened since it was shown, not where the ticket stands now: a reopen or a lead's return cannot send
    # a draft back to "not acted on yet".
    closed_after = exists().where(
        StatusChangeRow.ticket_id == view.ticket_id,
        StatusChangeRow.to_status.in_((TicketStatus.RESOLVED.value, TicketStatus.ESCALATED.value)),
        StatusChangeRow.changed_at >= view.shown_at,
    )
    reopened = exists().where(
        StatusChangeRow.ticket_id == view.ticket_id,
        StatusChangeRow.to_status == TicketStatus.REOPENED.value,
        StatusChangeRow.changed_at >= reply.c.sent_at,
    )
    csat = (
        select(func.avg(CsatRow.score))
        .where(CsatRow.ticket_id == view.ticket_id, CsatRow.responded_at >= reply.c.sent_at)
        .scalar_subquery()
    )
    query = (
        select(
            view.draft_id,
            view.ticket_id,
            view.shown_at,
            view.shown_to_id,
            UserRow.name.label("agent"),
            ticket.category,
            draft.confidence,
            draft.band,
            draft.mode,
            draft.sources,
            draft.reused_from,
            reply.c.id.label("reply_id"),
            reply.c.edit_distance,
            reply.c.edit_ratio,
            replied_without.label("replied_without"),
            superseded.label("superseded"),
            closed_after.label("closed_after"),
            and_(reply.c.id.is_not(None), reopened).label("reopened"),
            csat.label("csat"),
        )
        .join(draft, draft.id == view.draft_id)
        .join(ticket, ticket.id == view.ticket_id)
        .outerjoin(UserRow, UserRow.id == view.shown_to_id)
        .outerjoin(first_reply, first_reply.c.draft_id == view.draft_id)
        .outerjoin(reply, reply.c.id == first_reply.c.reply_id)
        .where(view.shown_at >= start, view.shown_at < end)
        .order_by(view.draft_id)
    )
    if categories:
        query = query.where(ticket.category.in_(categories))
    if agent_id is not None:
        query = query.where(view.shown_to_id == agent_id)
    return [
        ShownDraft(
            draft_id=r.draft_id,
            ticket_id=r.ticket_id,
            shown_at=r.shown_at,
            shown_to=r.agent or "",
            shown_to_id=r.shown_to_id,
            category=r.category or "uncategorised",
            confidence=r.confidence,
            band=ConfidenceBand(r.band),
            mode=r.mode,
            sources=tuple(r.sources or ()),
            reused_from=r.reused_from,
            sent=r.reply_id is not None,
            sent_distance=r.edit_distance,
            sent_ratio=r.edit_ratio,
            moved_on=r.reply_id is None and bool(r.replied_without or r.superseded or r.closed_after),
            reopened=bool(r.reopened),
            csat=float(r.csat) if r.csat is not None else None,
        )
        for r in session.execute(query)
    ]
