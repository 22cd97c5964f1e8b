"""Writing and reading escalations: one HandoffPackage shape, validated on the way in and out.

The app (`assist.ticket_actions.escalate`) and the demo seeder both write through `record_escalation`,
so the lead queue never meets a package it cannot show.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, joinedload

from assist.domain import AuthorRole, EscalationItem, EscalationPriority, HandoffPackage, Queue, TicketStatus, User
from assist.errors import NotFoundError, ValidationError
from assist.store import audit
from assist.store.db import session_scope
from assist.store.models import EscalationRow, TicketRow
from assist.store.status import transition
from assist.store.tickets import add_message
from assist.store.versioned import edit_ticket
from assist.times import utcnow


def record_escalation(
    session: Session,
    *,
    ticket: TicketRow,
    package: HandoffPackage,
    actor_id: int | None,
    actor_email: str,
    at: datetime | None = None,
) -> EscalationRow:
    """Store the package, note it in the thread, move the ticket to escalated, audit it (caller's transaction)."""
    when = at or utcnow()
    package = HandoffPackage.model_validate(package.model_dump())  # a package built elsewhere is checked too
    summary = "; ".join(package.reasons)
    add_message(
        session,
        ticket=ticket,
        role=AuthorRole.NOTE,
        actor=actor_email,
        author_id=actor_id,
        at=when,
        body=f"Escalated to {package.queue.label}: {summary}",
    )
    row = EscalationRow(
        ticket_id=ticket.id,
        reasons=list(package.reasons),
        priority=package.priority.value,
        queue=package.queue.value,
        suggested_action=package.suggested_action,
        package=package.model_dump(mode="json"),
        created_by_id=actor_id,
        created_at=when,
    )
    session.add(row)
    transition(session, ticket=ticket, to=TicketStatus.ESCALATED, actor=actor_email, reason=summary, at=when)
    session.flush()
    audit.record(
        session,
        actor=actor_email,
        action="ticket.escalate",
        entity_type="ticket",
        entity_id=ticket.id,
        at=when,
        detail={"escalation_id": row.id, "queue": row.queue, "priority": row.priority},
    )
    return row


def read_package(row: EscalationRow) -> tuple[HandoffPackage | None, str | None]:
    """The stored package, or None and the reason it cannot be shown."""
    if not row.package:
        return None, "No handoff package was stored with this escalation."
    try:
        return HandoffPackage.model_validate(row.package), None
    except PydanticValidationError:
        return None, (
            "The stored handoff package is in an older or damaged format; open the ticket to see the conversation."
        )


ACTIVE = ("open", "taken")  # an escalation a lead still has to act on


def escalation_items(
    session: Session, *, queue: Queue | None, include_closed: bool, now: datetime
) -> list[EscalationItem]:
    """The escalations with their tickets, as the lead queue shows them (unordered)."""
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
    return items


def active_reasons(session: Session) -> list[list[str]]:
    """The reasons of every escalation still to act on."""
    return [list(r) for r in session.scalars(select(EscalationRow.reasons).where(EscalationRow.state.in_(ACTIVE)))]


@contextmanager
def edit_escalation(
    engine: Engine, *, escalation_id: int, expected_version: int, actor: User
) -> Iterator[tuple[Session, EscalationRow, TicketRow]]:
    """An escalation still to act on and its ticket, under the ticket's version guard (`edit_ticket`).

    Raises:
        NotFoundError: no such escalation.
        ValidationError: it was returned to tier 1 or resolved already.
    """
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
