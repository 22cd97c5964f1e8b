"""Charts and tables of the lead dashboard (plotly), each table exportable as CSV."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine

from assist import (
    AssistError,
    Category,
    Dashboard,
    Funnel,
    FunnelRow,
    GapTopic,
    Kpis,
    MetricsFilter,
    Stage,
    dashboard,
    draft_funnel,
    gap_candidates,
    gap_topics,
    to_csv,
)
from ui import resources
from ui.format import blank, display_text, plural


def cache_seconds() -> int:
    """Read when this module is imported, before the page's start-up gate: invalid settings are the gate's to
    report (with the command line's message), not an import error here."""
    try:
        return resources.settings().metrics_cache_seconds
    except AssistError:
        return 0


@st.cache_data(ttl=cache_seconds(), show_spinner="Aggregating…")
def load(_engine: Engine, f: MetricsFilter) -> Dashboard:
    return dashboard(_engine, f)


@st.cache_data(ttl=cache_seconds(), show_spinner="Following every draft shown…")
def funnel(_engine: Engine, f: MetricsFilter) -> Funnel:
    return draft_funnel(_engine, f)


def funnel_table(rows: tuple[FunnelRow, ...]) -> pd.DataFrame:
    """One row per group: each stage's count (they add up to Shown), accepted, then what the sent ones came to."""
    return pd.DataFrame(
        [
            {
                "": display_text(r.group),
                "Shown": r.shown,
                "Kept and sent": r.sent,
                **{s.value: r.stages[s] for s in Stage},
                "Accepted": _pct(r.accepted / r.shown if r.shown else None),
                "Sent, then reopened": r.reopened,
                "CSAT after (n)": f"{r.csat:.2f} ({r.rated})" if r.csat is not None else "—",
            }
            for r in rows
        ]
    )


@st.cache_data(ttl=300, show_spinner="Grouping unanswered tickets into topics…")
def gaps(_engine: Engine, f: MetricsFilter, max_score: float) -> list[GapTopic]:
    return gap_topics(gap_candidates(_engine, f, max_score=max_score), embedder=resources.embedder())


def gap_table(found: list[GapTopic]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "topic": [t.label for t in found],
            "tickets": [t.tickets for t in found],
            "examples": [" | ".join(t.examples) for t in found],
        }
    )


def _pct(value: float | None) -> str:
    return blank(value, "{:.0%}")


def _num(value: float | None, unit: str = "") -> str:
    return blank(value, "{:,.1f}" + unit)


def kpi_row(k: Kpis) -> None:
    cols = st.columns(5)
    cols[0].metric("Tickets", f"{k.tickets:,}")
    cols[1].metric("Resolved", _pct(k.resolution_rate))
    cols[2].metric("Escalated", _pct(k.escalation_rate))
    cols[3].metric("Sent as drafted", _pct(k.sent_as_drafted_rate), help="Share of replies sent without edits")
    cols[4].metric("Avg edit distance", _num(k.avg_edit_distance, " chars"))
    cols = st.columns(5)
    cols[0].metric("First response (mean)", _num(k.first_response_mean_h, " h"))
    cols[1].metric("First response (median)", _num(k.first_response_median_h, " h"))
    cols[2].metric("Handle time (mean)", _num(k.handle_time_mean_h, " h"), help="Created to resolved")
    cols[3].metric("CSAT", blank(k.csat_avg, "{:.2f}"), help=plural(k.csat_responses, "response"))
    cols[4].metric("Satisfied (4-5)", _pct(k.csat_satisfied))


def export(frame: pd.DataFrame, name: str) -> None:
    st.download_button(
        f"{name}.csv",
        to_csv(frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        icon=":material/download:",
    )


def chart(title: str, frame: pd.DataFrame, name: str, draw: object) -> None:
    st.markdown(f"##### {title}")
    if frame.empty:
        st.caption("No data for these filters yet.")
        return
    st.plotly_chart(draw(frame), width="stretch", key=f"chart_{name}")  # type: ignore[operator]
    export(frame, name)


LABELS = {
    "day": "Day",
    "csat": "CSAT (1–5)",
    "responses": "Responses",
    "segment": "How the reply was written",
    "tickets": "Tickets",
    "category": "Category",
    "escalations": "Escalations",
    "reason": "Reason",
    "level": "Sentiment",
    "mean_confidence": "Draft confidence",
    "sent_as_drafted": "Sent as drafted",
    "light_edit_rate": "Sent with light edits (≤ 20% changed)",
    "series": "Confidence",
    "replies": "Replies",
    "band": "Confidence band",
    "status": "Status",
    "mean_hours": "Mean hours per stay",
    "stays": "Stays",
    "runs": "Assist runs",
    "mean_latency_ms": "Mean latency (ms)",
    "cost_usd": "LLM cost (USD)",
    "llm_runs": "LLM runs",
}


CATEGORIES = {c.value for c in Category}


# Sentiment by name, for every chart that colours by it: left to plotly (Streamlit's theme), the colours follow
# the order the levels come in the data, and positive came out red and angry teal.
SENTIMENT_COLOURS = {
    "positive": "#2e9e5b",  # green
    "neutral": "#9aa0a6",  # grey
    "frustrated": "#f28c28",  # orange
    "angry": "#d62728",  # red
    "urgent": "#a50f15",  # dark red
}


def _hover(frame: pd.DataFrame, fields: list[str]) -> dict[str, Any]:
    """Hover text naming each field as the axes do (what plotly express wrote, without its cost)."""
    lines = [f"{LABELS.get(name, name)}=%{{customdata[{i}]}}" for i, name in enumerate(fields)]
    return {"customdata": frame[fields].to_numpy(), "hovertemplate": "<br>".join(lines) + "<extra></extra>"}


def _figure(traces: list[Any], x: str, y: str, *, legend: str | None = None, days: bool = False) -> go.Figure:
    """Graph objects built directly: plotly express took about 70 ms a chart (400 ms the first), most of a
    Metrics open on two cores; these take about 10."""
    fig = go.Figure(traces)
    fig.update_layout(
        xaxis_title=LABELS.get(x, x),
        yaxis_title=LABELS.get(y, y),
        legend_title=LABELS.get(legend, legend) if legend else None,
        barmode="relative",
        margin={"t": 20},
    )
    if days:  # days as categories: on a time axis a single day is a bar one nanosecond wide
        fig.update_xaxes(type="category", categoryorder="category ascending")
    return fig


def _bars(frame: pd.DataFrame, x: str, y: str, *, hover: Sequence[str] = (), **bar: Any) -> go.Bar:
    return go.Bar(x=frame[x], y=frame[y], **_hover(frame, [x, y, *hover]), **bar)


def _stacked(
    frame: pd.DataFrame,
    x: str,
    y: str,
    by: str,
    *,
    order: list[str] | None = None,
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """One bar per `x`, stacked by `by`: a trace and a legend entry per group, in `order`."""
    groups = order or sorted(frame[by].unique())
    traces = [
        _bars(part, x, y, name=group, marker_color=(colours or {}).get(group), legendgroup=group)
        for group in groups
        if not (part := frame[frame[by] == group]).empty
    ]
    return _figure(traces, x, y, legend=by, days=x == "day")


def warm() -> None:
    """Build and serialise one figure of each kind the dashboard draws (plotly loads its validators on first use)."""
    import plotly.io

    frame = pd.DataFrame({"day": ["2026-01-01"], "category": ["billing"], "tickets": [1]})
    fig = volume(frame)
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="lines+markers"))  # type: ignore[attr-defined]
    fig.add_shape(type="line", x0=0, y0=0, x1=1, y1=1, line={"dash": "dot"})  # type: ignore[attr-defined]
    plotly.io.to_json(fig, validate=False)


def csat_trend(frame: pd.DataFrame) -> object:
    trace = go.Scatter(
        x=frame["day"], y=frame["csat"], mode="lines+markers", **_hover(frame, ["day", "csat", "responses"])
    )
    fig = _figure([trace], "day", "csat", days=True)
    fig.update_yaxes(range=[1, 5])
    return fig


def segments(frame: pd.DataFrame) -> object:
    fig = _figure([_bars(frame, "segment", "csat", hover=["responses"])], "segment", "csat")
    fig.update_yaxes(range=[0, 5])
    return fig


def volume(frame: pd.DataFrame) -> object:
    frame = frame.assign(category=frame["category"].map(lambda c: Category(c).label if c in CATEGORIES else c))
    return _stacked(frame, "day", "tickets", "category")


def reasons(frame: pd.DataFrame) -> object:
    top = frame.head(10)
    bars = go.Bar(x=top["escalations"], y=top["reason"], orientation="h", **_hover(top, ["escalations", "reason"]))
    return _figure([bars], "escalations", "reason")


def sentiment(frame: pd.DataFrame) -> object:
    order = [level for level in SENTIMENT_COLOURS if level in set(frame["level"])]
    order += sorted(set(frame["level"]) - set(order))
    return _stacked(frame, "day", "tickets", "level", order=order, colours=SENTIMENT_COLOURS)


def reliability(frame: pd.DataFrame) -> object:
    lines = [
        go.Scatter(
            x=part["mean_confidence"],
            y=part["light_edit_rate"],
            mode="lines+markers",
            name=series,
            **_hover(part, ["mean_confidence", "light_edit_rate", "replies", "band"]),
        )
        for series, part in frame.groupby("series", sort=False)
    ]
    fig = _figure(lines, "mean_confidence", "light_edit_rate", legend="series")
    fig.add_shape(type="line", x0=0, y0=0, x1=1, y1=1, line={"dash": "dot"})
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return fig


def statuses(frame: pd.DataFrame) -> object:
    named = frame.assign(status=frame["status"].map(lambda s: STATUS_NAMES.get(s, s)))
    return _figure([_bars(named, "status", "mean_hours", hover=["stays"])], "status", "mean_hours")


def costs(frame: pd.DataFrame) -> object:
    hover = ["mean_latency_ms", "llm_runs"] + (["cost_usd"] if frame["cost_usd"].sum() > 0 else [])
    return _figure([_bars(frame, "day", "runs", hover=hover)], "day", "runs", days=True)


STATUS_NAMES = {
    "new": "New",
    "processing": "Processing",
    "awaiting_customer": "Awaiting customer",
    "escalated": "Escalated",
    "reopened": "Reopened",
}


def agents_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The per-agent figures for people: rates as %, blanks as –."""
    return pd.DataFrame(
        {
            "Agent": [display_text(str(a)) for a in frame["agent"]],
            "Role": frame["role"],
            "Tickets": frame["tickets"],
            "Resolved": frame["resolved"],
            "Replies": frame["replies"],
            "Sent as drafted": [blank(v, "{:.0%}") for v in frame["as_drafted_rate"]],
            "Avg edit distance": [blank(v, "{:.0f} chars") for v in frame["avg_edit_distance"]],
            "CSAT": [blank(v, "{:.2f}") for v in frame["csat"]],
        }
    )
