"""Macros as stored: the admins' canned responses, each insertion counted, and the customer a ticket's macro
is filled in for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assist.domain import Macro, MacroUsage
from assist.errors import NotFoundError
from assist.store.models import CustomerRow, MacroRow, MacroUseRow, TicketRow


def macros(session: Session, *, include_archived: bool) -> list[Macro]:
    """Macros by title, each with how often it was inserted."""
    uses = select(MacroUseRow.macro_id, func.count().label("n")).group_by(MacroUseRow.macro_id).subquery()
    stmt = select(MacroRow, func.coalesce(uses.c.n, 0)).outerjoin(uses, uses.c.macro_id == MacroRow.id)
    if not include_archived:
        stmt = stmt.where(MacroRow.active.is_(True))
    return [
        Macro(id=m.id, title=m.title, body=m.body, active=m.active, uses=n)
        for m, n in session.execute(stmt.order_by(MacroRow.title))
    ]


def write_macro(session: Session, *, macro_id: int | None, title: str, body: str, by: str) -> Macro:
    """A new macro, or a change to one (it becomes active); flushed, so a title in use raises IntegrityError here.

    Raises:
        NotFoundError: no macro `macro_id`.
    """
    row = MacroRow() if macro_id is None else session.get(MacroRow, macro_id)
    if row is None:
        raise NotFoundError(f"Macro #{macro_id} does not exist. Reload the page.")
    row.title, row.body, row.active, row.updated_by = title, body, True, by
    session.add(row)
    session.flush()
    return Macro(id=row.id, title=row.title, body=row.body, active=True)


def set_active(session: Session, macro_id: int, *, active: bool, by: str) -> str:
    """Archive a macro or bring it back; returns its title.

    Raises:
        NotFoundError: no such macro.
    """
    row = session.get(MacroRow, macro_id)
    if row is None:
        raise NotFoundError(f"Macro #{macro_id} does not exist. Reload the page.")
    row.active, row.updated_by = active, by
    return row.title


def active_macro(session: Session, macro_id: int) -> Macro | None:
    """The macro, unless it was archived or deleted."""
    row = session.get(MacroRow, macro_id)
    if row is None or not row.active:
        return None
    return Macro(id=row.id, title=row.title, body=row.body, active=True)


def customer_name_of_ticket(session: Session, ticket_id: int) -> str | None:
    """The name of the ticket's customer; None when there is no such ticket."""
    return session.scalar(
        select(CustomerRow.name)
        .join(TicketRow, TicketRow.customer_id == CustomerRow.id)
        .where(TicketRow.id == ticket_id)
    )


def count_use(session: Session, *, macro_id: int, ticket_id: int, user_id: int) -> None:
    session.add(MacroUseRow(macro_id=macro_id, ticket_id=ticket_id, user_id=user_id))


def usage_since(session: Session, since: datetime) -> list[MacroUsage]:
    """Insertions per macro since `since`, most used first."""
    rows = session.execute(
        select(MacroRow.title, func.count(MacroUseRow.id))
        .join(MacroUseRow, MacroUseRow.macro_id == MacroRow.id)
        .where(MacroUseRow.used_at >= since)
        .group_by(MacroRow.title)
        .order_by(func.count(MacroUseRow.id).desc(), MacroRow.title)
    ).all()
    return [MacroUsage(title=title, uses=n) for title, n in rows]
