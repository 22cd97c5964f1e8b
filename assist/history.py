"""What the customer's history says about a ticket: repeat contacts, waiting time, past escalations,
and whether the team owes the customer a reply."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assist.domain import AuthorRole, Category, ContactHistory, TicketDetail
from assist.store.models import EscalationRow, TicketRow, utcnow
from assist.topics import TopicMatch

SHORT_FOLLOW_UP = 25  # words: a follow-up this short leans on what came before it

SAME_ISSUE_WINDOW = timedelta(days=90)


def contact_history(
    session: Session,
    *,
    ticket: TicketDetail,
    category: Category | None,
    intent: str | None = None,
    topic: TopicMatch | None = None,
    now: datetime | None = None,
) -> ContactHistory:
    """Earlier tickets of this customer about the same issue: the same intent label, or (with `topic`)
    an opening that means the same thing. Without either, the same category counts."""
    now = now or utcnow()
    earlier = session.execute(
        select(TicketRow.id, TicketRow.intent, TicketRow.category).where(
            TicketRow.customer_id == ticket.customer.id,
            TicketRow.id != ticket.id,
            TicketRow.created_at < ticket.created_at,
            TicketRow.created_at >= ticket.created_at - SAME_ISSUE_WINDOW,
        )
    ).all()
    similar = topic.similar(session, [row.id for row in earlier]) if topic is not None and earlier else {}
    same_issue = 0
    for row in earlier:
        if intent and row.intent == intent:
            same_issue += 1
        elif topic is not None:
            same_issue += topic.same_issue(similar.get(row.id, 0.0), same_category=row.category == _value(category))
        elif not intent and category is not None and row.category == category.value:
            same_issue += 1
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
        unanswered_messages=unanswered_messages(ticket),
        previously_escalated=escalated_before,
        is_vip=ticket.customer.is_vip,
    )


def _value(category: Category | None) -> str | None:
    return category.value if category is not None else None


def needs_reply(ticket: TicketDetail) -> bool:
    """A customer message came after the team's last reply (or no one has replied yet)."""
    for message in reversed(ticket.messages):
        if message.author_role is AuthorRole.CUSTOMER:
            return True
        if message.author_role is AuthorRole.AGENT:
            return False
    return False


def unanswered_messages(ticket: TicketDetail) -> int:
    """Customer messages since the team's last reply."""
    count = 0
    for message in ticket.messages:
        if message.author_role is AuthorRole.AGENT:
            count = 0
        elif message.author_role is AuthorRole.CUSTOMER:
            count += 1
    return count


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


def last_agent_reply(ticket: TicketDetail) -> str:
    return next((m.body for m in reversed(ticket.messages) if m.author_role is AuthorRole.AGENT), "")


def retrieval_query(ticket: TicketDetail, *, max_chars: int = 1000) -> str:
    """Subject + the unanswered words. A short follow-up ("still nothing, when will it arrive?") gets the first
    message and the agent's last reply as context: its "it" is what they were about."""
    text = unanswered_text(ticket)
    if len(text.split()) < SHORT_FOLLOW_UP:
        first = next((m.body for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER), "")
        context = [part for part in (first, last_agent_reply(ticket)) if part and part not in text]
        text = "\n".join([*context, text])
    return f"{ticket.subject}\n{text}"[:max_chars]
