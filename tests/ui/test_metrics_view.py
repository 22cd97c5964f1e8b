"""The lead dashboard's charts and tables speak to people: labels, units, percentages, blanks."""

from __future__ import annotations

import colorsys

import pandas as pd

from ui import metrics_view as view


def test_a_single_day_of_runs_is_a_visible_bar_not_a_nanosecond_wide_one() -> None:
    """Defect: "Assist cost and latency" was empty (a time axis one nanosecond wide)."""
    frame = pd.DataFrame(
        {
            "day": ["2026-11-23"],
            "runs": [12],
            "cost_usd": [0.0],
            "mean_latency_ms": [40.0],
            "max_latency_ms": [90.0],
            "llm_runs": [0],
        }
    )
    fig = view.costs(frame)
    assert fig.layout.xaxis.type == "category"  # type: ignore[attr-defined]
    assert fig.layout.yaxis.title.text == "Assist runs"  # type: ignore[attr-defined]


def test_time_in_status_has_human_labels_and_no_counts_on_the_hours_axis() -> None:
    frame = pd.DataFrame({"status": ["awaiting_customer", "new"], "mean_hours": [30.5, 4.0], "stays": [10, 12]})
    fig = view.statuses(frame)
    assert list(fig.data[0].x) == ["Awaiting customer", "New"]  # type: ignore[attr-defined]
    assert fig.data[0].text is None  # type: ignore[attr-defined]
    assert fig.layout.yaxis.title.text == "Mean hours per stay"  # type: ignore[attr-defined]


def test_the_agents_table_shows_percentages_and_dashes() -> None:
    """Defect: the agents table showed 0.4054 and "None"."""
    frame = pd.DataFrame(
        {
            "agent": ["Maya", "Sam"],
            "role": ["agent", "agent"],
            "tickets": [3, 1],
            "resolved": [2, 0],
            "replies": [4, 1],
            "as_drafted_rate": [0.4054, None],
            "avg_edit_distance": [12.3, None],
            "csat": [4.5, None],
        }
    )
    table = view.agents_table(frame)
    assert table.loc[0, "Sent as drafted"] == "41%" and table.loc[0, "CSAT"] == "4.50"
    assert table.loc[1, "Sent as drafted"] == "–" and table.loc[1, "CSAT"] == "–"
    assert "None" not in table.to_string()


def test_categories_are_spelled_as_in_the_inbox() -> None:
    """Defect (issue 34): "Billing" in the inbox, "billing" on Metrics."""
    frame = pd.DataFrame({"day": ["2026-11-23", "2026-11-23"], "category": ["billing", "technical"], "tickets": [3, 1]})
    fig = view.volume(frame)
    assert sorted(trace.name for trace in fig.data) == ["Billing", "Technical"]  # type: ignore[attr-defined]


def _hue(colour: str) -> float:
    """The hue in degrees of a "#rrggbb" colour."""
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return colorsys.rgb_to_hls(red, green, blue)[0] * 360


def test_the_sentiment_mix_shows_positive_green_and_angry_red_on_every_day() -> None:
    """Defect (issue 34): positive was red and angry teal (plotly's default colours, in the order levels came)."""
    frame = pd.DataFrame(
        {
            "day": ["2026-11-23"] * 5,
            "level": ["angry", "urgent", "positive", "frustrated", "neutral"],
            "tickets": [3, 1, 5, 2, 8],
        }
    )
    colours = {trace.name: trace.marker.color for trace in view.sentiment(frame).data}  # type: ignore[attr-defined]
    assert 90 <= _hue(colours["positive"]) <= 160  # green
    for level in ("angry", "urgent"):
        assert _hue(colours[level]) <= 15 or _hue(colours[level]) >= 340, level  # red
    assert 15 <= _hue(colours["frustrated"]) <= 45  # orange
    red, green, blue = (int(colours["neutral"].lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    assert max(red, green, blue) - min(red, green, blue) < 30  # grey
