"""The agent's sent replies: what the draft offered, what went out, and the edit between them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist.domain import AuthorRole
from assist.errors import ValidationError
from assist.store.models import DraftRow, MessageRow, ReplyRow


@dataclass(frozen=True)
class LastReply:
    words: str  # as the agent typed them (a resolving reply's thread copy also carries the survey link)
    at: datetime


def last_agent_reply(session: Session, *, ticket_id: int) -> LastReply | None:
    """The newest agent message on the ticket, in the agent's own words where a reply recorded them."""
    last = session.execute(
        select(MessageRow.body, MessageRow.created_at, ReplyRow.sent_text)
        .outerjoin(ReplyRow, ReplyRow.message_id == MessageRow.id)
        .where(MessageRow.ticket_id == ticket_id, MessageRow.author_role == AuthorRole.AGENT.value)
        .order_by(MessageRow.id.desc())
        .limit(1)
    ).first()
    return None if last is None else LastReply(words=last.sent_text or last.body, at=last.created_at)


def answered_message_id(session: Session, *, ticket_id: int) -> str | None:
    """The newest customer email's Message-ID, so a mailed reply stays in the customer's thread."""
    key = session.scalar(
        select(MessageRow.external_id)
        .where(MessageRow.ticket_id == ticket_id, MessageRow.author_role == AuthorRole.CUSTOMER.value)
        .order_by(MessageRow.created_at.desc(), MessageRow.id.desc())
        .limit(1)
    )
    return key if key and key.startswith("<") and key.endswith(">") else None


def draft_text(session: Session, *, draft_id: int, ticket_id: int) -> str | None:
    """The stored draft's text (None when it is gone).

    Raises:
        ValidationError: the draft was made for another ticket.
    """
    draft = session.get(DraftRow, draft_id)
    if draft is not None and draft.ticket_id != ticket_id:
        raise ValidationError("That draft belongs to another ticket. Regenerate the draft and try again.")
    return None if draft is None else draft.text


def record_reply(
    session: Session,
    *,
    ticket_id: int,
    message_id: int,
    draft_id: int | None,
    draft_text: str | None,
    sent_text: str,
    edit_distance: int | None,
    edit_ratio: float | None,
    sent_by_id: int,
) -> None:
    """Keep the reply beside the draft it started from (the confidence's recalibration and the funnel read it)."""
    session.add(
        ReplyRow(
            ticket_id=ticket_id,
            message_id=message_id,
            draft_id=draft_id,
            draft_text=draft_text,
            sent_text=sent_text,
            edit_distance=edit_distance,
            edit_ratio=edit_ratio,
            sent_as_drafted=edit_distance == 0,
            sent_by_id=sent_by_id,
        )
    )
