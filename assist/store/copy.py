"""Moving a workspace to another database, for a team that outgrows one SQLite file: every table copied row for
row with its ids, parents before children, in one transaction on the target, then each id sequence moved past
the copied ids so the next ticket gets the next number.

The dashboard's facts are copied as they are (they are rows like any other); the vectors are not in SQL and stay
where CHROMA_PATH or CHROMA_HOST says (`kb reindex` and `similar reindex` rebuild them from the copied rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, Integer, func, insert, select, text

from assist.errors import ValidationError
from assist.store.db import upgrade
from assist.store.models import Base

BATCH = 1000


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.name: connection.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables
        }


def copy_workspace(
    source: Engine, target: Engine, *, progress: Callable[[str, int], None] = lambda _table, _rows: None
) -> dict[str, int]:
    """Copy every row of `source` into the empty database `target` (both brought to the same schema version
    first). Returns the rows copied per table, checked against the source's counts.

    Raises:
        ValidationError: `target` already holds data (nothing is written to it), or a count differs afterwards.
    """
    if source.url == target.url:
        raise ValidationError("The target is the workspace's own database: give another, empty database.")
    upgrade(source)
    upgrade(target)
    taken = {name: n for name, n in _counts(target).items() if n}
    if taken:
        raise ValidationError(
            f"The target database already holds data ({', '.join(sorted(taken))}); nothing was copied. "
            "Copy into a new, empty database."
        )
    copied: dict[str, int] = {}
    with source.connect() as reading, target.begin() as writing:
        for table in Base.metadata.sorted_tables:  # parents before the rows that point at them
            rows = 0
            result = reading.execution_options(yield_per=BATCH).execute(select(table))
            for batch in result.mappings().partitions(BATCH):
                writing.execute(insert(table), [dict(r) for r in batch])
                rows += len(batch)
            copied[table.name] = rows
            progress(table.name, rows)
        if writing.dialect.name == "postgresql":
            _move_sequences(writing)
    expected = _counts(source)
    if copied != expected or _counts(target) != expected:
        raise ValidationError("The copy's row counts differ from the workspace's; do not switch to it. Try again.")
    return copied


def _move_sequences(connection: Any) -> None:
    """Rows came with their ids, which PostgreSQL's sequences did not hand out: each moves past the largest."""
    for table in Base.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer) or keys[0].autoincrement is False:
            continue
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": table.name, "column": keys[0].name}
        )
        if sequence:
            connection.execute(
                text(
                    f"SELECT setval(:sequence, COALESCE((SELECT MAX({keys[0].name}) FROM {table.name}), 0) + 1, false)"
                ),
                {"sequence": sequence},
            )
