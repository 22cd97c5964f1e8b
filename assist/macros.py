"""Macros: canned responses the admins maintain, inserted into a reply with their placeholders filled.

Placeholders are plain names in braces (`{customer_first_name}`); `{{` and `}}` write a literal brace.
They are checked when a macro is saved, so an agent never meets a broken one; values are filled in as
text (a customer called "{agent_name}" stays "{agent_name}").
"""

from __future__ import annotations

import string
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from assist.domain import Macro, MacroUsage, Role, User
from assist.drafting.links import before_sign_off
from assist.drafting.offline import first_name
from assist.errors import NotFoundError, ValidationError
from assist.store import audit
from assist.store.actors import current_actor, require
from assist.store.db import session_scope
from assist.store.models import CustomerRow, MacroRow, MacroUseRow, TicketRow
from assist.text import is_blank

PLACEHOLDERS = {
    "customer_first_name": "the customer's first name",
    "customer_name": "the customer's full name",
    "ticket_id": "the ticket number",
    "agent_name": "your full name",
    "agent_first_name": "your first name",
}
MAX_TITLE, MAX_BODY = 120, 5000


def placeholders_in(body: str) -> list[str]:
    """The placeholders `body` uses.

    Raises:
        ValidationError: a brace is unbalanced, or a placeholder is unknown or has a format (`{x:>5}`, `{x.y}`).
    """
    try:
        fields = [
            (name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(body) if name is not None
        ]
    except ValueError as e:
        raise ValidationError(
            f"The macro has an unbalanced brace ({e}). Write {{{{ or }}}} for a literal brace."
        ) from e
    allowed = ", ".join(f"{{{n}}}" for n in PLACEHOLDERS)
    for name, spec, conversion in fields:
        if name not in PLACEHOLDERS or spec or conversion:
            raise ValidationError(f"Unknown placeholder {{{name}}} in the macro. Use one of {allowed}.")
    return [name for name, _, _ in fields]


def list_macros(engine: Engine, *, include_archived: bool = False) -> list[Macro]:
    """Macros by title, each with how often it was inserted."""
    with session_scope(engine) as session:
        uses = select(MacroUseRow.macro_id, func.count().label("n")).group_by(MacroUseRow.macro_id).subquery()
        stmt = select(MacroRow, func.coalesce(uses.c.n, 0)).outerjoin(uses, uses.c.macro_id == MacroRow.id)
        if not include_archived:
            stmt = stmt.where(MacroRow.active.is_(True))
        return [
            Macro(id=m.id, title=m.title, body=m.body, active=m.active, uses=n)
            for m, n in session.execute(stmt.order_by(MacroRow.title))
        ]


def save_macro(engine: Engine, *, title: str, body: str, actor: User, macro_id: int | None = None) -> Macro:
    """Create a macro, or change one (`macro_id`).

    Raises:
        PermissionDeniedError: only admins manage macros.
        ValidationError: empty or too long, a title already in use, or a placeholder that does not exist.
    """
    require(actor, action="manage macros")
    title, body = title.strip(), body.strip()
    if is_blank(title) or is_blank(body):
        raise ValidationError("A macro needs a title and a text.")
    if len(title) > MAX_TITLE or len(body) > MAX_BODY:
        raise ValidationError(f"Keep the title under {MAX_TITLE} characters and the text under {MAX_BODY}.")
    placeholders_in(body)
    try:
        with session_scope(engine) as session:
            current_actor(session, actor)
            row = MacroRow() if macro_id is None else session.get(MacroRow, macro_id)
            if row is None:
                raise NotFoundError(f"Macro #{macro_id} does not exist. Reload the page.")
            row.title, row.body, row.active, row.updated_by = title, body, True, actor.email
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor=actor.email,
                action="macro.save",
                entity_type="macro",
                entity_id=row.id,
                detail={"title": title},
            )
            return Macro(id=row.id, title=row.title, body=row.body, active=True)
    except IntegrityError as e:
        raise ValidationError(f'A macro called "{title}" already exists. Choose another title.') from e


def set_macro_active(engine: Engine, *, macro_id: int, active: bool, actor: User) -> None:
    """Archive a macro (agents no longer see it; its use counts stay) or bring it back."""
    require(actor, action="manage macros")
    with session_scope(engine) as session:
        current_actor(session, actor)
        row = session.get(MacroRow, macro_id)
        if row is None:
            raise NotFoundError(f"Macro #{macro_id} does not exist. Reload the page.")
        row.active, row.updated_by = active, actor.email
        audit.record(
            session,
            actor=actor.email,
            action="macro.restore" if active else "macro.archive",
            entity_type="macro",
            entity_id=macro_id,
            detail={"title": row.title},
        )


def use_macro(engine: Engine, *, macro_id: int, ticket_id: int, actor: User, reply: str) -> str:
    """`reply` with the macro's text, filled in for this ticket, added above the sign-off; the use is counted.

    Raises:
        NotFoundError: the macro was archived or deleted, or the ticket does not exist.
    """
    require(actor, Role.AGENT, Role.LEAD, action="use macros")
    with session_scope(engine) as session:
        current_actor(session, actor)
        macro = session.get(MacroRow, macro_id)
        if macro is None or not macro.active:
            raise NotFoundError("That macro was archived or deleted. Pick another one.")
        customer = session.scalar(
            select(CustomerRow)
            .join(TicketRow, TicketRow.customer_id == CustomerRow.id)
            .where(TicketRow.id == ticket_id)
        )
        if customer is None:
            raise NotFoundError(f"Ticket #{ticket_id} does not exist. Reload the inbox.")
        values = {
            "customer_first_name": first_name(customer.name),
            "customer_name": customer.name,
            "ticket_id": str(ticket_id),
            "agent_name": actor.name,
            "agent_first_name": first_name(actor.name),
        }
        text = macro.body.format_map(values)
        session.add(MacroUseRow(macro_id=macro_id, ticket_id=ticket_id, user_id=actor.id))
    return before_sign_off(reply, text)


def macro_usage(engine: Engine, *, since: datetime) -> list[MacroUsage]:
    """Insertions per macro since `since`, most used first."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(MacroRow.title, func.count(MacroUseRow.id))
            .join(MacroUseRow, MacroUseRow.macro_id == MacroRow.id)
            .where(MacroUseRow.used_at >= since)
            .group_by(MacroRow.title)
            .order_by(func.count(MacroUseRow.id).desc(), MacroRow.title)
        ).all()
    return [MacroUsage(title=title, uses=n) for title, n in rows]
