"""Charts and tables of the lead dashboard (plotly), each table exportable as CSV."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st
from sqlalchemy import Engine

from assist.knowledge_gaps import GapTopic, topics
from assist.metrics import Dashboard, Kpis, MetricsFilter, dashboard, gap_candidates
from ui import resources


@st.cache_data(ttl=resources.settings().metrics_cache_seconds, show_spinner="Aggregating…")
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
    return "—" if value is None else f"{value:.0%}"


def _num(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:,.1f}{unit}"


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
    cols[3].metric("CSAT", "—" if k.csat_avg is None else f"{k.csat_avg:.2f}", help=f"{k.csat_responses} responses")
    cols[4].metric("Satisfied (4-5)", _pct(k.csat_satisfied))


def export(frame: pd.DataFrame, name: str) -> None:
    st.download_button(
        f"⬇ {name}.csv", frame.to_csv(index=False).encode(), file_name=f"{name}.csv", mime="text/csv", key=f"csv_{name}"
    )


def chart(title: str, frame: pd.DataFrame, name: str, draw: object) -> None:
    st.markdown(f"##### {title}")
    if frame.empty:
        st.caption("No data for these filters.")
        return
    st.plotly_chart(draw(frame), width="stretch", key=f"chart_{name}")  # type: ignore[operator]
    export(frame, name)


def csat_trend(frame: pd.DataFrame) -> object:
    return px.line(frame, x="day", y="csat", markers=True, range_y=[1, 5], hover_data=["responses"])


def segments(frame: pd.DataFrame) -> object:
    return px.bar(frame, x="segment", y="csat", text="responses", range_y=[0, 5])


def volume(frame: pd.DataFrame) -> object:
    return px.bar(frame, x="day", y="tickets", color="category")


def reasons(frame: pd.DataFrame) -> object:
    return px.bar(frame.head(10), x="escalations", y="reason", orientation="h")


def sentiment(frame: pd.DataFrame) -> object:
    return px.bar(frame, x="day", y="tickets", color="level")


def reliability(frame: pd.DataFrame) -> object:
    fig = px.line(
        frame,
        x="mean_confidence",
        y="sent_as_drafted",
        markers=True,
        hover_data=["replies", "band"],
        range_x=[0, 1],
        range_y=[0, 1],
    )
    fig.add_shape(type="line", x0=0, y0=0, x1=1, y1=1, line={"dash": "dot"})
    return fig


def statuses(frame: pd.DataFrame) -> object:
    return px.bar(frame, x="status", y="mean_hours", text="stays")


def costs(frame: pd.DataFrame) -> object:
    return px.bar(frame, x="day", y="cost_usd", hover_data=["runs", "mean_latency_ms", "max_latency_ms"])
