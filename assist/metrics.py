"""Dashboard figures for team leads, aggregated in SQL (only small result tables reach pandas).

Every function takes the same `MetricsFilter` (date range on ticket creation, categories, agent,
escalation queue) and returns either a `Kpis` model or a small DataFrame ready to chart or export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Engine, Text, and_, case, cast, exists, func, literal, select

from assist.drafting.confidence import LIGHT_EDIT
from assist.store.calibrations import current_recalibration
from assist.store.db import session_scope
from assist.store.models import (
    AssistRunRow,
    CsatRow,
    DraftRow,
    EscalationRow,
    ReplyRow,
    StatusChangeRow,
    TicketRow,
    UserRow,
)


class MetricsFilter(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: date
    end: date  # inclusive
    categories: tuple[str, ...] = ()
    agent_id: int | None = None
    queue: str | None = None

    @classmethod
    def last_days(cls, days: int, **kwargs: Any) -> MetricsFilter:
        today = datetime.now(UTC).date()
        return cls(start=today - timedelta(days=days - 1), end=today, **kwargs)


class Kpis(BaseModel):
    tickets: int
    resolution_rate: float | None
    escalation_rate: float | None
    sent_as_drafted_rate: float | None
    avg_edit_distance: float | None
    first_response_mean_h: float | None
    first_response_median_h: float | None
    handle_time_mean_h: float | None
    csat_avg: float | None
    csat_satisfied: float | None  # share of 4-5 ratings
    csat_responses: int


def _where(f: MetricsFilter) -> ColumnElement[bool]:
    start = datetime.combine(f.start, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(f.end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    clauses: list[ColumnElement[bool]] = [TicketRow.created_at >= start, TicketRow.created_at < end]
    if f.categories:
        clauses.append(TicketRow.category.in_(f.categories))
    if f.agent_id is not None:
        clauses.append(TicketRow.assignee_id == f.agent_id)
    if f.queue:
        # Not a correlated EXISTS: queries that select from `escalations` themselves would lose their FROM.
        clauses.append(TicketRow.id.in_(select(EscalationRow.ticket_id).where(EscalationRow.queue == f.queue)))
    return and_(*clauses)


def _hours(engine: Engine, later: Any, earlier: Any) -> Any:
    """Elapsed hours between two timestamp columns, per dialect."""
    if engine.dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 24.0
    return func.extract("epoch", later - earlier) / 3600.0


def _day(engine: Engine, column: Any) -> Any:
    if engine.dialect.name == "sqlite":
        return func.date(column)
    return func.to_char(func.date_trunc("day", column), "YYYY-MM-DD")


def _frame(engine: Engine, stmt: Any, columns: list[str]) -> pd.DataFrame:
    with session_scope(engine) as session:
        rows = [tuple(float(v) if isinstance(v, Decimal) else v for v in r) for r in session.execute(stmt)]
    return pd.DataFrame(rows, columns=columns)  # PostgreSQL's averages arrive as Decimal; charts want floats


def _round(value: Any, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def kpis(engine: Engine, f: MetricsFilter) -> Kpis:
    where = _where(f)
    response_h = _hours(engine, TicketRow.first_response_at, TicketRow.created_at)
    with session_scope(engine) as session:
        total, resolved, escalated, frt_mean, handle = session.execute(
            select(
                func.count(),
                func.sum(case((TicketRow.status == "resolved", 1), else_=0)),
                func.sum(case((exists().where(EscalationRow.ticket_id == TicketRow.id), 1), else_=0)),
                func.avg(response_h),
                func.avg(_hours(engine, TicketRow.resolved_at, TicketRow.created_at)),
            ).where(where)
        ).one()
        drafted, edit = session.execute(
            select(func.avg(case((ReplyRow.sent_as_drafted, 1.0), else_=0.0)), func.avg(ReplyRow.edit_distance))
            .join(TicketRow, TicketRow.id == ReplyRow.ticket_id)
            .where(where)
        ).one()
        csat_avg, satisfied, responses = session.execute(
            select(func.avg(CsatRow.score), func.avg(case((CsatRow.score >= 4, 1.0), else_=0.0)), func.count())
            .join(TicketRow, TicketRow.id == CsatRow.ticket_id)
            .where(where)
        ).one()
        with_response = select(response_h.label("h")).where(where, TicketRow.first_response_at.is_not(None))
        n = session.scalar(select(func.count()).select_from(with_response.subquery())) or 0
        median = None
        if n:  # portable median: the middle row(s) by ORDER BY ... OFFSET
            middle = session.scalars(with_response.order_by(response_h).offset((n - 1) // 2).limit(2 - n % 2)).all()
            median = sum(middle) / len(middle)

    def rate(part: int) -> float | None:
        return _round(part / total) if total else None

    return Kpis(
        tickets=total,
        resolution_rate=rate(resolved or 0),
        escalation_rate=rate(escalated or 0),
        sent_as_drafted_rate=_round(drafted),
        avg_edit_distance=_round(edit, 1),
        first_response_mean_h=_round(frt_mean, 2),
        first_response_median_h=_round(median, 2),
        handle_time_mean_h=_round(handle, 2),
        csat_avg=_round(csat_avg, 2),
        csat_satisfied=_round(satisfied),
        csat_responses=responses,
    )


def csat_trend(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    day = _day(engine, CsatRow.responded_at)
    stmt = (
        select(day, func.avg(CsatRow.score), func.count())
        .join(TicketRow, TicketRow.id == CsatRow.ticket_id)
        .where(_where(f))
        .group_by(day)
        .order_by(day)
    )
    return _frame(engine, stmt, ["day", "csat", "responses"])


def _segment() -> Any:
    escalated = exists().where(EscalationRow.ticket_id == TicketRow.id)
    by_hand = exists().where(ReplyRow.ticket_id == TicketRow.id, ReplyRow.draft_id.is_(None))
    edited = exists().where(ReplyRow.ticket_id == TicketRow.id, ReplyRow.sent_as_drafted.is_(False))
    drafted = exists().where(ReplyRow.ticket_id == TicketRow.id)
    return case(
        (escalated, "escalated"),
        (by_hand, "written by hand"),
        (edited, "edited"),
        (drafted, "sent as drafted"),
        else_="no reply",
    )


def csat_by_segment(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    segment = _segment()
    stmt = (
        select(segment, func.avg(CsatRow.score), func.count())
        .join(TicketRow, TicketRow.id == CsatRow.ticket_id)
        .where(_where(f))
        .group_by(segment)
        .order_by(segment)
    )
    return _frame(engine, stmt, ["segment", "csat", "responses"])


def volume(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    day = _day(engine, TicketRow.created_at)
    category = func.coalesce(TicketRow.category, "uncategorised")
    stmt = select(day, category, func.count()).where(_where(f)).group_by(day, category).order_by(day)
    return _frame(engine, stmt, ["day", "category", "tickets"])


def escalation_reasons(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    """Counts per reason. SQL groups identical reason lists (a handful); they are split here."""
    as_text = cast(EscalationRow.reasons, Text)  # PostgreSQL cannot group by a json value
    stmt = (
        select(as_text, func.count())
        .join(TicketRow, TicketRow.id == EscalationRow.ticket_id)
        .where(_where(f))
        .group_by(as_text)
    )
    counts: dict[str, int] = {}
    for reasons, n in _frame(engine, stmt, ["reasons", "n"]).itertuples(index=False):
        for reason in json.loads(reasons or "[]"):
            if not str(reason).startswith("Agent's note"):
                counts[str(reason)] = counts.get(str(reason), 0) + int(n)
    frame = pd.DataFrame(sorted(counts.items(), key=lambda kv: -kv[1]), columns=["reason", "escalations"])
    return frame


def _latest_runs(where: ColumnElement[bool]) -> Any:
    """The newest assist run of each ticket that passes the filter (filtering first keeps this small)."""
    latest = (
        select(func.max(AssistRunRow.id).label("id"))
        .join(TicketRow, TicketRow.id == AssistRunRow.ticket_id)
        .where(where)
        .group_by(AssistRunRow.ticket_id)
        .subquery()
    )
    return select(AssistRunRow).join(latest, latest.c.id == AssistRunRow.id).subquery()


def sentiment(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    runs = _latest_runs(_where(f))
    day = _day(engine, TicketRow.created_at)
    stmt = (
        select(day, runs.c.sentiment_level, func.count())
        .join(runs, runs.c.ticket_id == TicketRow.id)
        .where(_where(f))
        .group_by(day, runs.c.sentiment_level)
        .order_by(day)
    )
    return _frame(engine, stmt, ["day", "level", "tickets"])


def calibration(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    """A reliability diagram of draft confidence against how often the draft went out with at most light edits:
    the confidence as shown when each draft was made, and as the team's current recalibration would show it.
    Columns: series, band, mean_confidence, light_edit_rate, replies."""
    stmt = (
        select(DraftRow.confidence, DraftRow.raw_confidence, ReplyRow.edit_ratio)
        .join(DraftRow, DraftRow.id == ReplyRow.draft_id)
        .join(TicketRow, TicketRow.id == ReplyRow.ticket_id)
        .where(_where(f), ReplyRow.edit_ratio.is_not(None))
    )
    sends = _frame(engine, stmt, ["shown", "raw", "edit_ratio"])
    columns = ["series", "band", "mean_confidence", "light_edit_rate", "replies"]
    if sends.empty:
        return pd.DataFrame(columns=columns)
    light = sends["edit_ratio"] <= LIGHT_EDIT
    series = [pd.DataFrame({"series": "as shown", "confidence": sends["shown"], "light": light})]
    recalibration = current_recalibration(engine)
    if recalibration.fitted_at is not None:
        known = sends["raw"].notna()
        recalibrated = recalibration.apply_all(sends.loc[known, "raw"].to_numpy(dtype=float))
        series.append(pd.DataFrame({"series": "recalibrated", "confidence": recalibrated, "light": light[known]}))
    frame = pd.concat(series, ignore_index=True)
    frame["band"] = (frame["confidence"] * 10).clip(upper=9.999).astype(int) / 10
    grouped = frame.groupby(["series", "band"], as_index=False).agg(
        mean_confidence=("confidence", "mean"), light_edit_rate=("light", "mean"), replies=("light", "size")
    )
    return grouped[columns]


def time_in_status(engine: Engine, f: MetricsFilter, *, now: datetime | None = None) -> pd.DataFrame:
    """Mean hours per stay in each open status; stays still open count up to `now`. Resolved is left out:
    it is where tickets end, and its "stay" is just the time since resolution."""
    nxt = func.lead(StatusChangeRow.changed_at).over(
        partition_by=StatusChangeRow.ticket_id, order_by=(StatusChangeRow.changed_at, StatusChangeRow.id)
    )
    stays = (
        select(
            StatusChangeRow.to_status.label("status"),
            StatusChangeRow.changed_at.label("start"),
            func.coalesce(nxt, literal(now or datetime.now(UTC))).label("finish"),
        )
        .join(TicketRow, TicketRow.id == StatusChangeRow.ticket_id)
        .where(_where(f))
        .subquery()
    )
    hours = _hours(engine, stays.c.finish, stays.c.start)
    stmt = (
        select(stays.c.status, func.avg(hours), func.count())
        .where(stays.c.status != "resolved")
        .group_by(stays.c.status)
        .order_by(stays.c.status)
    )
    return _frame(engine, stmt, ["status", "mean_hours", "stays"])


def assist_costs(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    day = _day(engine, AssistRunRow.created_at)
    stmt = (
        select(
            day,
            func.count(),
            func.sum(AssistRunRow.cost_usd),
            func.avg(AssistRunRow.latency_ms),
            func.max(AssistRunRow.latency_ms),
            func.sum(case((AssistRunRow.mode == "llm", 1), else_=0)),
        )
        .join(TicketRow, TicketRow.id == AssistRunRow.ticket_id)
        .where(_where(f))
        .group_by(day)
        .order_by(day)
    )
    return _frame(engine, stmt, ["day", "runs", "cost_usd", "mean_latency_ms", "max_latency_ms", "llm_runs"])


def agents(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    where = _where(f)
    replies = (
        select(
            ReplyRow.sent_by_id.label("uid"),
            func.count().label("replies"),
            func.avg(case((ReplyRow.sent_as_drafted, 1.0), else_=0.0)).label("as_drafted"),
            func.avg(ReplyRow.edit_distance).label("edit_distance"),
        )
        .join(TicketRow, TicketRow.id == ReplyRow.ticket_id)
        .where(where)
        .group_by(ReplyRow.sent_by_id)
        .subquery()
    )
    owned = (
        select(
            TicketRow.assignee_id.label("uid"),
            func.count().label("tickets"),
            func.sum(case((TicketRow.status == "resolved", 1), else_=0)).label("resolved"),
        )
        .where(where)
        .group_by(TicketRow.assignee_id)
        .subquery()
    )
    csat = (
        select(TicketRow.assignee_id.label("uid"), func.avg(CsatRow.score).label("csat"))
        .join(CsatRow, CsatRow.ticket_id == TicketRow.id)
        .where(where)
        .group_by(TicketRow.assignee_id)
        .subquery()
    )
    stmt = (
        select(
            UserRow.name,
            UserRow.role,
            func.coalesce(owned.c.tickets, 0),
            func.coalesce(owned.c.resolved, 0),
            func.coalesce(replies.c.replies, 0),
            replies.c.as_drafted,
            replies.c.edit_distance,
            csat.c.csat,
        )
        .outerjoin(replies, replies.c.uid == UserRow.id)
        .outerjoin(owned, owned.c.uid == UserRow.id)
        .outerjoin(csat, csat.c.uid == UserRow.id)
        .order_by(UserRow.name)
    )
    frame = _frame(
        engine,
        stmt,
        ["agent", "role", "tickets", "resolved", "replies", "as_drafted_rate", "avg_edit_distance", "csat"],
    )
    return frame[(frame["tickets"] > 0) | (frame["replies"] > 0)].reset_index(drop=True)


def gap_candidates(engine: Engine, f: MetricsFilter, *, max_score: float, limit: int = 300) -> pd.DataFrame:
    """Recent tickets whose best article scored below `max_score` (the knowledge base had no good answer)."""
    runs = _latest_runs(_where(f))
    stmt = (
        select(TicketRow.id, TicketRow.subject, TicketRow.preview, runs.c.top_score)
        .join(runs, runs.c.ticket_id == TicketRow.id)
        .where(_where(f), func.coalesce(runs.c.top_score, 0.0) < max_score)
        .order_by(TicketRow.created_at.desc())
        .limit(limit)
    )
    return _frame(engine, stmt, ["ticket_id", "subject", "preview", "top_score"])


@dataclass(frozen=True)
class Dashboard:
    kpis: Kpis
    csat_trend: pd.DataFrame
    csat_by_segment: pd.DataFrame
    volume: pd.DataFrame
    escalation_reasons: pd.DataFrame
    sentiment: pd.DataFrame
    calibration: pd.DataFrame
    time_in_status: pd.DataFrame
    assist_costs: pd.DataFrame
    agents: pd.DataFrame


def dashboard(engine: Engine, f: MetricsFilter) -> Dashboard:
    """Every figure of the lead dashboard for one filter (each an SQL aggregation)."""
    return Dashboard(
        kpis=kpis(engine, f),
        csat_trend=csat_trend(engine, f),
        csat_by_segment=csat_by_segment(engine, f),
        volume=volume(engine, f),
        escalation_reasons=escalation_reasons(engine, f),
        sentiment=sentiment(engine, f),
        calibration=calibration(engine, f),
        time_in_status=time_in_status(engine, f),
        assist_costs=assist_costs(engine, f),
        agents=agents(engine, f),
    )
