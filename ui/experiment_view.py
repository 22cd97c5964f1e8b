"""The Metrics page's Experiments tab: admins start and stop a holdout; everyone who sees Metrics reads the two
arms compared, with 95 % intervals and no verdict until the data supports one."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from assist import (
    Arm,
    AssistError,
    Comparison,
    Effect,
    Experiment,
    Role,
    Segment,
    Settings,
    User,
    compare_arms,
    list_experiments,
    start_experiment,
    stop_experiment,
)
from ui import state
from ui.format import display_text, escape_markdown
from ui.guard import guarded, show_error
from ui.metrics_view import cache_seconds

HOW = (
    "While an experiment runs, a share of the tickets that arrive (drawn at random by ticket number) shows its agent "
    "no draft and no articles; everything is still computed and stored. This tab compares the two arms: first "
    "response, handle time, replies per resolution, reopens, escalations and CSAT, each with its 95 % interval."
)


@st.cache_data(ttl=cache_seconds(), show_spinner="Comparing the two arms…")
def _comparison(_engine: Engine, _settings: Settings, experiment_id: int | None, standing_percent: int) -> Comparison:
    """`standing_percent` is in the key: the standing holdout's label follows the setting."""
    return compare_arms(_engine, experiment_id=experiment_id, settings=_settings)


def experiments_tab(engine: Engine, settings: Settings, user: User) -> None:
    state.show_flash()
    with guarded("the experiments"):
        found = list_experiments(engine, settings=settings)
    running = next((e for e in found if e.id is not None and e.running), None)
    if user.role is Role.ADMIN:
        _controls(engine, settings, user, running)
    elif running is not None:
        st.caption(escape_markdown(running.label) + ". Admins start and stop experiments.")
    if not found:
        st.info("No experiment has run yet. " + HOW + " An admin starts one here.", icon=":material/science:")
        return
    labels = {e.id: e.label for e in found}
    chosen = st.selectbox("Experiment", list(labels), key="m_experiment", format_func=lambda i: display_text(labels[i]))
    with guarded("the comparison"):
        comparison = _comparison(engine, settings, chosen, settings.assist_holdout_percent)
    if not sum(comparison.tickets.values()):
        st.info("No ticket has arrived in this experiment yet.", icon=":material/hourglass_top:")
        return
    _summary(comparison)
    st.dataframe(effects_table(comparison.overall), hide_index=True, width="stretch")
    st.caption(
        "Times are medians (a ticket not answered or resolved yet counts as slower than any that is); a verdict "
        "holds for the six measures together (Bonferroni), not each alone. Decide how many tickets to wait for "
        "when you start: checking every day until something shows up finds differences that are not there. "
        "Tenure is the assignee's time on the team; the standing holdout mixes every share it ever had."
    )
    measure = st.selectbox("Break down", [e.measure.label for e in comparison.overall], key="m_experiment_measure")
    left, right = st.columns(2)
    with left:
        st.markdown("##### By the agent's time on the team")
        st.dataframe(segments_table(comparison.by_tenure, measure), hide_index=True, width="stretch")
    with right:
        st.markdown("##### By category")
        st.dataframe(segments_table(comparison.by_category, measure), hide_index=True, width="stretch")


def _controls(engine: Engine, settings: Settings, user: User, running: Experiment | None) -> None:
    if running is not None and running.id is not None:
        running_id = running.id  # a Stop from a page older than another admin's Stop is refused, not applied
        st.markdown(f":material/science: **{escape_markdown(running.label)}**")
        if st.button("Stop the experiment", key="m_experiment_stop", icon=":material/stop_circle:"):
            _act(
                lambda: stop_experiment(engine, experiment_id=running_id, actor=user),
                "Stopped. Its tickets keep their arms for the comparison.",
            )
        return
    with st.form("m_experiment_start", border=False, enter_to_submit=True):
        st.caption(HOW)
        percent = st.number_input(
            "Hold out this share of new tickets (%)",
            min_value=1,
            max_value=100,
            value=settings.assist_holdout_percent or 10,
            key="m_experiment_percent",
        )
        if st.form_submit_button("Start an experiment", icon=":material/science:"):
            _act(
                lambda: start_experiment(engine, percent=int(percent), actor=user),
                f"Started: {int(percent)} % of the tickets that arrive from now on get no draft and no articles.",
            )


def _act(action: Callable[[], object], done: str) -> None:
    try:
        action()
    except AssistError as e:
        show_error(e)
        return
    _comparison.clear()
    state.flash(done)
    st.rerun()


def _summary(c: Comparison) -> None:
    st.caption(
        f"{c.tickets[Arm.ASSISTED]:,} assisted and {c.tickets[Arm.HOLDOUT]:,} held-out tickets. "
        "Differences are assisted minus held out."
    )
    if c.verdicts:
        for verdict in c.verdicts:
            st.success(verdict, icon=":material/insights:")
    else:
        st.info(
            "No verdict yet: no measure's difference holds with at least 20 tickets in each arm. "
            "'Tickets needed' says how many each arm would take, at the difference seen so far, to tell with 80 % "
            "power.",
            icon=":material/hourglass_top:",
        )


def _fmt(effect: Effect, value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    if math.isinf(value):
        return "not yet (half unfinished)"
    unit = effect.measure.unit
    sign = "+" if signed else ""
    if unit == "share":
        return f"{value * 100:{sign}.1f} %" if not signed else f"{value * 100:{sign}.1f} pts"
    if unit == "hours":
        return f"{value:{sign}.1f} h"
    return f"{value:{sign}.2f}"


def _needed(effect: Effect) -> str:
    if effect.difference.decided:
        return "enough"
    needed = effect.difference.needed()
    return "—" if needed is None else f"{needed[0]:,} / {needed[1]:,}"


def _row(effect: Effect) -> dict[str, str]:
    d = effect.difference
    interval = (
        "—"
        if d.low is None or d.high is None
        else f"{_fmt(effect, d.low, signed=True)} to {_fmt(effect, d.high, signed=True)}"
    )
    return {
        "Assisted": f"{_fmt(effect, d.treated)} (n={d.n_treated})",
        "Held out": f"{_fmt(effect, d.control)} (n={d.n_control})",
        "Difference": _fmt(effect, d.difference, signed=True),
        "95 % interval": interval,
        "Tickets needed (assisted / held out)": _needed(effect),
    }


def _measure(effect: Effect) -> str:
    """The measure and how the arm is summed up ("First response (median)"); a rate is its own summary."""
    statistic = effect.measure.statistic
    return effect.measure.label if statistic == "rate" else f"{effect.measure.label} ({statistic})"


def effects_table(effects: tuple[Effect, ...]) -> pd.DataFrame:
    return pd.DataFrame([{"Measure": _measure(e), **_row(e)} for e in effects])


def segments_table(segments: tuple[Segment, ...], measure: str) -> pd.DataFrame:
    rows = []
    for segment in segments:
        effect = next(e for e in segment.effects if e.measure.label == measure)
        rows.append({"Segment": segment.name, **_row(effect)})
    return pd.DataFrame(rows)
