"""Macros: canned responses the admins maintain, inserted into a reply with their placeholders filled.

Placeholders are plain names in braces (`{customer_first_name}`); `{{` and `}}` write a literal brace.
They are checked when a macro is saved, so an agent never meets a broken one; values are filled in as
text (a customer called "{agent_name}" stays "{agent_name}").
"""

from __future__ import annotations

import string
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from assist.domain import Macro, MacroUsage, Role, User
from assist.drafting.links import before_sign_off
from assist.drafting.offline import first_name
from assist.errors import NotFoundError, ValidationError
from assist.store import audit, limits
from assist.store import macros as stored
from assist.store.actors import current_actor, require
from assist.store.db import session_scope
from assist.text import is_blank

PLACEHOLDERS = {
    "customer_first_name": "the customer's first name",
    "customer_name": "the customer's full name",
    "ticket_id": "the ticket number",
    "agent_name": "your full name",
    "agent_first_name": "your first name",
}


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
        return stored.macros(session, include_archived=include_archived)


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
    if len(title) > limits.MACRO_TITLE or len(body) > limits.MACRO_BODY:
        raise ValidationError(
            f"Keep the title under {limits.MACRO_TITLE} characters and the text under {limits.MACRO_BODY}."
        )
    placeholders_in(body)
    try:
        with session_scope(engine) as session:
            current_actor(session, actor)
            macro = stored.write_macro(session, macro_id=macro_id, title=title, body=body, by=actor.email)
            audit.record(
                session,
                actor=actor.email,
                action="macro.save",
                entity_type="macro",
                entity_id=macro.id,
                detail={"title": title},
            )
            return macro
    except IntegrityError as e:
        raise ValidationError(f'A macro called "{title}" already exists. Choose another title.') from e


def set_macro_active(engine: Engine, *, macro_id: int, active: bool, actor: User) -> None:
    """Archive a macro (agents no longer see it; its use counts stay) or bring it back."""
    require(actor, action="manage macros")
    with session_scope(engine) as session:
        current_actor(session, actor)
        title = stored.set_active(session, macro_id, active=active, by=actor.email)
        audit.record(
            session,
            actor=actor.email,
            action="macro.restore" if active else "macro.archive",
            entity_type="macro",
            entity_id=macro_id,
            detail={"title": title},
        )


def use_macro(engine: Engine, *, macro_id: int, ticket_id: int, actor: User, reply: str) -> str:
    """`reply` with the macro's text, filled in for this ticket, added above the sign-off; the use is counted.

    Raises:
        NotFoundError: the macro was archived or deleted, or the ticket does not exist.
    """
    require(actor, Role.AGENT, Role.LEAD, action="use macros")
    with session_scope(engine) as session:
        current_actor(session, actor)
        macro = stored.active_macro(session, macro_id)
        if macro is None:
            raise NotFoundError("That macro was archived or deleted. Pick another one.")
        customer = stored.customer_name_of_ticket(session, ticket_id)
        if customer is None:
            raise NotFoundError(f"Ticket #{ticket_id} does not exist. Reload the inbox.")
        values = {
            "customer_first_name": first_name(customer),
            "customer_name": customer,
            "ticket_id": str(ticket_id),
            "agent_name": actor.name,
            "agent_first_name": first_name(actor.name),
        }
        text = macro.body.format_map(values)
        stored.count_use(session, macro_id=macro_id, ticket_id=ticket_id, user_id=actor.id)
    return before_sign_off(reply, text)


def macro_usage(engine: Engine, *, since: datetime) -> list[MacroUsage]:
    """Insertions per macro since `since`, most used first."""
    with session_scope(engine) as session:
        return stored.usage_since(session, since)
