"""Configured knowledge sources as SQL keeps them (`kb_sources`): what each syncs from and how its last sync went.
The articles a source brought in carry its name (`kb_articles.origin`, `assist.store.articles`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assist.domain import KnowledgeSource
from assist.errors import NotFoundError
from assist.store.db import session_scope
from assist.store.models import KnowledgeSourceRow

__all__ = ["configured", "configured_source", "find", "forget", "record_sync", "save"]


def _source(row: KnowledgeSourceRow) -> KnowledgeSource:
    return KnowledgeSource(
        name=row.name,
        kind=row.kind,
        location=row.location,
        branch=row.branch,
        last_sync_at=row.last_sync_at,
        last_outcome=row.last_outcome,
        last_error=row.last_error,
    )


def configured(engine: Engine) -> list[KnowledgeSource]:
    """Every configured source, by name (without article counts: `KnowledgeBase.sources` adds them)."""
    with session_scope(engine) as session:
        return [_source(r) for r in session.scalars(select(KnowledgeSourceRow).order_by(KnowledgeSourceRow.name))]


def find(engine: Engine, name: str) -> KnowledgeSource | None:
    """The source configured as `name`, if any."""
    with session_scope(engine) as session:
        row = session.get(KnowledgeSourceRow, name)
        return _source(row) if row is not None else None


def configured_source(engine: Engine, name: str) -> KnowledgeSource:
    """Raises:
    NotFoundError: no source of that name is configured (the message lists those that are)."""
    found = find(engine, name)
    if found is not None:
        return found
    with session_scope(engine) as session:
        names = session.scalars(select(KnowledgeSourceRow.name).order_by(KnowledgeSourceRow.name)).all()
    known = f"Configured: {', '.join(names)}." if names else "None is configured yet."
    raise NotFoundError(f"No knowledge source '{name}'. {known} Add one with `python -m assist kb sources add`.")


def save(session: Session, *, name: str, kind: str, location: str, branch: str | None, by: str) -> bool:
    """Configure `name` (caller's transaction); a source already configured is pointed at the new place and keeps
    its last sync. True when it is new."""
    row = session.get(KnowledgeSourceRow, name)
    if row is None:
        session.add(KnowledgeSourceRow(name=name, kind=kind, location=location, branch=branch, added_by=by))
        return True
    row.kind, row.location, row.branch = kind, location, branch
    return False


def forget(session: Session, *, name: str) -> None:
    """Remove `name`'s configuration (caller's transaction); its articles stay, as a source with none.

    Raises:
        NotFoundError: no source of that name is configured.
    """
    row = session.get(KnowledgeSourceRow, name)
    if row is None:
        raise NotFoundError(f"No knowledge source '{name}' is configured; `python -m assist kb sources` lists them.")
    session.delete(row)


def record_sync(engine: Engine, *, name: str, at: datetime, outcome: str | None, error: str | None) -> None:
    """How a sync of `name` went, in its own transaction (a failed sync changed nothing else to commit with)."""
    with session_scope(engine) as session:
        row = session.get(KnowledgeSourceRow, name)
        if row is None:  # removed while it synced: nothing to report on
            return
        row.last_sync_at, row.last_error = at, error
        if outcome is not None:  # a failed sync keeps what the last good one did
            row.last_outcome = outcome
