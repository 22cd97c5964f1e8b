"""Team lead: quality, speed and knowledge gaps, with filters and CSV export."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from assist import (
    GROUPINGS,
    AssistError,
    Category,
    MetricsFilter,
    Queue,
    import_csat,
    list_assignees,
    macro_usage,
    read_rows,
)
from ui import auth, resources, state
from ui import metrics_view as view
from ui.experiment_view import experiments_tab
from ui.format import display_text, escape_markdown
from ui.guard import guarded, show_error

state.init()
user = auth.require_role("pages/metrics.py")
engine = resources.engine()
st.title("Metrics")


today = datetime.now(UTC).date()
cols = st.columns(4)
period = cols[0].date_input("Created between", (today - timedelta(days=89), today), key="m_period", max_value=today)
categories = cols[1].multiselect(
    "Category", [c.value for c in Category], key="m_categories", format_func=lambda c: Category(c).label
)
with guarded("the team"):
    people = {u.id: display_text(u.name) for u in list_assignees(engine)}
agent = cols[2].selectbox(
    "Agent", [None, *people], key="m_agent", format_func=lambda i: "Everyone" if i is None else people[i]
)
queue = cols[3].selectbox(
    "Escalation queue",
    [None, *(q.value for q in Queue if q is not Queue.AUTO)],
    key="m_queue",
    format_func=lambda q: "Any" if q is None else Queue(q).label.capitalize(),
)
if not isinstance(period, tuple) or len(period) != 2:
    st.info("Pick a start and an end date.")
    st.stop()
f = MetricsFilter(start=period[0], end=period[1], categories=tuple(categories), agent_id=agent, queue=queue)
with guarded("the dashboard"):
    board = view.load(engine, f)
view.kpi_row(board.kpis)

# One tab drawn at a time, the open one kept in the address (a reload or a shared link opens it again): eight
# plotly charts at once took about 3 s of the browser's time on two cores, the tab a lead looks at about 1.
satisfaction, workload, drafts, agents, gaps, experiments = st.tabs(
    ["Satisfaction", "Workload", "Drafts and macros", "Agents", "Knowledge gaps", "Experiments"],
    key="m_tab",
    bind="query-params",
)
with satisfaction:
    if satisfaction.open:
        left, right = st.columns(2)
        with left:
            view.chart("CSAT trend", board.csat_trend, "csat_trend", view.csat_trend)
        with right:
            view.chart("CSAT by how the reply was written", board.csat_by_segment, "csat_by_segment", view.segments)
        with st.expander("Import CSAT ratings from your helpdesk (CSV: ticket, score, comment, date)"):
            upload = st.file_uploader(
                "Ratings CSV", type=["csv"], key="m_csat_file", max_upload_size=resources.settings().kb_upload_max_mb
            )
            if upload is not None and st.button("Import ratings", key="m_csat_import"):
                try:
                    report = import_csat(
                        engine,
                        read_rows(
                            upload.name, upload.getvalue(), max_bytes=resources.settings().kb_upload_max_mb * 1_000_000
                        ),
                        actor=state.current_user(),
                    )
                except AssistError as e:
                    show_error(e)
                else:
                    st.success(f"Imported {len(report.created)} ratings.")
                    for error in report.errors[:50]:
                        st.error(escape_markdown(f"Row {error.row}: {error.error}"))
                    for warning in report.warnings[:50]:
                        st.warning(escape_markdown(f"Row {warning.row} (imported): {warning.error}"))
                    view.load.clear()

with workload:
    if workload.open:
        left, right = st.columns(2)
        with left:
            view.chart("Volume by category and day", board.volume, "volume", view.volume)
            view.chart("Mean time in each open status", board.time_in_status, "time_in_status", view.statuses)
        with right:
            view.chart("Sentiment mix", board.sentiment, "sentiment", view.sentiment)
            view.chart("Top escalation reasons", board.escalation_reasons, "escalation_reasons", view.reasons)

with drafts:
    if drafts.open:
        left, right = st.columns(2)
        with left:
            view.chart(
                "Confidence calibration (draft confidence vs sent with light edits)",
                board.calibration,
                "calibration",
                view.reliability,
            )
        with right:
            view.chart(
                "Assist runs per day (hover: latency and LLM cost)", board.assist_costs, "assist_costs", view.costs
            )
        st.markdown("##### Draft funnel")
        with guarded("the draft funnel"):
            drawn = view.funnel(engine, f)
        if drawn.overall.shown:
            st.caption(
                "Every draft an agent was shown, counted once, ends in one stage. **Accepted** means sent as is or "
                "with light edits (at most a fifth of the text changed); a draft inserted and then rewritten is not."
            )
            by = st.selectbox("By", list(GROUPINGS), key="m_funnel_by")
            table = view.funnel_table((drawn.overall, *drawn.by[by]))
            st.dataframe(table, hide_index=True, width="stretch")
            view.export(table, "draft_funnel")
        else:
            st.caption("No draft was shown to an agent in this period.")
        st.markdown("##### Macros used")
        with guarded("macro use"):
            used = macro_usage(engine, since=datetime.combine(period[0], datetime.min.time(), tzinfo=UTC))
        if used:
            st.dataframe({"Macro": [u.title for u in used], "Inserted": [u.uses for u in used]}, hide_index=True)
        else:
            st.caption("No macro was inserted in this period. Admins add macros on the Admin page.")

with agents:
    if agents.open:
        if board.agents.empty:
            st.caption("No agent activity for these filters.")
        else:
            st.dataframe(view.agents_table(board.agents), hide_index=True, width="stretch")
            view.export(board.agents, "agents")

with gaps:
    if gaps.open:
        max_score = st.slider(
            "Best article scored below", 0.1, 0.6, 0.4, 0.05, key="m_gap_score", persist_state="session"
        )
        with guarded("the knowledge gaps"):
            found = view.gaps(engine, f, max_score)
        if not found:
            st.success("Every ticket in this period had a reasonably matching article.")
        else:
            table = view.gap_table(found)
            st.dataframe(table, hide_index=True, width="stretch")
            view.export(table, "knowledge_gaps")

with experiments:
    if experiments.open:
        experiments_tab(engine, resources.settings(), user)
