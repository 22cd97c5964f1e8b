"""Alembic environment. `assist.store.db.upgrade` passes a live connection in; the `alembic`
command line (with `-x url=...`) builds one from the URL or from Settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from assist.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite needs table rebuilds for ALTER; harmless on PostgreSQL
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from assist.config import get_settings
    from assist.store.db import make_engine, migration_connection

    url = context.get_x_argument(as_dictionary=True).get("url") or get_settings().database_url
    with migration_connection(make_engine(url)) as conn:  # on SQLite, foreign keys off while tables are rebuilt
        _run(conn)


run_online()
