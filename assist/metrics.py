"""Dashboard figures for team leads, read from the facts kept on write (assist/store/facts.py).

Every function takes the same `MetricsFilter` (tickets created in a date range, categories, agent,
escalation queue) and returns a `Kpis` model or a small DataFrame ready to chart or export. They
read `fact_rollups` (sums per creation day x category x agent), so a year costs the same few
queries as a week; only the median first response and the knowledge-gap list read per-ticket facts.
Charts by day use the day the ticket was created, like the filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Engine, and_, func, select

from assist.store.calibrations import current_recalibration
from assist.store.db import session_scope
from assist.store.facts import rollup_query
from assist.store.models import EscalationRow, FactRollupRow, TicketFactRow, TicketRow, TicketTopicRow, UserRow

_DAILY = ("tickets", "csat", "sentiment", "runs", "llm_runs")
_OWNED = ("tickets", "resolved", "csat")


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


# -- reading the facts ----------------------------------------------------------------------------------


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
    """The rollups, or, for one escalation queue (not part of their key), the same sums taken over the
    items of the tickets escalated to it."""
    if not f.queue:
        return FactRollupRow.__table__
    return rollup_query(partial(_in_queue, f), _keyed(f, TicketFactRow.__table__)).subquery()


def _sums(engine: Engine, f: MetricsFilter, by: tuple[str, ...], measures: tuple[str, ...] = ()) -> pd.DataFrame:
    """Sums of n, total and extra per `by` (among day, category, assignee_id, measure, label)."""
    source = _source(f)
    where = _keyed(f, source)
    if measures:
        where = and_(where, source.c.measure.in_(measures))
    groups = [source.c[name] for name in by]
    stmt = select(*groups, func.sum(source.c.n), func.sum(source.c.total), func.sum(source.c.extra)).where(where)
    with session_scope(engine) as session:
        rows = session.execute(stmt.group_by(*groups)).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=[*by, "n", "total", "extra"])
    return frame.astype({"n": "int64", "total": "float64", "extra": "float64"})


def _totals(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    return _sums(engine, f, ("measure", "label"))


def _daily(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    return _sums(engine, f, ("day", "category", "measure", "label"), _DAILY)


def _owned(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    return _sums(engine, f, ("assignee_id", "measure"), _OWNED)


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


def _median_response(engine: Engine, f: MetricsFilter, totals: pd.DataFrame) -> float | None:
    """The middle first response of the answered tickets in the filter (their count is in the rollups),
    read in order from the index on response hours: OFFSET steps over half of it, no sort."""
    answered = int(_sum(totals, "responded"))
    if not answered:
        return None
    hours = TicketFactRow.response_h
    stmt = (
        select(hours)
        .where(_facts_where(f), hours.is_not(None))
        .order_by(hours)
        .offset((answered - 1) // 2)
        .limit(2 - answered % 2)
    )
    with session_scope(engine) as session:
        middle = [float(h) for h in session.scalars(stmt) if h is not None]
    return sum(middle) / len(middle) if middle else None


def _round(value: Any, digits: int = 3) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def _ratio(part: float, whole: float, digits: int = 3) -> float | None:
    return _round(part / whole, digits) if whole else None


def _measure(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame[frame["measure"] == name]


def _sum(frame: pd.DataFrame, name: str, column: str = "n") -> float:
    return float(_measure(frame, name)[column].sum())


# -- the figures ----------------------------------------------------------------------------------------


def _kpis(totals: pd.DataFrame, median: float | None) -> Kpis:
    tickets = int(_sum(totals, "tickets"))
    return Kpis(
        tickets=tickets,
        resolution_rate=_ratio(_sum(totals, "resolved"), tickets),
        escalation_rate=_ratio(_sum(totals, "escalated"), tickets),
        sent_as_drafted_rate=_ratio(_sum(totals, "sends", "total"), _sum(totals, "sends")),
        avg_edit_distance=_ratio(_sum(totals, "edits", "total"), _sum(totals, "edits"), 1),
        first_response_mean_h=_ratio(_sum(totals, "responded", "total"), _sum(totals, "responded"), 2),
        first_response_median_h=_round(median, 2),
        handle_time_mean_h=_ratio(_sum(totals, "handled", "total"), _sum(totals, "handled"), 2),
        csat_avg=_ratio(_sum(totals, "csat", "total"), _sum(totals, "csat"), 2),
        csat_satisfied=_ratio(_sum(totals, "csat", "extra"), _sum(totals, "csat")),
        csat_responses=int(_sum(totals, "csat")),
    )


def kpis(engine: Engine, f: MetricsFilter) -> Kpis:
    totals = _totals(engine, f)
    return _kpis(totals, _median_response(engine, f, totals))


def _csat_trend(daily: pd.DataFrame) -> pd.DataFrame:
    csat = _measure(daily, "csat").groupby("day", as_index=False)[["n", "total"]].sum()
    csat["csat"] = csat["total"] / csat["n"]
    return csat.rename(columns={"n": "responses"})[["day", "csat", "responses"]].sort_values("day", ignore_index=True)


def csat_trend(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    """Mean CSAT of the tickets created each day."""
    return _csat_trend(_daily(engine, f))


def _csat_by_segment(totals: pd.DataFrame) -> pd.DataFrame:
    csat = _measure(totals, "csat").rename(columns={"label": "segment", "n": "responses"})
    csat = csat.assign(csat=csat["total"] / csat["responses"])
    return csat[["segment", "csat", "responses"]].sort_values("segment", ignore_index=True)


def csat_by_segment(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    return _csat_by_segment(_totals(engine, f))


def _volume(daily: pd.DataFrame) -> pd.DataFrame:
    tickets = _measure(daily, "tickets").rename(columns={"n": "tickets"})
    return tickets[["day", "category", "tickets"]].sort_values(["day", "category"], ignore_index=True)


def volume(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    return _volume(_daily(engine, f))


def _escalation_reasons(totals: pd.DataFrame) -> pd.DataFrame:
    reasons = _measure(totals, "reason").rename(columns={"label": "reason", "n": "escalations"})
    return reasons.sort_values(["escalations", "reason"], ascending=[False, True], ignore_index=True)[
        ["reason", "escalations"]
    ]


def escalation_reasons(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    """Escalations per reason (the agent's own notes left out)."""
    return _escalation_reasons(_totals(engine, f))


def _sentiment(daily: pd.DataFrame) -> pd.DataFrame:
    levels = _measure(daily, "sentiment").groupby(["day", "label"], as_index=False)["n"].sum()
    return levels.rename(columns={"label": "level", "n": "tickets"}).sort_values(["day", "level"], ignore_index=True)


def sentiment(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    """Tickets per day by the sentiment of their latest assistance."""
    return _sentiment(_daily(engine, f))


def _calibration(totals: pd.DataFrame, engine: Engine) -> pd.DataFrame:
    columns = ["series", "band", "mean_confidence", "light_edit_rate", "replies"]
    shown = _measure(totals, "shown")
    if shown.empty:
        return pd.DataFrame(columns=columns)
    series = [shown.assign(series="as shown", band=shown["label"].astype(int) / 10)]
    recalibration = current_recalibration(engine)
    raw = _measure(totals, "raw")
    if recalibration.fitted_at is not None and not raw.empty:
        # Each tenth of raw confidence moved as a whole: its mean, recalibrated, decides its band.
        moved = recalibration.apply_all((raw["total"] / raw["n"]).to_numpy(dtype=float))
        series.append(
            raw.assign(
                series="recalibrated", total=moved * raw["n"], band=(moved * 10).clip(max=9.999).astype(int) / 10
            )
        )
    bands = (
        pd.concat(series, ignore_index=True).groupby(["series", "band"], as_index=False)[["n", "total", "extra"]].sum()
    )
    return bands.assign(
        mean_confidence=bands["total"] / bands["n"], light_edit_rate=bands["extra"] / bands["n"], replies=bands["n"]
    )[columns]


def calibration(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    """A reliability diagram of draft confidence against how often the draft went out with at most light edits:
    the confidence as shown when each draft was made, and as the team's current recalibration would show it.
    Columns: series, band, mean_confidence, light_edit_rate, replies."""
    return _calibration(_totals(engine, f), engine)


def _time_in_status(totals: pd.DataFrame, now: datetime) -> pd.DataFrame:
    closed = _measure(totals, "stay").set_index("label")
    still = _measure(totals, "open_stay").set_index("label")
    now_h = now.timestamp() / 3600
    rows = []
    for status in sorted(set(closed.index) | set(still.index)):
        stays, hours = 0.0, 0.0
        if status in closed.index:
            stays, hours = float(closed.at[status, "n"]), float(closed.at[status, "total"])
        if status in still.index:  # counted up to now: n stays, each from its start
            stays += float(still.at[status, "n"])
            hours += float(still.at[status, "n"]) * now_h - float(still.at[status, "total"])
        rows.append((status, hours / stays if stays else None, int(stays)))
    return pd.DataFrame(rows, columns=["status", "mean_hours", "stays"])


def time_in_status(engine: Engine, f: MetricsFilter, *, now: datetime | None = None) -> pd.DataFrame:
    """Mean hours per stay in each open status; stays still open count up to `now`. Resolved is left out:
    it is where tickets end, and its "stay" is just the time since resolution."""
    return _time_in_status(_totals(engine, f), now or datetime.now(UTC))


def _assist_costs(daily: pd.DataFrame) -> pd.DataFrame:
    runs = _measure(daily, "runs").groupby("day")[["n", "total", "extra"]].sum()
    llm = _measure(daily, "llm_runs").groupby("day")["n"].sum()
    frame = pd.DataFrame(
        {
            "runs": runs["n"],
            "cost_usd": runs["total"],
            "mean_latency_ms": runs["extra"] / runs["n"],
            "llm_runs": llm.reindex(runs.index, fill_value=0),
        }
    )
    return frame.rename_axis("day").reset_index()


def assist_costs(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    """Assist runs per creation day of their tickets: how many, their cost and latency, how many used the LLM."""
    return _assist_costs(_daily(engine, f))


def _agents(engine: Engine, totals: pd.DataFrame, owned: pd.DataFrame) -> pd.DataFrame:
    columns = ["agent", "role", "tickets", "resolved", "replies", "as_drafted_rate", "avg_edit_distance", "csat"]
    with session_scope(engine) as session:
        people = session.execute(select(UserRow.id, UserRow.name, UserRow.role).order_by(UserRow.name)).all()

    def per(frame: pd.DataFrame, measure: str, by: str) -> pd.DataFrame:
        part = _measure(frame, measure)
        return part.assign(uid=pd.to_numeric(part[by], errors="coerce")).dropna(subset=["uid"]).set_index("uid")

    tickets, resolved, csat = (per(owned, m, "assignee_id") for m in ("tickets", "resolved", "csat"))
    sends, edits = (per(totals, m, "label") for m in ("sends", "edits"))
    rows = []
    for uid, name, role in people:

        def get(frame: pd.DataFrame, column: str = "n", uid: int = uid) -> float:
            return float(frame.at[uid, column]) if uid in frame.index else 0.0

        replies = get(sends)
        rows.append(
            (
                name,
                role,
                int(get(tickets)),
                int(get(resolved)),
                int(replies),
                _ratio(get(sends, "total"), replies),
                _ratio(get(edits, "total"), get(edits), 1),
                _ratio(get(csat, "total"), get(csat), 2),
            )
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame[(frame["tickets"] > 0) | (frame["replies"] > 0)].reset_index(drop=True)


def agents(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    """Per person: tickets owned and resolved, replies sent (as drafted, edit distance), CSAT of owned tickets."""
    return _agents(engine, _totals(engine, f), _owned(engine, f))


def gap_candidates(engine: Engine, f: MetricsFilter, *, max_score: float, limit: int = 300) -> pd.DataFrame:
    """Recent tickets whose best article scored below `max_score` (the knowledge base had no good answer), with
    the embedding of each ticket's opening where preparing it stored one."""
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
        rows = [tuple(r) for r in session.execute(stmt)]
    return pd.DataFrame(rows, columns=["ticket_id", "subject", "preview", "top_score", "vector"])


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
    """Every figure of the lead dashboard for one filter: three reads of the rollups and one of the facts."""
    totals, daily, owned = _totals(engine, f), _daily(engine, f), _owned(engine, f)
    return Dashboard(
        kpis=_kpis(totals, _median_response(engine, f, totals)),
        csat_trend=_csat_trend(daily),
        csat_by_segment=_csat_by_segment(totals),
        volume=_volume(daily),
        escalation_reasons=_escalation_reasons(totals),
        sentiment=_sentiment(daily),
        calibration=_calibration(totals, engine),
        time_in_status=_time_in_status(totals, datetime.now(UTC)),
        assist_costs=_assist_costs(daily),
        agents=_agents(engine, totals, owned),
    )


__all__ = ["Dashboard", "Kpis", "MetricsFilter", "dashboard", "gap_candidates"]
