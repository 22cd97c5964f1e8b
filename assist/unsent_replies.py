"""Unsent replies: what an agent typed in a ticket's reply box, kept per ticket and agent until it is sent
(`ticket_actions.send_reply` drops it in the send's own transaction) or discarded (the box emptied, or put
back to the draft it offered), so a reload, a closed tab or another browser finds it again."""

from __future__ import annotations

from sqlalchemy import Engine

from assist.config import Settings
from assist.domain import Role, User
from assist.errors import NotFoundError, ValidationError
from assist.store import tickets, unsent
from assist.store.actors import check_session, current_actor, require
from assist.store.db import session_scope
from assist.text import is_blank
from assist.times import utcnow


def keep_unsent_reply(
    engine: Engine, *, ticket_id: int, text: str, offered: str = "", actor: User, settings: Settings
) -> None:
    """Keep `text` as `actor`'s unsent reply on the ticket; blank text, or the offered draft unchanged, is
    nothing of theirs to keep and discards what was kept.

    Raises:
        PermissionDeniedError: the role may not reply.
        SessionEndedError: the account changed since it was read.
        ValidationError: longer than MAX_MESSAGE_CHARS.
        NotFoundError: no such ticket.
    """
    require(actor, Role.AGENT, Role.LEAD, action="reply to customers")
    if len(text) > settings.max_message_chars:
        raise ValidationError(f"The reply is longer than {settings.max_message_chars} characters; shorten it.")
    with session_scope(engine) as session:
        current_actor(session, actor)
        if not tickets.ticket_exists(session, ticket_id):
            raise NotFoundError(f"Ticket #{ticket_id} does not exist (it may have been deleted).")
        if is_blank(text) or text.strip() == offered.strip():
            unsent.drop(session, ticket_id=ticket_id, user_id=actor.id)
        else:
            unsent.keep(session, ticket_id=ticket_id, user_id=actor.id, body=text, at=utcnow())


def unsent_reply(engine: Engine, *, ticket_id: int, actor: User) -> str | None:
    """What `actor` typed on the ticket and has not sent, or None.

    Raises:
        SessionEndedError: the account changed since it was read.
    """
    check_session(engine, actor=actor)
    with session_scope(engine) as session:
        return unsent.kept(session, ticket_id=ticket_id, user_id=actor.id)
