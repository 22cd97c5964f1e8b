"""What the customer's history says about a ticket: repeat contacts, waiting time, past escalations,
and whether the team owes the customer a reply."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from assist.domain import AuthorRole, Category, ContactHistory, Message, TicketDetail
from assist.store.customers import earlier_tickets, escalated_before
from assist.times import utcnow
from assist.topics import TopicMatch

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
    """Earlier tickets of this customer about the same issue: with `topic`, an opening that means the same thing;
    without it, the same intent label (or, without one, the same category)."""
    now = now or utcnow()
    earlier = earlier_tickets(
        session,
        customer_id=ticket.customer.id,
        ticket_id=ticket.id,
        since=ticket.created_at - SAME_ISSUE_WINDOW,
        before=ticket.created_at,
    )
    similar = (
        topic.similar(session, [ticket_id for ticket_id, _, _ in earlier]) if topic is not None and earlier else {}
    )
    same_issue = 0
    for ticket_id, intent_then, category_then in earlier:
        # By meaning when the ticket's topic is known: a shared intent label alone once made "you've contacted us
        # before" greet first questions whose earlier tickets were about something else.
        if topic is not None:
            same_issue += topic.same_issue(similar.get(ticket_id, 0.0))
        elif (intent and intent_then == intent) or (
            not intent and category is not None and category_then == category.value
        ):
            same_issue += 1
    return ContactHistory(
        earlier_contacts_same_issue=same_issue,
        hours_waiting=round(_hours_waiting(ticket, now), 1),
        unanswered_messages=unanswered_messages(ticket),
        previously_escalated=escalated_before(session, customer_id=ticket.customer.id, ticket_id=ticket.id),
        is_vip=ticket.customer.is_vip,
    )


def needs_reply(ticket: TicketDetail) -> bool:
    """A customer message came after the team's last reply (or no one has replied yet)."""
    for message in reversed(ticket.messages):
        if message.author_role is AuthorRole.CUSTOMER:
            return True
        if message.author_role is AuthorRole.AGENT:
            return False
    return False


def last_reply(ticket: TicketDetail) -> Message | None:
    """The team's latest reply to the customer (notes are not replies)."""
    return next((m for m in reversed(ticket.messages) if m.author_role is AuthorRole.AGENT), None)


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
