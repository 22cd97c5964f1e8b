"""The team lead's escalation queue: list, take over, reassign, return to tier 1, resolve.

An escalation's owner is its ticket's assignee (one notion of owner). Every action goes through the
ticket's version guard, so two leads acting at once get "changed — reload" instead of both "ok".
"""

from __future__ import annotations

from sqlalchemy import Engine

from assist.domain import AGENT_NOTE, AuthorRole, EscalationItem, Queue, Role, TicketStatus, User
from assist.errors import ValidationError
from assist.escalation import PRIORITY_ORDER
from assist.ownership import confirm_takeover
from assist.store import audit
from assist.store.accounts import account
from assist.store.actors import require
from assist.store.db import session_scope
from assist.store.escalations import active_reasons, edit_escalation, escalation_items
from assist.store.status import transition
from assist.store.tickets import add_message
from assist.text import is_blank
from assist.times import utcnow


def list_escalations(
    engine: Engine, *, queue: Queue | None = None, reason: str | None = None, include_closed: bool = False
) -> list[EscalationItem]:
    """Most urgent first: priority, then the longest wait."""
    with session_scope(engine) as session:
        items = escalation_items(session, queue=queue, include_closed=include_closed, now=utcnow())
    if reason:
        items = [i for i in items if any(reason.lower() in r.lower() for r in i.reasons)]
    return sorted(items, key=lambda i: (-PRIORITY_ORDER.index(i.priority), i.created_at))


def reasons_in_queue(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        rows = active_reasons(session)
    return sorted({r for reasons in rows for r in reasons if not r.startswith(AGENT_NOTE)})


def take_over(
    engine: Engine, *, escalation_id: int, expected_version: int, actor: User, confirm_owner: int | None = None
) -> int:
    """The lead owns the ticket now; returns the ticket id to open.

    Raises:
        OwnershipError: someone other than the lead and the agent who escalated owns it, and
            `confirm_owner` does not name that person (the lead has not confirmed).
    """
    require(actor, Role.LEAD, action="take over escalations")
    with edit_escalation(engine, escalation_id=escalation_id, expected_version=expected_version, actor=actor) as (
        session,
        row,
        ticket,
    ):
        owner = ticket.assignee_id
        confirm_takeover(
            session,
            ticket_id=ticket.id,
            owner_id=owner,
            confirm_owner=confirm_owner,
            free_to_take_from=(actor.id, row.created_by_id),
        )
        row.state, ticket.assignee_id = "taken", actor.id
        audit.record(
            session,
            actor=actor.email,
            action="escalation.take_over",
            entity_type="ticket",
            entity_id=ticket.id,
            detail={"escalation_id": escalation_id, "from_owner": owner},
        )
        return ticket.id


def reassign(engine: Engine, *, escalation_id: int, expected_version: int, to_user_id: int, actor: User) -> None:
    require(actor, Role.LEAD, action="reassign escalations")
    with edit_escalation(engine, escalation_id=escalation_id, expected_version=expected_version, actor=actor) as (
        session,
        _row,
        ticket,
    ):
        user = account(session, to_user_id)
        if user is None or not user.active:
            raise ValidationError("Choose an active team member to reassign to.")
        ticket.assignee_id = user.id
        audit.record(
            session,
            actor=actor.email,
            action="escalation.reassign",
            entity_type="ticket",
            entity_id=ticket.id,
            detail={"escalation_id": escalation_id, "to": user.email},
        )


def return_to_tier1(engine: Engine, *, escalation_id: int, expected_version: int, note: str, actor: User) -> None:
    """Back to tier 1 with guidance; the note is required so the agent knows what to do."""
    require(actor, Role.LEAD, action="return escalations to tier 1")
    if is_blank(note):
        raise ValidationError("Write a note for the tier-1 agent: what should they do next?")
    with edit_escalation(engine, escalation_id=escalation_id, expected_version=expected_version, actor=actor) as (
        session,
        row,
        ticket,
    ):
        add_message(
            session,
            ticket=ticket,
            role=AuthorRole.NOTE,
            actor=actor.email,
            author_id=actor.id,
            body=f"Returned to tier 1: {note.strip()}",
        )
        transition(session, ticket=ticket, to=TicketStatus.PROCESSING, actor=actor.email, reason=note.strip())
        row.state, row.closed_at = "returned", utcnow()
        ticket.assignee_id = row.created_by_id
        audit.record(
            session,
            actor=actor.email,
            action="escalation.return",
            entity_type="ticket",
            entity_id=ticket.id,
            detail={"escalation_id": escalation_id},
        )


def resolve(engine: Engine, *, escalation_id: int, expected_version: int, actor: User) -> None:
    require(actor, Role.LEAD, action="resolve escalations")
    with edit_escalation(engine, escalation_id=escalation_id, expected_version=expected_version, actor=actor) as (
        session,
        row,
        ticket,
    ):
        if TicketStatus(ticket.status) is not TicketStatus.RESOLVED:
            transition(
                session, ticket=ticket, to=TicketStatus.RESOLVED, actor=actor.email, reason="escalation resolved"
            )
        row.state, row.closed_at = "resolved", utcnow()
        audit.record(
            session,
            actor=actor.email,
            action="escalation.resolve",
            entity_type="ticket",
            entity_id=ticket.id,
            detail={"escalation_id": escalation_id},
        )
