"""Presence: who else had a ticket open in the last minute, read from the database (any server process)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from assist.presence import PRESENT_WITHIN, here, leave
from assist.store import session_scope
from assist.times import utcnow
from tests.factories import make_actor, make_ticket


def test_another_viewer_shows_for_a_minute_and_not_after(engine: Engine) -> None:
    with session_scope(engine) as session:
        maya, sam = make_actor(session, name="Maya Lee"), make_actor(session, name="Sam Ortiz")
        ticket_id = make_ticket(session).id
    now = utcnow()
    assert here(engine, ticket_id=ticket_id, viewer=maya, now=now) == []  # alone
    assert [v.name for v in here(engine, ticket_id=ticket_id, viewer=sam, now=now + timedelta(seconds=5))] == [
        "Maya Lee"
    ]
    assert here(engine, ticket_id=ticket_id, viewer=maya, now=now + timedelta(seconds=10))[0].seconds_ago == 5
    later = now + timedelta(seconds=10) + PRESENT_WITHIN + timedelta(seconds=1)
    assert here(engine, ticket_id=ticket_id, viewer=sam, now=later) == []  # Maya's last beat is too old


def test_leaving_the_ticket_removes_the_viewer_at_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        maya, sam = make_actor(session), make_actor(session)
        ticket_id = make_ticket(session).id
    here(engine, ticket_id=ticket_id, viewer=maya)
    leave(engine, ticket_id=ticket_id, viewer=maya)
    assert here(engine, ticket_id=ticket_id, viewer=sam) == []
