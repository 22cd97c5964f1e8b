"""The team's sent replies as the similar-tickets index reads them, and how each ticket ended."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assist.domain import TicketStatus
from assist.store.models import ArticleRow, CsatRow, DraftRow, MessageRow, ReplyRow, StatusChangeRow, TicketRow


@dataclass(frozen=True)
class SentReply:
    reply_id: int
    ticket_id: int
    message_id: int
    text: str  # the agent's words as sent (without the survey link)


@dataclass(frozen=True)
class Ending:
    """How a ticket ended: resolved (now or once), reopened after a resolution, its newest CSAT score."""

    ticket_id: int
    subject: str
    status: TicketStatus
    resolved: bool
    reopened: bool
    csat_score: int | None


def reply_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ReplyRow)) or 0


def reply_ids(session: Session) -> set[int]:
    return set(session.scalars(select(ReplyRow.id)))


def sent_replies(
    session: Session, *, ticket_ids: Collection[int] | None = None, reply_ids: Collection[int] | None = None
) -> list[SentReply]:
    """Sent replies, oldest first: of these tickets, or with these ids (all of them when neither is given)."""
    query = select(ReplyRow.id, ReplyRow.ticket_id, ReplyRow.message_id, ReplyRow.sent_text).order_by(ReplyRow.id)
    if ticket_ids is not None:
        query = query.where(ReplyRow.ticket_id.in_(ticket_ids))
    if reply_ids is not None:
        query = query.where(ReplyRow.id.in_(reply_ids))
    return [SentReply(*row) for row in session.execute(query)]


def draft_articles(
    session: Session, *, reply_ids: Collection[int], light: float
) -> dict[int, list[tuple[str, str | None]]]:
    """For each of these replies sent from a draft as drafted or with an edit ratio of at most `light`: the
    articles that draft cited, in its order, as (title, url), those the knowledge base still holds."""
    if not reply_ids:
        return {}
    rows = session.execute(
        select(ReplyRow.id, ReplyRow.sent_as_drafted, ReplyRow.edit_ratio, DraftRow.sources)
        .join(DraftRow, DraftRow.id == ReplyRow.draft_id)
        .where(ReplyRow.id.in_(reply_ids))
    ).all()
    cited = {
        reply_id: [str(a) for a in sources]
        for reply_id, as_drafted, ratio, sources in rows
        if as_drafted or (ratio is not None and ratio <= light)
    }
    wanted = {a for ids in cited.values() for a in ids}
    held = {
        article_id: (title, url)
        for article_id, title, url in session.execute(
            select(ArticleRow.id, ArticleRow.title, ArticleRow.url).where(ArticleRow.id.in_(wanted))
        )
    }
    return {reply_id: [held[a] for a in ids if a in held] for reply_id, ids in cited.items()}


def endings(session: Session, *, ticket_ids: Collection[int]) -> dict[int, Ending]:
    """How each ticket ended, read now (a reopen or a CSAT response since the send shows at once)."""
    if not ticket_ids:
        return {}
    tickets = session.execute(
        select(TicketRow.id, TicketRow.subject, TicketRow.status).where(TicketRow.id.in_(ticket_ids))
    )
    moves = session.execute(
        select(StatusChangeRow.ticket_id, StatusChangeRow.to_status)
        .where(
            StatusChangeRow.ticket_id.in_(ticket_ids),
            StatusChangeRow.to_status.in_([TicketStatus.RESOLVED.value, TicketStatus.REOPENED.value]),
        )
        .distinct()
    ).all()
    csat = dict(
        session.execute(
            select(CsatRow.ticket_id, CsatRow.score)
            .where(CsatRow.ticket_id.in_(ticket_ids))
            .order_by(CsatRow.responded_at, CsatRow.id)  # the newest response last: it wins below
        ).all()
    )
    reached = {(ticket_id, status) for ticket_id, status in moves}
    return {
        ticket_id: Ending(
            ticket_id=ticket_id,
            subject=subject,
            status=TicketStatus(status),
            resolved=status == TicketStatus.RESOLVED.value or (ticket_id, TicketStatus.RESOLVED.value) in reached,
            reopened=(ticket_id, TicketStatus.REOPENED.value) in reached,
            csat_score=csat.get(ticket_id),
        )
        for ticket_id, subject, status in tickets
    }


def resolved_with_category(session: Session) -> list[tuple[str, str, str, str | None]]:
    """(subject, first message, category, intent) of every resolved ticket that carries a category: the
    workspace's own labelled history, which triage learns from."""
    first_message = (
        select(MessageRow.body).where(MessageRow.ticket_id == TicketRow.id).order_by(MessageRow.id).limit(1)
    ).scalar_subquery()
    rows = session.execute(
        select(TicketRow.subject, first_message, TicketRow.category, TicketRow.intent).where(
            TicketRow.status == TicketStatus.RESOLVED.value, TicketRow.category.is_not(None)
        )
    )
    return [(subject, body, category, intent) for subject, body, category, intent in rows]
