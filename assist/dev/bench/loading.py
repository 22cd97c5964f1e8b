"""Bulk loading for the large benchmark workspaces: PostgreSQL's COPY, batched inserts elsewhere."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Column, Connection, Table, insert, text

from assist.store.models import Base

_BATCH = 20_000


def load(connection: Connection, model: type[Base], rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert `rows` (dicts with the same keys) into `model`'s table in the caller's transaction; returns how many."""
    table = _table(model)
    rows = list(rows)
    if not rows:
        return 0
    if connection.dialect.name != "postgresql":
        for start in range(0, len(rows), _BATCH):
            connection.execute(insert(table), rows[start : start + _BATCH])
        return len(rows)
    given = list(rows[0])
    # COPY skips SQLAlchemy's client-side defaults: fill them in as INSERT would.
    defaults = {c.name: _default(c) for c in table.columns if c.name not in given and c.default is not None}
    columns = given + list(defaults)
    raw: Any = connection.connection.dbapi_connection  # psycopg's own connection: it has COPY
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_copyable(row[c]) for c in given] + [_copyable(v) for v in defaults.values()])
    return len(rows)


def _default(column: Column[Any]) -> Any:
    default = column.default
    arg = getattr(default, "arg", None)
    return arg(None) if callable(arg) else arg


def _copyable(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, (dict, list)) else value


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def settle(connection: Connection, models: Iterable[type[Base]]) -> None:
    """After explicit ids were loaded: move PostgreSQL's id sequences past them, and refresh the planner's
    statistics (a plan chosen on an empty table's statistics would be the wrong one)."""
    if connection.dialect.name != "postgresql":
        connection.execute(text("ANALYZE"))
        return
    for table in map(_table, models):
        if "id" in table.c:
            sequence = f"pg_get_serial_sequence('{table.name}', 'id')"
            connection.execute(text(f"SELECT setval({sequence}, coalesce(max(id), 0) + 1, false) FROM {table.name}"))
    connection.execute(text("ANALYZE"))
