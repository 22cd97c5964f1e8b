"""The audit trail: who did what to which record, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assist.store.models import AuditEventRow, utcnow


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
