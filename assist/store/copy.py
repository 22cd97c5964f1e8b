"""Moving a workspace to another database, for a team that outgrows one SQLite file: every table copied row for
row with its ids, parents before children, each table in its own transaction, then each id sequence moved past
the copied ids so the next ticket gets the next number. Every table is verified by its row count and a checksum
of its rows; a copy that was interrupted resumes where it stopped (a table whose checksum already matches is
kept, the rest copied).

The dashboard's facts are copied as they are (they are rows like any other); the vectors are not in SQL and stay
where CHROMA_PATH or CHROMA_HOST says (`kb reindex` and `similar reindex` rebuild them from the copied rows).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Integer, Table, delete, insert, select, text

from assist.errors import ValidationError
from assist.store.db import upgrade
from assist.store.models import Base

BATCH = 1000


@dataclass(frozen=True)
class TableCopy:
    rows: int
    checksum: str  # of the rows in any order, the same on SQLite and PostgreSQL for the same data
    kept: bool = False  # already complete in the target (a resumed copy)


def checksum(engine: Engine, table: Table) -> tuple[int, str]:
    """(rows, a checksum of the rows whatever their order): the sum of each row's sha256, each value written as
    JSON. Not an ordered hash: SQLite sorts text keys by bytes, PostgreSQL by its collation, so the same rows
    come back in different orders."""
    total, rows = 0, 0
    with engine.connect() as connection:
        for row in connection.execution_options(yield_per=BATCH).execute(select(table)):
            line = json.dumps(list(row), default=_plain, sort_keys=True).encode()
            total = (total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % 2**256
            rows += 1
    return rows, f"{total:064x}"


def _plain(value: Any) -> str:
    """Dates and times as ISO 8601 in UTC, anything else as its text (both databases give the same values)."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def copy_workspace(
    source: Engine,
    target: Engine,
    *,
    force: bool = False,
    progress: Callable[[str, TableCopy], None] = lambda _table, _copy: None,
) -> dict[str, TableCopy]:
    """Copy every row of `source` into `target` (both brought to the same schema version first): per table, the
    rows copied and their checksum, verified against the source's. A table already identical in `target` is kept
    (an interrupted copy resumes); a table holding other rows is refused, or emptied first with `force`.

    Raises:
        ValidationError: the target is the source; a table of the target holds other data and `force` is off
            (nothing more is written); or a checksum differs afterwards.
    """
    if source.url == target.url:
        raise ValidationError("The target is the workspace's own database: give another, empty database.")
    upgrade(source)
    upgrade(target)
    tables = Base.metadata.sorted_tables  # parents before the rows that point at them
    expected = {t.name: checksum(source, t) for t in tables}
    present = {t.name: checksum(target, t) for t in tables}
    clash = sorted(t.name for t in tables if present[t.name][0] and present[t.name] != expected[t.name])
    if clash:
        if not force:
            raise ValidationError(
                f"The target database already holds other data ({', '.join(clash)}); nothing was copied. Copy into "
                "a new, empty database, or pass --force to replace everything there."
            )
        with target.begin() as writing:  # children first: a parent's rows go only after the rows pointing at them
            for table in reversed(tables):
                writing.execute(delete(table))
        present = {t.name: (0, "") for t in tables}
    done: dict[str, TableCopy] = {}
    for table in tables:
        if present[table.name][0] and present[table.name] == expected[table.name]:
            done[table.name] = TableCopy(*expected[table.name], kept=True)
        else:
            with source.connect() as reading, target.begin() as writing:
                result = reading.execution_options(yield_per=BATCH).execute(select(table))
                for batch in result.mappings().partitions(BATCH):
                    writing.execute(insert(table), [dict(r) for r in batch])
            done[table.name] = TableCopy(*checksum(target, table))
        progress(table.name, done[table.name])
    if target.dialect.name == "postgresql":
        with target.begin() as writing:
            _move_sequences(writing)
    differ = sorted(name for name, copy in done.items() if (copy.rows, copy.checksum) != expected[name])
    if differ:
        raise ValidationError(
            f"The copy differs from the workspace in {', '.join(differ)}; do not switch to it. Run the copy again."
        )
    return done


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
