"""Dashboard figures for team leads, from the facts kept on write (assist/store/facts.py), read through
`assist.store.metric_reads`.

Every function takes the same `MetricsFilter` (tickets created in a date range, categories, agent,
escalation queue) and returns a `Kpis` model or a small DataFrame ready to chart or export. The sums come
from `fact_rollups` (per creation day x category x agent), so a year costs the same few queries as a week;
only the median first response and the knowledge-gap list read per-ticket facts. Charts by day use the day
the ticket was created, like the filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from pydantic import BaseModel
from sqlalchemy import Engine

from assist.domain import MetricsFilter
from assist.store import metric_reads
from assist.store.accounts import every_account
from assist.store.calibrations import current_recalibration
from assist.store.db import session_scope

_DAILY = ("tickets", "csat", "sentiment", "runs", "llm_runs")
_OWNED = ("tickets", "resolved", "csat")


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


def _sums(engine: Engine, f: MetricsFilter, by: tuple[str, ...], measures: tuple[str, ...] = ()) -> pd.DataFrame:
    """Sums of n, total and extra per `by` (among day, category, assignee_id, measure, label)."""
    rows = metric_reads.sums(engine, f, by=by, measures=measures)
    frame = pd.DataFrame(rows, columns=[*by, "n", "total", "extra"])
    return frame.astype({"n": "int64", "total": "float64", "extra": "float64"})


def _totals(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    return _sums(engine, f, ("measure", "label"))


def _daily(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    return _sums(engine, f, ("day", "category", "measure", "label"), _DAILY)


def _owned(engine: Engine, f: MetricsFilter) -> pd.DataFrame:
    return _sums(engine, f, ("assignee_id", "measure"), _OWNED)


def _median_response(engine: Engine, f: MetricsFilter, totals: pd.DataFrame) -> float | None:
    """The middle first response of the answered tickets in the filter (their count is in the rollups)."""
    answered = int(_sum(totals, "responded"))
    if not answered:
        return None
    middle = metric_reads.middle_response_hours(engine, f, answered=answered)
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
    if recalibration.fitted and not raw.empty:
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
        people = [(u.id, u.name, u.role.value) for u in every_account(session)]

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
    rows = metric_reads.poorly_answered(engine, f, max_score=max_score, limit=limit)
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
