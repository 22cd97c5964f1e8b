"""The audit trail: who did what to which record, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist.store.models import AuditEventRow
from assist.times import utcnow


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: object,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEventRow:
    """Add one audit event to the session's unit of work (committed with the change it describes)."""
    event = AuditEventRow(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        detail=detail or {},
        created_at=at or utcnow(),
    )
    session.add(event)
    return event


def events_between(
    session: Session, *, start: datetime, end: datetime, who: str = "", action: str = "", limit: int
) -> list[tuple[datetime, str, str, str, str, Any]]:
    """(when, actor, action, entity type, entity id, detail) of the events in [start, end), newest first; `who`
    and `action`, when given, are case-insensitive substrings of the actor and the action."""
    stmt = select(
        AuditEventRow.created_at,
        AuditEventRow.actor,
        AuditEventRow.action,
        AuditEventRow.entity_type,
        AuditEventRow.entity_id,
        AuditEventRow.detail,
    ).where(AuditEventRow.created_at >= start, AuditEventRow.created_at < end)
    if who:
        stmt = stmt.where(AuditEventRow.actor.icontains(who, autoescape=True))
    if action:
        stmt = stmt.where(AuditEventRow.action.icontains(action, autoescape=True))
    rows = session.execute(stmt.order_by(AuditEventRow.id.desc()).limit(limit))
    return [(at, who_, act, kind, entity_id, detail) for at, who_, act, kind, entity_id, detail in rows]
