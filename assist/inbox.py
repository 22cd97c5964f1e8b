"""What the inbox page asks of the core: a page of tickets and the people who can own them."""

from __future__ import annotations

from sqlalchemy import Engine, select

from assist.domain import Role, TicketPage, TicketQuery, User
from assist.store.db import session_scope
from assist.store.models import UserRow
from assist.store.tickets import list_tickets


def list_inbox(engine: Engine, *, query: TicketQuery) -> TicketPage:
    """One filtered, sorted page of tickets with counts per status."""
    with session_scope(engine) as session:
        return list_tickets(session, query=query)


def list_assignees(engine: Engine) -> list[User]:
    """Active people who can own tickets, by name."""
    with session_scope(engine) as session:
        rows = session.scalars(select(UserRow).where(UserRow.active.is_(True)).order_by(UserRow.name)).all()
        return [User(id=u.id, email=u.email, name=u.name, role=Role(u.role), active=u.active) for u in rows]
