"""The ticket state machine as a store write: which moves are allowed, and the one function that makes one
(the ticket's status and times, its status-change row and the audit event, in the caller's unit of work).

Every path that moves a ticket (an agent's send, the lead queue, an escalation, intake, the demo) goes through
`transition`, so no path can skip the rule or the record; `assist.lifecycle` is the service around it.

new ──► processing ──► awaiting_customer ──► processing (customer replied)
 │          │    ╲                 ╲
 │          │     ╲► escalated ─────╲──► awaiting_customer (lead replied) / processing (returned)
 ▼          ▼                        ▼
resolved ◄──────────────────────── (any open status)
 │
 ▼
reopened ──► processing | escalated | resolved
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist.domain import TicketStatus as S
from assist.errors import InvalidTransitionError
from assist.store import audit
from assist.store.models import StatusChangeRow, TicketRow
from assist.times import utcnow

TRANSITIONS: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.PROCESSING, S.AWAITING_CUSTOMER, S.ESCALATED, S.RESOLVED}),
    S.PROCESSING: frozenset({S.AWAITING_CUSTOMER, S.ESCALATED, S.RESOLVED}),
    S.AWAITING_CUSTOMER: frozenset({S.PROCESSING, S.ESCALATED, S.RESOLVED}),
    S.ESCALATED: frozenset({S.PROCESSING, S.AWAITING_CUSTOMER, S.RESOLVED}),
    S.RESOLVED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.PROCESSING, S.AWAITING_CUSTOMER, S.ESCALATED, S.RESOLVED}),
}


# How a person says where a ticket stands ("Ticket #324 is ..."): messages never show the internal names.
_STANDS = {
    S.NEW: "new",
    S.PROCESSING: "being worked on",
    S.AWAITING_CUSTOMER: "waiting for the customer",
    S.ESCALATED: "escalated",
    S.RESOLVED: "resolved",
    S.REOPENED: "reopened",
}


def allowed_next(status: S) -> frozenset[S]:
    return TRANSITIONS[status]


def refusal(ticket_id: int, current: S, to: S) -> str:
    """Why the ticket cannot move from `current` to `to`, and what to do instead, in a person's words."""
    if to is current:
        return f"Ticket #{ticket_id} is already {_STANDS[current]}."
    if current is S.RESOLVED:
        return f"Ticket #{ticket_id} is resolved. Reopen it first."
    if to is S.REOPENED:
        return f"Ticket #{ticket_id} is {_STANDS[current]}, not resolved, so there is nothing to reopen."
    if to is S.NEW:
        return f"Ticket #{ticket_id} is {_STANDS[current]}; a ticket that was worked on cannot become new again."
    return f"Ticket #{ticket_id} is {_STANDS[current]} and cannot become {_STANDS[to]} from there."


def transition(
    session: Session,
    *,
    ticket: TicketRow,
    to: S,
    actor: str,
    reason: str = "",
    at: datetime | None = None,
) -> StatusChangeRow:
    """Move `ticket` to `to` inside the caller's unit of work, recording the change and an audit event.

    Raises:
        InvalidTransitionError: the move is not allowed from the ticket's current status.
    """
    current = S(ticket.status)
    if to not in TRANSITIONS[current]:
        raise InvalidTransitionError(refusal(ticket.id, current, to))
    when = at or utcnow()
    ticket.status = to.value
    ticket.status_changed_at = when
    ticket.updated_at = when
    ticket.resolved_at = when if to is S.RESOLVED else None
    change = StatusChangeRow(
        ticket_id=ticket.id, from_status=current.value, to_status=to.value, actor=actor, reason=reason, changed_at=when
    )
    session.add(change)
    audit.record(
        session,
        actor=actor,
        action="ticket.status",
        entity_type="ticket",
        entity_id=ticket.id,
        detail={"from": current.value, "to": to.value, "reason": reason},
        at=when,
    )
    return change


def status_history(session: Session, *, ticket_id: int) -> list[tuple[S, datetime]]:
    """The statuses the ticket entered, oldest first, with when."""
    rows = session.execute(
        select(StatusChangeRow.to_status, StatusChangeRow.changed_at)
        .where(StatusChangeRow.ticket_id == ticket_id)
        .order_by(StatusChangeRow.changed_at, StatusChangeRow.id)
    ).all()
    return [(S(status), at) for status, at in rows]
