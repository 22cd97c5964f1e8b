"""Persistence: SQLAlchemy models, the engine factory, schema upgrades and repositories."""

from assist.store.db import downgrade, has_schema, make_engine, normalize_url, session_scope, upgrade

__all__ = ["downgrade", "has_schema", "make_engine", "normalize_url", "session_scope", "upgrade"]
