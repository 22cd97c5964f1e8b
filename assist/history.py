"""What the customer's history says about a ticket: repeat contacts, waiting time, past escalations."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from assist.domain import AuthorRole, Category, ContactHistory, TicketDetail
from assist.store.models import EscalationRow, TicketRow, utcnow

SAME_ISSUE_WINDOW = timedelta(days=90)


def contact_history(
    session: Session,
    *,
    ticket: TicketDetail,
    category: Category | None,
    intent: str | None = None,
    now: datetime | None = None,
) -> ContactHistory:
    """Earlier tickets of this customer about the same issue (same intent when known, else same category)."""
    now = now or utcnow()
    same_issue = 0
    topic: ColumnElement[bool] | None = None
    if intent:
        topic = TicketRow.intent == intent
    elif category is not None:
        topic = TicketRow.category == category.value
    if topic is not None:
        same_issue = (
            session.scalar(
                select(func.count()).where(
                    TicketRow.customer_id == ticket.customer.id,
                    TicketRow.id != ticket.id,
                    TicketRow.created_at < ticket.created_at,
                    TicketRow.created_at >= ticket.created_at - SAME_ISSUE_WINDOW,
                    topic,
                )
            )
            or 0
        )
    escalated_before = bool(
        session.scalar(
            select(func.count())
            .select_from(EscalationRow)
            .join(TicketRow, TicketRow.id == EscalationRow.ticket_id)
            .where(TicketRow.customer_id == ticket.customer.id, TicketRow.id != ticket.id)
        )
    )
    return ContactHistory(
        earlier_contacts_same_issue=same_issue,
        hours_waiting=round(_hours_waiting(ticket, now), 1),
        previously_escalated=escalated_before,
        is_vip=ticket.customer.is_vip,
    )


def _hours_waiting(ticket: TicketDetail, now: datetime) -> float:
    """Since the first customer message that no agent has answered yet."""
    waiting_since = None
    for message in ticket.messages:
        if message.author_role is AuthorRole.AGENT:
            waiting_since = None
        elif message.author_role is AuthorRole.CUSTOMER and waiting_since is None:
            waiting_since = message.created_at
    return max(0.0, (now - waiting_since).total_seconds() / 3600) if waiting_since else 0.0


def unanswered_text(ticket: TicketDetail, *, max_chars: int = 2000) -> str:
    """The customer's words since the last agent reply (what the reply must answer)."""
    pending: list[str] = []
    for message in ticket.messages:
        if message.author_role is AuthorRole.AGENT:
            pending = []
        elif message.author_role is AuthorRole.CUSTOMER:
            pending.append(message.body)
    if not pending:  # nothing unanswered: use the whole customer side
        pending = [m.body for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER]
    return "\n\n".join(pending)[-max_chars:]


def retrieval_query(ticket: TicketDetail, *, max_chars: int = 1000) -> str:
    """Subject + the unanswered words; a short follow-up ("still broken") gets the first message as context."""
    text = unanswered_text(ticket)
    if len(text.split()) < 12:
        first = next((m.body for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER), "")
        if first and first not in text:
            text = f"{first}\n{text}"
    return f"{ticket.subject}\n{text}"[:max_chars]
