"""Dashboard facts kept on write: per-ticket contributions and their rollups by day x category x agent.

Every figure of the lead dashboard is a sum over tickets of a few numbers per ticket ("item"): one
ticket, one resolution, n CSAT responses in a segment with their score total, hours spent in a
status... `_item_queries` defines each item once, in SQL. A ticket's items live in
`ticket_fact_items`; their sums per (creation day, category, assignee, measure, label) live in
`fact_rollups`, which the dashboard reads: a year is a few hundred thousand rollup rows at most,
whatever the ticket count.

Kept in the same transaction as the change: every ORM session collects the tickets its flushes
touched and, just before it commits, `refresh` recomputes those tickets' items and applies the
difference to the rollups (one function every write path goes through: `track`). Bulk loads that
bypass the ORM call `rebuild`, which computes everything from scratch with the same item queries.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any
from weakref import WeakSet

from sqlalchemy import (
    BindParameter,
    Connection,
    Engine,
    Float,
    Integer,
    String,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    inspect,
    literal,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from assist.edits import LIGHT_EDIT
from assist.store.models import (
    AssistRunRow,
    CsatRow,
    DraftRow,
    EscalationRow,
    FactItemRow,
    FactRollupRow,
    ReplyRow,
    StatusChangeRow,
    TicketCountRow,
    TicketFactRow,
    TicketRow,
)

KEY = ("day", "category", "assignee_id")
UNCATEGORISED = "uncategorised"  # the category key of tickets without one
_PENDING = "assist.facts.pending"
_TRACKED = (TicketRow, StatusChangeRow, ReplyRow, DraftRow, CsatRow, EscalationRow, AssistRunRow)
_BATCH = 500

Scope = Callable[[Any], Any]  # a ticket-id column -> the clause limiting it to the tickets refreshed


# -- dialect-specific expressions ---------------------------------------------------------------------


def epoch_hours(dialect: str, column: Any) -> Any:
    """Hours since 1970 (UTC) of a timestamp column, as a float."""
    if dialect == "sqlite":
        return (func.julianday(column) - 2440587.5) * 24.0
    return cast(func.extract("epoch", column), Float) / 3600.0


def hours_between(dialect: str, later: Any, earlier: Any) -> Any:
    return epoch_hours(dialect, later) - epoch_hours(dialect, earlier)


def utc_day(dialect: str, column: Any) -> Any:
    """YYYY-MM-DD of a timestamp in UTC (string comparison then orders days)."""
    if dialect == "sqlite":
        return func.date(column)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")


def _tenth(dialect: str, value: Any) -> Any:
    """The confidence band 0..9 of a probability, as text (0.95 -> "9")."""
    whole = cast(value * 10, Integer) if dialect == "sqlite" else cast(func.floor(value * 10), Integer)
    return cast(case((value >= 0.9, 9), (value < 0, 0), else_=whole), String)


def _reasons(dialect: str) -> Any:
    """Each escalation reason as a row (the column is a JSON list)."""
    if dialect == "sqlite":
        return func.json_each(EscalationRow.reasons).table_valued("value")
    return func.json_array_elements_text(EscalationRow.reasons).table_valued("value")


# -- the facts, defined once --------------------------------------------------------------------------


def _item(ticket_id: Any, measure: str, label: Any, n: Any, total: Any = 0.0, extra: Any = 0.0) -> Any:
    text = label if not isinstance(label, str) else literal(label, String)
    return select(
        ticket_id.label("ticket_id"),
        literal(measure, String).label("measure"),
        func.substr(text, 1, 200).label("label"),
        cast(n, Integer).label("n"),
        cast(total, Float).label("total"),
        cast(extra, Float).label("extra"),
    )


def segment() -> Any:
    """How a ticket was answered, for CSAT by segment: escalated, written by hand, edited, as drafted."""
    replies = ReplyRow.ticket_id == TicketRow.id
    return case(
        (exists().where(EscalationRow.ticket_id == TicketRow.id), "escalated"),
        (exists().where(replies, ReplyRow.draft_id.is_(None)), "written by hand"),
        (exists().where(replies, ReplyRow.sent_as_drafted.is_(False)), "edited"),
        (exists().where(replies), "sent as drafted"),
        else_="no reply",
    )


def _item_queries(dialect: str, scope: Scope) -> Iterator[Any]:
    """SELECTs of (ticket_id, measure, label, n, total, extra): every ticket's contribution to the dashboard."""
    t = TicketRow

    def hours(later: Any, earlier: Any) -> Any:
        return hours_between(dialect, later, earlier)

    yield _item(t.id, "tickets", "", 1).where(scope(t.id))
    yield _item(t.id, "resolved", "", 1).where(scope(t.id), t.status == "resolved")
    yield _item(t.id, "handled", "", 1, hours(t.resolved_at, t.created_at)).where(
        scope(t.id), t.resolved_at.is_not(None)
    )
    yield _item(t.id, "responded", "", 1, hours(t.first_response_at, t.created_at)).where(
        scope(t.id), t.first_response_at.is_not(None)
    )
    yield _item(t.id, "escalated", "", 1).where(scope(t.id), exists().where(EscalationRow.ticket_id == t.id))

    reason = _reasons(dialect)
    yield (
        _item(EscalationRow.ticket_id, "reason", cast(reason.c.value, String), func.count())
        .select_from(EscalationRow)
        .join(reason, true())
        .where(scope(EscalationRow.ticket_id), ~cast(reason.c.value, String).startswith("Agent's note"))
        .group_by(EscalationRow.ticket_id, cast(reason.c.value, String))
    )

    c, kind = CsatRow, segment()
    satisfied = func.sum(case((c.score >= 4, 1.0), else_=0.0))
    yield (
        _item(c.ticket_id, "csat", kind, func.count(), func.sum(c.score), satisfied)
        .join(t, t.id == c.ticket_id)
        .where(scope(c.ticket_id))
        .group_by(c.ticket_id, kind)
    )

    r = AssistRunRow
    latest = select(func.max(r.id).label("id")).where(scope(r.ticket_id)).group_by(r.ticket_id).subquery()
    yield _item(r.ticket_id, "sentiment", r.sentiment_level, 1).join(latest, latest.c.id == r.id)
    yield (
        _item(r.ticket_id, "runs", "", func.count(), func.sum(r.cost_usd), func.sum(r.latency_ms))
        .where(scope(r.ticket_id))
        .group_by(r.ticket_id)
    )
    yield (
        _item(r.ticket_id, "llm_runs", "", func.count())
        .where(scope(r.ticket_id), r.mode == "llm")
        .group_by(r.ticket_id)
    )

    p = ReplyRow
    sender = func.coalesce(cast(p.sent_by_id, String), "")
    as_drafted = func.sum(case((p.sent_as_drafted, 1.0), else_=0.0))
    yield (
        _item(p.ticket_id, "sends", sender, func.count(), as_drafted)
        .where(scope(p.ticket_id))
        .group_by(p.ticket_id, sender)
    )
    yield (
        _item(p.ticket_id, "edits", sender, func.count(), func.sum(p.edit_distance))
        .where(scope(p.ticket_id), p.edit_distance.is_not(None))
        .group_by(p.ticket_id, sender)
    )
    light = func.sum(case((p.edit_ratio <= LIGHT_EDIT, 1.0), else_=0.0))
    for measure, confidence in (("shown", DraftRow.confidence), ("raw", DraftRow.raw_confidence)):
        band = _tenth(dialect, confidence)
        yield (
            _item(p.ticket_id, measure, band, func.count(), func.sum(confidence), light)
            .join(DraftRow, DraftRow.id == p.draft_id)
            # Only drafts that state an answer (a raw figure): a holding or closing reply shows 0 by design.
            .where(scope(p.ticket_id), p.edit_ratio.is_not(None), DraftRow.raw_confidence.is_not(None))
            .group_by(p.ticket_id, band)
        )

    s = StatusChangeRow
    finish = func.lead(s.changed_at).over(partition_by=s.ticket_id, order_by=(s.changed_at, s.id))
    stays = (
        select(s.ticket_id, s.to_status.label("status"), s.changed_at.label("start"), finish.label("finish"))
        .where(scope(s.ticket_id))
        .subquery()
    )
    # Resolved is where tickets end: its "stay" is just the time since, so it is not a stay.
    yield (
        _item(stays.c.ticket_id, "stay", stays.c.status, func.count(), func.sum(hours(stays.c.finish, stays.c.start)))
        .where(stays.c.finish.is_not(None), stays.c.status != "resolved")
        .group_by(stays.c.ticket_id, stays.c.status)
    )
    # A stay still going: its start, so the dashboard can count it up to the moment it is read.
    yield _item(stays.c.ticket_id, "open_stay", stays.c.status, 1, epoch_hours(dialect, stays.c.start)).where(
        stays.c.finish.is_(None), stays.c.status != "resolved"
    )


def _fact_query(dialect: str, scope: Scope) -> Any:
    t, r = TicketRow, AssistRunRow
    latest = select(r.ticket_id, func.max(r.id).label("id")).where(scope(r.ticket_id)).group_by(r.ticket_id).subquery()
    return (
        select(
            t.id,
            t.created_at,
            utc_day(dialect, t.created_at),
            func.coalesce(t.category, UNCATEGORISED),
            func.coalesce(t.assignee_id, 0),
            t.status,
            t.priority,
            hours_between(dialect, t.first_response_at, t.created_at),
            # The latest run's best article score (0 when it had none); NULL while no run exists.
            case((r.id.is_(None), None), else_=func.coalesce(r.top_score, 0.0)),
        )
        .outerjoin(latest, latest.c.ticket_id == t.id)
        .outerjoin(r, r.id == latest.c.id)
        .where(scope(t.id))
    )


_FACT_COLUMNS = (
    "ticket_id",
    "created_at",
    "day",
    "category",
    "assignee_id",
    "status",
    "priority",
    "response_h",
    "top_score",
)
COUNT_KEY = ("status", "priority", "category", "assignee_id")
_ITEM_COLUMNS = ("ticket_id", "measure", "label", "n", "total", "extra")


def _fills(dialect: str, scope: Scope) -> list[Any]:
    """The INSERT ... SELECTs that compute the facts and items of the tickets in `scope`."""
    return [
        insert(TicketFactRow).from_select(_FACT_COLUMNS, _fact_query(dialect, scope)),
        *(insert(FactItemRow).from_select(_ITEM_COLUMNS, query) for query in _item_queries(dialect, scope)),
    ]


# -- keeping them ---------------------------------------------------------------------------------------

Sums = dict[tuple[Any, ...], tuple[float, ...]]  # key columns -> summed value columns


def rollup_query(scope: Scope, *where: Any) -> Any:
    """The items of the tickets in `scope` (and `where`, on their facts) summed per rollup key: what
    `fact_rollups` holds for every ticket, and what `refresh` compares before and after a change."""
    f, i = TicketFactRow, FactItemRow
    key = (f.day, f.category, f.assignee_id, i.measure, i.label)
    return (
        select(*key, func.sum(i.n).label("n"), func.sum(i.total).label("total"), func.sum(i.extra).label("extra"))
        .join(f, f.ticket_id == i.ticket_id)
        .where(scope(i.ticket_id), *where)
        .group_by(*key)
    )


def _count_query(scope: Scope) -> Any:
    """The facts of the tickets in `scope` counted per inbox key (what `ticket_counts` holds)."""
    f = TicketFactRow
    key = (f.status, f.priority, f.category, f.assignee_id)
    return select(*key, func.count().label("n")).where(scope(f.ticket_id)).group_by(*key)


def _read(connection: Connection, query: Any, width: int, parameters: dict[str, Any] | None = None) -> Sums:
    rows = connection.execute(query, parameters)
    return {tuple(row[:width]): tuple(float(v) for v in row[width:]) for row in rows}


@functools.cache
def _upsert(dialect: str, table: Any) -> Any:
    """INSERT that adds to the row already there (same key) instead of failing."""
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = dialect_insert(table)
    sums = [c.name for c in table.columns if not c.primary_key]
    return stmt.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={name: table.c[name] + stmt.excluded[name] for name in sums},
    )


def _move(connection: Connection, table: Any, before: Sums, after: Sums) -> None:
    """Add `after` - `before` to `table` (keyed like them, in key order: no deadlock between writers), then drop
    the rows that went down to zero (a zero row is no row: the tables stay as small as their data)."""
    key = [c.name for c in table.primary_key.columns]
    sums = [c.name for c in table.columns if not c.primary_key]
    changes = []
    for k in sorted(before.keys() | after.keys()):
        old, new = before.get(k, (0.0,) * len(sums)), after.get(k, (0.0,) * len(sums))
        delta = dict(zip(sums, (b - a for a, b in zip(old, new, strict=True)), strict=True))
        if any(delta.values()):
            changes.append(dict(zip(key, k, strict=True)) | delta | {"n": round(delta["n"])})
    if not changes:
        return
    connection.execute(_upsert(connection.dialect.name, table), changes)
    lowered = [c for c in changes if c["n"] < 0]
    if lowered:
        matches = [table.c[k] == bindparam(f"p_{k}") for k in key]
        connection.execute(
            delete(table).where(table.c.n == 0, *matches), [{f"p_{k}": c[k] for k in key} for c in lowered]
        )


# The tickets one `refresh` batch recomputes, bound afresh to statements built once (`_refresh_statements`).
_IDS: BindParameter[list[int]] = bindparam("refreshed_ids", expanding=True)


def _listed(column: Any) -> Any:
    return column.in_(_IDS)


def _everything(_column: Any) -> Any:
    return true()


@dataclass(frozen=True)
class _Refresh:
    """What `refresh` runs, over the tickets bound to `_IDS`."""

    rollups: Any
    counts: Any
    clear: tuple[Any, ...]
    fills: tuple[Any, ...]


@functools.cache
def _refresh_statements(dialect: str) -> _Refresh:
    """Built once per dialect and reused with new ids: building these twenty-odd statements in Python cost five
    times what SQLite took to run them, on every write that touches a ticket (an assist run's store step)."""
    return _Refresh(
        rollups=rollup_query(_listed),
        counts=_count_query(_listed),
        clear=(
            delete(FactItemRow).where(_listed(FactItemRow.ticket_id)),
            delete(TicketFactRow).where(_listed(TicketFactRow.ticket_id)),
        ),
        fills=tuple(_fills(dialect, _listed)),
    )


def refresh(connection: Connection, ticket_ids: Iterable[int]) -> None:
    """Recompute these tickets' facts from their rows and move the rollups and counts by the difference."""
    ids = sorted({int(i) for i in ticket_ids if i is not None})
    run = _refresh_statements(connection.dialect.name)
    for start in range(0, len(ids), _BATCH):
        batch = {_IDS.key: ids[start : start + _BATCH]}
        rollups, counts = _read(connection, run.rollups, 5, batch), _read(connection, run.counts, 4, batch)
        for statement in (*run.clear, *run.fills):
            connection.execute(statement, batch)
        _move(connection, TicketCountRow.__table__, counts, _read(connection, run.counts, 4, batch))
        _move(connection, FactRollupRow.__table__, rollups, _read(connection, run.rollups, 5, batch))


def rebuild(connection: Connection) -> None:
    """Every fact, rollup and count computed from scratch (after bulk loads, and to check the kept ones)."""
    for table in (FactRollupRow, FactItemRow, TicketFactRow, TicketCountRow):
        connection.execute(delete(table))
    for statement in _fills(connection.dialect.name, _everything):
        connection.execute(statement)
    connection.execute(
        insert(FactRollupRow).from_select((*KEY, "measure", "label", "n", "total", "extra"), rollup_query(_everything))
    )
    connection.execute(insert(TicketCountRow).from_select((*COUNT_KEY, "n"), _count_query(_everything)))


def compute_if_missing(connection: Connection) -> None:
    """Compute the facts of a workspace that has tickets but no facts: one upgraded from before they existed
    (revision 0013 adds the tables; the facts are computed at the end of the upgrade, by today's queries on
    today's schema). Every write keeps them from then on, so a workspace with tickets has facts."""
    if connection.scalar(select(TicketRow.id).limit(1)) is None:
        return
    if connection.scalar(select(TicketFactRow.ticket_id).limit(1)) is None:
        rebuild(connection)


# -- every ORM write path ---------------------------------------------------------------------------


def _collect(session: Session, _flush: UOWTransaction) -> None:
    pending: set[int] = session.info.setdefault(_PENDING, set())
    for row in chain(session.new, session.dirty, session.deleted):
        if isinstance(row, TicketRow):
            pending.add(row.id)
        elif isinstance(row, _TRACKED):
            pending.add(getattr(row, "ticket_id"))  # noqa: B009 (every tracked row but a ticket has one)


def _keep(session: Session) -> None:
    session.flush()  # commit flushes after this hook; the facts must see everything
    pending = session.info.pop(_PENDING, None)
    if pending and _has_facts(connection := session.connection()):
        refresh(connection, pending)


_WITH_FACTS: WeakSet[Engine] = WeakSet()


def _has_facts(connection: Connection) -> bool:
    """Whether the schema has reached the facts (a database still being upgraded has not; `store.db.upgrade`
    computes them once it reaches head)."""
    if connection.engine not in _WITH_FACTS and inspect(connection).has_table(TicketFactRow.__tablename__):
        _WITH_FACTS.add(connection.engine)
    return connection.engine in _WITH_FACTS


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def track(sessions: sessionmaker[Session]) -> None:
    """Keep the facts of every ticket a session made by `sessions` touched, in the same transaction."""
    from sqlalchemy import event

    event.listen(sessions, "after_flush", _collect)
    event.listen(sessions, "before_commit", _keep)
    event.listen(sessions, "after_rollback", _forget)
