"""The team lead's escalation queue: list, take over, reassign, return to tier 1, resolve.

An escalation's owner is its ticket's assignee (one notion of owner). Every action goes through the
ticket's version guard, so two leads acting at once get "changed — reload" instead of both "ok".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, joinedload

from assist.domain import AGENT_NOTE, AuthorRole, EscalationItem, EscalationPriority, Queue, Role, TicketStatus, User
from assist.errors import NotFoundError, ValidationError
from assist.escalation import PRIORITY_ORDER
from assist.ownership import confirm_takeover
from assist.store import audit
from assist.store.actors import require
from assist.store.db import session_scope
from assist.store.escalations import read_package
from assist.store.models import EscalationRow, TicketRow, UserRow, utcnow
from assist.store.status import transition
from assist.store.tickets import add_message
from assist.store.versioned import edit_ticket
from assist.text import is_blank

ACTIVE = ("open", "taken")


def list_escalations(
    engine: Engine, *, queue: Queue | None = None, reason: str | None = None, include_closed: bool = False
) -> list[EscalationItem]:
    """Most urgent first: priority, then the longest wait."""
    now = utcnow()
    with session_scope(engine) as session:
        stmt = (
            select(EscalationRow, TicketRow)
            .join(TicketRow, TicketRow.id == EscalationRow.ticket_id)
            .options(joinedload(TicketRow.customer), joinedload(TicketRow.assignee))
        )
        if not include_closed:
            stmt = stmt.where(EscalationRow.state.in_(ACTIVE))
        if queue is not None:
            stmt = stmt.where(EscalationRow.queue == queue.value)
        items = []
        for row, ticket in session.execute(stmt):
            if reason and not any(reason.lower() in r.lower() for r in row.reasons):
                continue
            package, problem = read_package(row)
            items.append(
                EscalationItem(
                    id=row.id,
                    ticket_id=ticket.id,
                    ticket_version=ticket.version,
                    subject=ticket.subject,
                    customer_name=ticket.customer.name,
                    customer_vip=ticket.customer.is_vip,
                    reasons=tuple(row.reasons),
                    priority=EscalationPriority(row.priority),
                    queue=Queue(row.queue),
                    suggested_action=row.suggested_action,
                    state=row.state,
                    owner_id=ticket.assignee_id,
                    owner_name=ticket.assignee.name if ticket.assignee else None,
                    created_by_id=row.created_by_id,
                    created_at=row.created_at,
                    waiting_hours=round((now - row.created_at).total_seconds() / 3600, 1),
                    package=package,
                    package_error=problem,
                )
            )
    return sorted(items, key=lambda i: (-PRIORITY_ORDER.index(i.priority), i.created_at))


def reasons_in_queue(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        rows = session.scalars(select(EscalationRow.reasons).where(EscalationRow.state.in_(ACTIVE))).all()
    return sorted({r for reasons in rows for r in reasons if not r.startswith(AGENT_NOTE)})


@contextmanager
def _edit(
    engine: Engine, escalation_id: int, expected_version: int, actor: User
) -> Iterator[tuple[Session, EscalationRow, TicketRow]]:
    with session_scope(engine) as session:
        row = session.get(EscalationRow, escalation_id)
        if row is None:
            raise NotFoundError(f"Escalation #{escalation_id} does not exist. Reload the queue.")
        ticket_id = row.ticket_id
    with edit_ticket(engine, ticket_id=ticket_id, expected_version=expected_version, actor=actor) as (
        session,
        ticket,
    ):
        row = session.get_one(EscalationRow, escalation_id)
        if row.state not in ACTIVE:
            done = "was returned to tier 1" if row.state == "returned" else "is already resolved"
            raise ValidationError(f"Escalation #{escalation_id} {done}. Reload the queue.")
        yield session, row, ticket


def take_over(
    engine: Engine, *, escalation_id: int, expected_version: int, actor: User, confirm_owner: int | None = None
) -> int:
    """The lead owns the ticket now; returns the ticket id to open.

    Raises:
        OwnershipError: someone other than the lead and the agent who escalated owns it, and
            `confirm_owner` does not name that person (the lead has not confirmed).
    """
    require(actor, Role.LEAD, action="take over escalations")
    with _edit(engine, escalation_id, expected_version, actor) as (session, row, ticket):
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
    with _edit(engine, escalation_id, expected_version, actor) as (session, _row, ticket):
        user = session.get(UserRow, to_user_id)
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
    with _edit(engine, escalation_id, expected_version, actor) as (session, row, ticket):
        message = add_message(
            session, ticket=ticket, role=AuthorRole.NOTE, actor=actor.email, body=f"Returned to tier 1: {note.strip()}"
        )
        message.author_user_id = actor.id
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
    with _edit(engine, escalation_id, expected_version, actor) as (session, row, ticket):
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
