"""Reading the audit trail (writing is `assist.store.audit.record`, inside each change's transaction)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine

from assist.domain import User
from assist.store import audit
from assist.store.db import session_scope
from assist.users import require_current

MAX_ROWS = 5000


def audit_events(
    engine: Engine, *, actor: User, start: date, end: date, who: str = "", action: str = "", limit: int = MAX_ROWS
) -> pd.DataFrame:
    """Audit events in [start, end], newest first, filtered by actor and action substrings (admins only)."""
    require_current(engine, actor, action="read the audit log")
    with session_scope(engine) as session:
        rows = audit.events_between(
            session,
            start=datetime.combine(start, datetime.min.time(), tzinfo=UTC),
            end=datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC),
            who=who.strip(),
            action=action.strip(),
            limit=limit,
        )
    return pd.DataFrame(
        [(at, a, act, et, eid, describe(detail)) for at, a, act, et, eid, detail in rows],
        columns=["when", "who", "action", "entity", "id", "detail"],
    )


def describe(detail: object) -> str:
    """An event's detail as a person reads it: "from owner: 4; escalation id: 12", not a Python dict."""
    if isinstance(detail, dict):
        return "; ".join(f"{str(k).replace('_', ' ')}: {describe(v)}" for k, v in detail.items())
    if isinstance(detail, list | tuple):
        return ", ".join(describe(v) for v in detail)
    if detail is None:
        return "–"
    return str(detail)
