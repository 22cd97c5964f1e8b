"""The ticket lifecycle service: one status change in its own transaction, and the time spent in each status.

The state machine itself (which moves are allowed, and the write every path uses) is `assist.store.status`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from assist.domain import TicketStatus as S
from assist.domain import User
from assist.errors import NotFoundError
from assist.store.status import status_history, transition
from assist.store.versioned import edit_ticket
from assist.times import utcnow


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
    history = status_history(session, ticket_id=ticket_id)
    if not history:
        raise NotFoundError(f"Ticket #{ticket_id} has no status history.")
    totals: defaultdict[S, timedelta] = defaultdict(timedelta)
    ends = [at for _, at in history[1:]] + [now or utcnow()]
    for (status, since), end in zip(history, ends, strict=True):
        totals[status] += max(end - since, timedelta(0))
    return dict(totals)
