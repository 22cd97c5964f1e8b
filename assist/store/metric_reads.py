"""The reads behind the lead dashboard (`assist.metrics`): sums of the rollups kept on write
(`assist.store.facts`), the median first response, and the tickets no article answered.

Every read takes the same `MetricsFilter`. The rollups are keyed by (creation day, category, assignee), so a
year costs the same few queries as a week; an escalation queue is not part of their key, so for one queue the
same sums are taken over the facts of the tickets escalated to it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, func, select

from assist.domain import MetricsFilter
from assist.store.db import session_scope
from assist.store.facts import rollup_query
from assist.store.models import EscalationRow, FactRollupRow, TicketFactRow, TicketRow, TicketTopicRow

Row = tuple[Any, ...]


def _in_queue(f: MetricsFilter, ticket_id: Any) -> ColumnElement[bool]:
    tickets: ColumnElement[bool] = ticket_id.in_(select(EscalationRow.ticket_id).where(EscalationRow.queue == f.queue))
    return tickets


def _keyed(f: MetricsFilter, source: Any) -> ColumnElement[bool]:
    """The filter on anything keyed by (day, category, assignee_id)."""
    clauses = [source.c.day >= f.start.isoformat(), source.c.day <= f.end.isoformat()]
    if f.categories:
        clauses.append(source.c.category.in_(f.categories))
    if f.agent_id is not None:
        clauses.append(source.c.assignee_id == f.agent_id)
    return and_(*clauses)


def _source(f: MetricsFilter) -> Any:
    """The rollups, or, for one escalation queue, the same sums over the items of the tickets escalated to it."""
    if not f.queue:
        return FactRollupRow.__table__
    return rollup_query(partial(_in_queue, f), _keyed(f, TicketFactRow.__table__)).subquery()


def sums(engine: Engine, f: MetricsFilter, *, by: tuple[str, ...], measures: tuple[str, ...] = ()) -> list[Row]:
    """Rows of `by` (among day, category, assignee_id, measure, label) then the sums of n, total and extra;
    only the `measures` named, when any are."""
    source = _source(f)
    where = _keyed(f, source)
    if measures:
        where = and_(where, source.c.measure.in_(measures))
    groups = [source.c[name] for name in by]
    stmt = select(*groups, func.sum(source.c.n), func.sum(source.c.total), func.sum(source.c.extra)).where(where)
    with session_scope(engine) as session:
        return [tuple(r) for r in session.execute(stmt.group_by(*groups))]


def _facts_where(f: MetricsFilter) -> ColumnElement[bool]:
    clauses = [_keyed(f, TicketFactRow.__table__)]
    if f.queue:
        clauses.append(_in_queue(f, TicketFactRow.ticket_id))
    return and_(*clauses)


def _created_in(f: MetricsFilter) -> ColumnElement[bool]:
    """The filter's days as a time range, so the newest-first read walks the creation-time index."""
    start = datetime.combine(f.start, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(f.end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return and_(TicketFactRow.created_at >= start, TicketFactRow.created_at < end)


def middle_response_hours(engine: Engine, f: MetricsFilter, *, answered: int) -> list[float]:
    """The one or two middle first responses (hours) of the `answered` tickets in the filter, read in order
    from the index on response hours: OFFSET steps over half of it, no sort."""
    hours = TicketFactRow.response_h
    stmt = (
        select(hours)
        .where(_facts_where(f), hours.is_not(None))
        .order_by(hours)
        .offset((answered - 1) // 2)
        .limit(2 - answered % 2)
    )
    with session_scope(engine) as session:
        return [float(h) for h in session.scalars(stmt) if h is not None]


def poorly_answered(engine: Engine, f: MetricsFilter, *, max_score: float, limit: int) -> list[Row]:
    """Newest first: (ticket id, subject, preview, best article score, opening's embedding or None) of the
    tickets whose best article scored below `max_score`."""
    facts = TicketFactRow
    stmt = (
        select(TicketRow.id, TicketRow.subject, TicketRow.preview, facts.top_score, TicketTopicRow.vector)
        .join(TicketRow, TicketRow.id == facts.ticket_id)
        .outerjoin(TicketTopicRow, TicketTopicRow.ticket_id == TicketRow.id)
        .where(_created_in(f), _facts_where(f), facts.top_score < max_score)
        .order_by(facts.created_at.desc())
        .limit(limit)
    )
    with session_scope(engine) as session:
        return [tuple(r) for r in session.execute(stmt)]
