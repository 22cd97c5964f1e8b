"""Presence rows: who had which ticket open, and when they were last seen there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assist.store.models import PresenceRow, UserRow


def seen(session: Session, *, ticket_id: int, user_id: int, at: datetime) -> None:
    """`user_id` had the ticket open `at`. Two tabs of one person inserting at the same instant collide on the
    key: the caller treats that IntegrityError as already recorded."""
    updated = session.execute(
        update(PresenceRow).where(PresenceRow.ticket_id == ticket_id, PresenceRow.user_id == user_id).values(seen_at=at)
    )
    if not updated.rowcount:  # type: ignore[attr-defined]
        session.add(PresenceRow(ticket_id=ticket_id, user_id=user_id, seen_at=at))


def others_seen(session: Session, *, ticket_id: int, user_id: int, since: datetime) -> list[tuple[str, datetime]]:
    """(name, last seen) of everyone but `user_id` who had the ticket open since `since`, latest first."""
    rows = session.execute(
        select(UserRow.name, PresenceRow.seen_at)
        .join(UserRow, UserRow.id == PresenceRow.user_id)
        .where(PresenceRow.ticket_id == ticket_id, PresenceRow.user_id != user_id, PresenceRow.seen_at >= since)
        .order_by(PresenceRow.seen_at.desc())
    ).all()
    return [(name, at) for name, at in rows]


def gone(session: Session, *, ticket_id: int, user_id: int) -> None:
    row = session.get(PresenceRow, (ticket_id, user_id))
    if row is not None:
        session.delete(row)
