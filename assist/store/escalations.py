"""Writing and reading escalations: one HandoffPackage shape, validated on the way in and out.

The app (`assist.ticket_actions.escalate`) and the demo seeder both write through `record_escalation`,
so the lead queue never meets a package it cannot show.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session

from assist.domain import AuthorRole, HandoffPackage, TicketStatus
from assist.store import audit
from assist.store.models import EscalationRow, TicketRow, UserRow, utcnow
from assist.store.status import transition
from assist.store.tickets import add_message


def record_escalation(
    session: Session,
    *,
    ticket: TicketRow,
    package: HandoffPackage,
    actor: UserRow | None,
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
        author=actor,
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
        created_by_id=actor.id if actor else None,
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
