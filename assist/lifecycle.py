"""The ticket state machine: allowed transitions, the audit they leave, and time spent in each status.

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

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assist.domain import TicketStatus as S
from assist.domain import User
from assist.errors import InvalidTransitionError, NotFoundError
from assist.store import audit
from assist.store.models import StatusChangeRow, TicketRow, utcnow
from assist.store.versioned import edit_ticket

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


def change_status(
    engine: Engine, *, ticket_id: int, to: S, actor: User, expected_version: int, reason: str = ""
) -> int:
    """Transition one ticket in its own transaction; returns the ticket's new version.

    Raises:
        SessionEndedError: `actor`'s account changed since it was read.
        NotFoundError: no such ticket.
        ConcurrencyError: the ticket changed since `expected_version` was read.
        InvalidTransitionError: see `transition`.
    """
    with edit_ticket(engine, ticket_id=ticket_id, expected_version=expected_version, actor=actor) as (
        session,
        ticket,
    ):
        transition(session, ticket=ticket, to=to, actor=actor.email, reason=reason)
        session.flush()
        return ticket.version


def time_in_status(session: Session, *, ticket_id: int, now: datetime | None = None) -> dict[S, timedelta]:
    """Total time the ticket has spent in each status so far (the current one counts up to `now`)."""
    changes = session.scalars(
        select(StatusChangeRow)
        .where(StatusChangeRow.ticket_id == ticket_id)
        .order_by(StatusChangeRow.changed_at, StatusChangeRow.id)
    ).all()
    if not changes:
        raise NotFoundError(f"Ticket #{ticket_id} has no status history.")
    totals: defaultdict[S, timedelta] = defaultdict(timedelta)
    ends = [c.changed_at for c in changes[1:]] + [now or utcnow()]
    for change, end in zip(changes, ends, strict=True):
        totals[S(change.to_status)] += max(end - change.changed_at, timedelta(0))
    return dict(totals)
