"""Charts and tables of the lead dashboard (plotly), each table exportable as CSV."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st
from sqlalchemy import Engine

from assist.csv_export import to_csv
from assist.domain import Category
from assist.errors import AssistError
from assist.knowledge_gaps import GapTopic, topics
from assist.metrics import Dashboard, Kpis, MetricsFilter, dashboard, gap_candidates
from ui import resources
from ui.format import blank, display_text, plural


def _cache_seconds() -> int:
    """Read when this module is imported, before the page's start-up gate: invalid settings are the gate's to
    report (with the command line's message), not an import error here."""
    try:
        return resources.settings().metrics_cache_seconds
    except AssistError:
        return 0


@st.cache_data(ttl=_cache_seconds(), show_spinner="Aggregating…")
def load(_engine: Engine, f: MetricsFilter) -> Dashboard:
    return dashboard(_engine, f)


@st.cache_data(ttl=300, show_spinner="Grouping unanswered tickets into topics…")
def gaps(_engine: Engine, f: MetricsFilter, max_score: float) -> list[GapTopic]:
    return topics(gap_candidates(_engine, f, max_score=max_score), embedder=resources.embedder())


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


def _days(fig: Any) -> Any:
    # Days as categories: on a time axis a single day is a bar one nanosecond wide.
    fig.update_xaxes(type="category", categoryorder="category ascending")
    return fig


def csat_trend(frame: pd.DataFrame) -> object:
    return _days(
        px.line(frame, x="day", y="csat", markers=True, range_y=[1, 5], hover_data=["responses"], labels=LABELS)
    )


def segments(frame: pd.DataFrame) -> object:
    return px.bar(frame, x="segment", y="csat", hover_data=["responses"], range_y=[0, 5], labels=LABELS)


def volume(frame: pd.DataFrame) -> object:
    frame = frame.assign(category=frame["category"].map(lambda c: Category(c).label if c in CATEGORIES else c))
    return _days(px.bar(frame, x="day", y="tickets", color="category", labels=LABELS))


def reasons(frame: pd.DataFrame) -> object:
    return px.bar(frame.head(10), x="escalations", y="reason", orientation="h", labels=LABELS)


def sentiment(frame: pd.DataFrame) -> object:
    return _days(
        px.bar(
            frame,
            x="day",
            y="tickets",
            color="level",
            color_discrete_map=SENTIMENT_COLOURS,
            category_orders={"level": list(SENTIMENT_COLOURS)},
            labels=LABELS,
        )
    )


def reliability(frame: pd.DataFrame) -> object:
    fig = px.line(
        frame,
        x="mean_confidence",
        y="light_edit_rate",
        color="series",
        markers=True,
        hover_data=["replies", "band"],
        range_x=[0, 1],
        range_y=[0, 1],
        labels=LABELS,
    )
    fig.add_shape(type="line", x0=0, y0=0, x1=1, y1=1, line={"dash": "dot"})
    fig.update_xaxes(tickformat=".0%")
    fig.update_yaxes(tickformat=".0%")
    return fig


def statuses(frame: pd.DataFrame) -> object:
    named = frame.assign(status=frame["status"].map(lambda s: STATUS_NAMES.get(s, s)))
    return px.bar(named, x="status", y="mean_hours", hover_data=["stays"], labels=LABELS)


def costs(frame: pd.DataFrame) -> object:
    hover = ["mean_latency_ms", "llm_runs"] + (["cost_usd"] if frame["cost_usd"].sum() > 0 else [])
    return _days(px.bar(frame, x="day", y="runs", hover_data=hover, labels=LABELS))


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
