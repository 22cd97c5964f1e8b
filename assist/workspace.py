"""The agent's actions on a ticket: send (exactly once per ticket version), note, escalate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rapidfuzz.distance import Levenshtein
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from assist.config import Settings
from assist.csat import issue_token, survey_url
from assist.delivery import channel, deliver_due, transport
from assist.domain import (
    Assistance,
    AuthorRole,
    Delivery,
    Escalation,
    EscalationPriority,
    HandoffPackage,
    MessageSentiment,
    Queue,
    Role,
    SentReply,
    TicketStatus,
    User,
    Workspace,
)
from assist.errors import ConcurrencyError, InvalidTransitionError, NotFoundError, ValidationError
from assist.handoff import build_handoff
from assist.lifecycle import transition
from assist.pipeline import Assistant
from assist.sentiment import analyze
from assist.store import audit
from assist.store.db import session_scope
from assist.store.models import DraftRow, EscalationRow, OutboxRow, ReplyRow, TicketRow
from assist.store.tickets import add_message, clean_body, ticket_detail
from assist.users import require


@contextmanager
def _ticket_at_version(engine: Engine, ticket_id: int, expected_version: int) -> Iterator[tuple[Session, TicketRow]]:
    """A unit of work on one ticket that fails with "changed — reload" if anyone else got there first."""
    try:
        with session_scope(engine) as session:
            ticket = session.get(TicketRow, ticket_id)
            if ticket is None:
                raise NotFoundError(f"Ticket #{ticket_id} does not exist. Reload the inbox.")
            if ticket.version != expected_version:
                raise _changed(ticket_id)
            yield session, ticket
            session.flush()  # the UPDATE carries `WHERE version = expected`: a concurrent writer loses here
    except StaleDataError as e:
        raise _changed(ticket_id) from e


def _changed(ticket_id: int) -> ConcurrencyError:
    return ConcurrencyError(f"Ticket #{ticket_id} changed since you opened it — reload to see the latest version.")


def send_reply(
    engine: Engine,
    *,
    ticket_id: int,
    expected_version: int,
    text: str,
    draft_id: int | None,
    actor: User,
    resolve: bool,
    settings: Settings,
) -> SentReply:
    """Store the reply with the draft it started from, move the ticket on, queue it for delivery, deliver.

    Raises:
        ValidationError: empty or too long.
        ConcurrencyError: the ticket changed since `expected_version` (someone else replied first).
        InvalidTransitionError: the ticket is resolved; reopen it first.
    """
    require(actor, Role.AGENT, Role.LEAD, action="reply to customers")
    body = clean_body(text, max_chars=settings.max_message_chars)
    survey = None
    if resolve:  # the customer gets a CSAT link with the reply that resolves their ticket
        survey = survey_url(issue_token(engine, ticket_id=ticket_id, settings=settings), settings)
    with _ticket_at_version(engine, ticket_id, expected_version) as (session, ticket):
        status = TicketStatus(ticket.status)
        if status is TicketStatus.RESOLVED:
            raise InvalidTransitionError(f"Ticket #{ticket_id} is resolved. Reopen it before replying.")
        message = add_message(
            session,
            ticket=ticket,
            role=AuthorRole.AGENT,
            body=body,
            actor=actor.email,
            max_chars=settings.max_message_chars,
        )
        message.author_user_id = actor.id
        draft = session.get(DraftRow, draft_id) if draft_id is not None else None
        if draft is not None and draft.ticket_id != ticket_id:
            raise ValidationError("That draft belongs to another ticket. Regenerate the draft and try again.")
        distance = Levenshtein.distance(draft.text, body) if draft else None
        session.add(
            ReplyRow(
                ticket_id=ticket_id,
                message_id=message.id,
                draft_id=draft.id if draft else None,
                draft_text=draft.text if draft else None,
                sent_text=body,
                edit_distance=distance,
                sent_as_drafted=distance == 0,
                sent_by_id=actor.id,
            )
        )
        target = TicketStatus.RESOLVED if resolve else TicketStatus.AWAITING_CUSTOMER
        if status is not target:
            transition(session, ticket=ticket, to=target, actor=actor.email, reason="reply sent")
        if ticket.assignee_id is None:
            ticket.assignee_id = actor.id
        outbox = OutboxRow(
            ticket_id=ticket_id,
            message_id=message.id,
            channel=channel(settings),
            recipient=ticket.customer.email,
            subject=ticket.subject,
            body=f"{body}\n\nHow did we do? Rate this reply: {survey}" if survey else body,
        )
        session.add(outbox)
        audit.record(
            session,
            actor=actor.email,
            action="reply.send",
            entity_type="ticket",
            entity_id=ticket_id,
            detail={"message_id": message.id, "draft_id": draft_id, "edit_distance": distance, "resolved": resolve},
        )
        session.flush()
        outbox_id, message_id = outbox.id, message.id
    deliver_due(engine, send=transport(settings), max_attempts=settings.delivery_max_attempts)
    with session_scope(engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        delivery = session.get_one(OutboxRow, outbox_id).status
        return SentReply(
            ticket_id=ticket_id,
            message_id=message_id,
            ticket_version=ticket.version,
            status=TicketStatus(ticket.status),
            edit_distance=distance,
            sent_as_drafted=distance == 0,
            delivery_status=delivery,
            survey_url=survey,
        )


def add_note(engine: Engine, *, ticket_id: int, text: str, actor: User, settings: Settings) -> None:
    """An internal note: visible to the team, never sent to the customer. Does not need the latest version."""
    require(actor, Role.AGENT, Role.LEAD, action="add notes")
    body = clean_body(text, max_chars=settings.max_message_chars)
    with session_scope(engine) as session:
        ticket = session.get(TicketRow, ticket_id)
        if ticket is None:
            raise NotFoundError(f"Ticket #{ticket_id} does not exist.")
        message = add_message(session, ticket=ticket, role=AuthorRole.NOTE, body=body, actor=actor.email)
        message.author_user_id = actor.id


def deliveries(engine: Engine, *, ticket_id: int) -> dict[int, Delivery]:
    """Delivery state of every sent reply of the ticket, by message id."""
    with session_scope(engine) as session:
        rows = session.scalars(select(OutboxRow).where(OutboxRow.ticket_id == ticket_id)).all()
        return {
            r.message_id: Delivery(
                message_id=r.message_id, outbox_id=r.id, status=r.status, attempts=r.attempts, last_error=r.last_error
            )
            for r in rows
        }


def handoff_preview(assistant: Assistant, *, assistance: Assistance, note: str = "") -> HandoffPackage:
    """The package a lead would receive, without changing anything."""
    with session_scope(assistant.engine) as session:
        ticket = ticket_detail(session, ticket_id=assistance.ticket_id)
    customer = [m for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER]
    probabilities = assistant.sentiment.predict([m.body for m in customer])
    trend = [
        MessageSentiment(
            message_id=m.id,
            created_at=m.created_at,
            level=(s := analyze(p, text=m.body, model=assistant.sentiment.name)).level,
            score=s.score,
        )
        for m, p in zip(customer, probabilities, strict=True)
    ]
    escalation = assistance.escalation
    if not escalation.suggest:  # the agent escalates although the policy did not suggest it
        escalation = Escalation(
            suggest=True,
            reasons=("Escalated by the agent",),
            priority=EscalationPriority.MEDIUM,
            queue=Queue.TIER2,
            suggested_action="Read the agent's note and take over.",
        )
    if note.strip():
        escalation = escalation.model_copy(update={"reasons": (*escalation.reasons, f"Agent's note: {note.strip()}")})
    return build_handoff(
        ticket=ticket, sentiment_trend=trend, escalation=escalation, draft=assistance.draft, articles=assistance.hits
    )


def escalate(
    assistant: Assistant, *, assistance: Assistance, expected_version: int, actor: User, note: str = ""
) -> int:
    """Store the handoff package, move the ticket to escalated and into the lead queue. Returns its id."""
    require(actor, Role.AGENT, Role.LEAD, action="escalate tickets")
    package = handoff_preview(assistant, assistance=assistance, note=note)
    with _ticket_at_version(assistant.engine, assistance.ticket_id, expected_version) as (session, ticket):
        summary = "; ".join(package.reasons)
        message = add_message(
            session,
            ticket=ticket,
            role=AuthorRole.NOTE,
            actor=actor.email,
            body=f"Escalated to {package.queue.value}: {summary}",
        )
        message.author_user_id = actor.id
        row = EscalationRow(
            ticket_id=ticket.id,
            reasons=list(package.reasons),
            priority=package.priority.value,
            queue=package.queue.value,
            suggested_action=package.suggested_action,
            package=package.model_dump(mode="json"),
            created_by_id=actor.id,
        )
        session.add(row)
        transition(session, ticket=ticket, to=TicketStatus.ESCALATED, actor=actor.email, reason=summary)
        session.flush()
        audit.record(
            session,
            actor=actor.email,
            action="ticket.escalate",
            entity_type="ticket",
            entity_id=ticket.id,
            detail={"escalation_id": row.id, "queue": row.queue, "priority": row.priority},
        )
        return row.id


def open_workspace(assistant: Assistant, *, ticket_id: int, regenerate: bool = False) -> Workspace:
    """The ticket, its assistance for the current version (precomputed when possible) and delivery states."""
    from assist.pipeline import assist, latest

    assistance = None if regenerate else latest(assistant.engine, ticket_id=ticket_id)
    fresh = assistance is None
    if assistance is None:
        assistance = assist(assistant, ticket_id=ticket_id)
    with session_scope(assistant.engine) as session:
        ticket = ticket_detail(session, ticket_id=ticket_id)
    return Workspace(
        ticket=ticket, assistance=assistance, deliveries=deliveries(assistant.engine, ticket_id=ticket_id), fresh=fresh
    )
