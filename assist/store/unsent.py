"""Unsent replies: one row per (ticket, agent), written over as the agent types, deleted when the reply is
sent or discarded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assist.store.models import UnsentReplyRow


def keep(session: Session, *, ticket_id: int, user_id: int, body: str, at: datetime) -> None:
    """Keep `body` as the agent's unsent reply on the ticket (replacing what was kept before). An upsert, so
    two tabs of the same agent saving at once cannot collide on the key."""
    dialect_insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(UnsentReplyRow).values(ticket_id=ticket_id, user_id=user_id, body=body, updated_at=at)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[UnsentReplyRow.ticket_id, UnsentReplyRow.user_id],
            set_={"body": stmt.excluded.body, "updated_at": stmt.excluded.updated_at},
        )
    )


def kept(session: Session, *, ticket_id: int, user_id: int) -> str | None:
    return session.scalar(
        select(UnsentReplyRow.body).where(UnsentReplyRow.ticket_id == ticket_id, UnsentReplyRow.user_id == user_id)
    )


def drop(session: Session, *, ticket_id: int, user_id: int) -> None:
    session.execute(
        delete(UnsentReplyRow).where(UnsentReplyRow.ticket_id == ticket_id, UnsentReplyRow.user_id == user_id)
    )
