"""The one optimistic-version guard. Every change to a ticket (status, reply, note, escalation, queue
action, reopen) goes through `edit_ticket`, so "exactly once per ticket version" lives in one place.

The caller says which version it saw; a different stored version, or a concurrent writer that commits
first (SQLAlchemy's `version_id_col` turns the UPDATE into `... WHERE version = seen`), gives the same
"changed — reload" error and nothing is written. The caller also says who acts: the actor is re-read in
the same transaction (`store.actors.current_actor`), so a session whose account was disabled, given
another role or a new password since it was read changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from assist.domain import User
from assist.errors import ConcurrencyError, NotFoundError
from assist.store.actors import current_actor
from assist.store.db import session_scope
from assist.store.models import TicketRow
from assist.times import utcnow


def changed(ticket_id: int) -> ConcurrencyError:
    return ConcurrencyError(f"Ticket #{ticket_id} changed since you opened it — reload to see the latest version.")


@contextmanager
def edit_ticket(
    engine: Engine, *, ticket_id: int, expected_version: int, actor: User
) -> Iterator[tuple[Session, TicketRow]]:
    """A unit of work on one ticket by `actor` that fails with "changed — reload" if anyone else got there
    first.

    Raises:
        SessionEndedError: `actor`'s account changed since it was read (disabled, new role, new password).
        NotFoundError: no such ticket.
        ConcurrencyError: the ticket is no longer at `expected_version`.
    """
    try:
        with session_scope(engine) as session:
            current_actor(session, actor)  # first: on SQLite this takes the write lock for the whole unit
            ticket = session.get(TicketRow, ticket_id)
            if ticket is None:
                raise NotFoundError(f"Ticket #{ticket_id} does not exist; it may have been deleted. Reload the inbox.")
            if ticket.version != expected_version:
                raise changed(ticket_id)
            # Always an UPDATE of the ticket row, so every action (even one that only touches another
            # table) bumps the version and takes part in the check.
            ticket.updated_at = utcnow()
            yield session, ticket
            session.flush()  # the UPDATE carries `WHERE version = expected`: a concurrent writer loses here
    except StaleDataError as e:
        raise changed(ticket_id) from e
