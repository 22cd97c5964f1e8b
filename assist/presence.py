"""Presence: who else has a ticket open right now ("Maya is replying"), stored so every server process sees it.

Each open ticket view reports itself every PRESENCE_BEAT; anyone seen within PRESENT_WITHIN counts as there.
This warns before two agents write the same reply; the ticket's version check still stops the second send.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from assist.domain import User, Viewer
from assist.store import presence
from assist.store.actors import current_actor
from assist.store.db import session_scope
from assist.times import utcnow

PRESENT_WITHIN = timedelta(minutes=1)
PRESENCE_BEAT = timedelta(seconds=20)  # well inside PRESENT_WITHIN, so one late beat does not drop anyone


def here(engine: Engine, *, ticket_id: int, viewer: User, now: datetime | None = None) -> list[Viewer]:
    """Record that `viewer` has the ticket open; return the others who had it open in the last minute.

    Raises:
        SessionEndedError: the viewer's account changed since it was read (an open tab of a disabled
            account does not go on showing its owner as replying).
    """
    now = now or utcnow()
    try:
        with session_scope(engine) as session:
            current_actor(session, viewer)
            presence.seen(session, ticket_id=ticket_id, user_id=viewer.id, at=now)
    except IntegrityError:  # the same person's other tab inserted first, at the same instant: already recorded
        pass
    with session_scope(engine) as session:
        rows = presence.others_seen(session, ticket_id=ticket_id, user_id=viewer.id, since=now - PRESENT_WITHIN)
    return [Viewer(name=name, seconds_ago=max(0, int((now - seen_at).total_seconds()))) for name, seen_at in rows]


def leave(engine: Engine, *, ticket_id: int, viewer: User) -> None:
    """The viewer closed the ticket: others stop seeing them at once rather than after a minute."""
    with session_scope(engine) as session:
        presence.gone(session, ticket_id=ticket_id, user_id=viewer.id)
