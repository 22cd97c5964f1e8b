"""Every dashboard figure against a small workspace whose answers are worked out by hand."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine

from assist.domain import AuthorRole, Category, TicketStatus
from assist.metrics import (
    MetricsFilter,
    agents,
    calibration,
    csat_by_segment,
    escalation_reasons,
    kpis,
    time_in_status,
    volume,
)
from assist.recalibration import Recalibration
from assist.store import session_scope
from assist.store.calibrations import save_recalibration
from assist.store.models import CsatRow, DraftRow, EscalationRow, ReplyRow
from assist.store.status import transition
from assist.store.tickets import add_message
from tests.conftest import NOW
from tests.factories import make_ticket, make_user

WINDOW = MetricsFilter(start=(NOW - timedelta(days=30)).date(), end=NOW.date())


@pytest.fixture
def workspace(engine: Engine) -> dict[str, int]:
    """T1 billing: resolved, as drafted (confidence 0.8), CSAT 5, response 2 h, resolved at 10 h.
    T2 billing: resolved, edited by 6 (confidence 0.4), escalated to tier2, CSAT 3, response 4 h, resolved at 20 h.
    T3 account: awaiting customer, written by hand, response 6 h.   T4 account: new.   T5: 200 days old."""
    with session_scope(engine) as session:
        maya, sam = make_user(session, name="Maya"), make_user(session, name="Sam")
        start = NOW - timedelta(days=5)
        ids = {}
        for name, category, response_h, resolve_h, agent in (
            ("t1", Category.BILLING, 2, 10, maya),
            ("t2", Category.BILLING, 4, 20, maya),
            ("t3", Category.ACCOUNT, 6, None, sam),
            ("t4", Category.ACCOUNT, None, None, None),
        ):
            ticket = make_ticket(session, category=category, created_at=start)
            ids[name] = ticket.id
            if agent is not None:
                ticket.assignee_id = agent.id
            if response_h is not None:
                at = start + timedelta(hours=response_h)
                transition(session, ticket=ticket, to=TicketStatus.PROCESSING, actor="a", at=at - timedelta(hours=1))
                message = add_message(session, ticket=ticket, role=AuthorRole.AGENT, body="reply", actor="a", at=at)
                transition(session, ticket=ticket, to=TicketStatus.AWAITING_CUSTOMER, actor="a", at=at)
                draft = None
                if name != "t3":
                    draft = DraftRow(
                        ticket_id=ticket.id,
                        ticket_version=1,
                        text="d",
                        model="m",
                        mode="offline",
                        confidence=0.8 if name == "t1" else 0.4,
                        raw_confidence=0.8 if name == "t1" else 0.4,
                        band="likely_sent" if name == "t1" else "check",
                        sources=[],
                    )
                    session.add(draft)
                    session.flush()
                session.add(
                    ReplyRow(
                        ticket_id=ticket.id,
                        message_id=message.id,
                        draft_id=draft.id if draft else None,
                        sent_text="reply",
                        edit_distance={"t1": 0, "t2": 6}.get(name),
                        edit_ratio={"t1": 0.0, "t2": 0.6}.get(name),
                        sent_as_drafted=name == "t1",
                        sent_by_id=agent.id,
                        sent_at=at,
                    )
                )
            if resolve_h is not None:
                transition(
                    session, ticket=ticket, to=TicketStatus.RESOLVED, actor="a", at=start + timedelta(hours=resolve_h)
                )
        session.add_all(
            [
                CsatRow(ticket_id=ids["t1"], score=5, responded_at=NOW),
                CsatRow(ticket_id=ids["t2"], score=3, responded_at=NOW),
                EscalationRow(
                    ticket_id=ids["t2"], reasons=["Customer is angry"], priority="high", queue="tier2", created_at=start
                ),
            ]
        )
        old = make_ticket(session, category=Category.BILLING, created_at=NOW - timedelta(days=200))
        session.add(CsatRow(ticket_id=old.id, score=1, responded_at=NOW - timedelta(days=199)))
        ids["maya"], ids["sam"] = maya.id, sam.id
        return ids


def test_kpis(engine: Engine, workspace: dict[str, int]) -> None:
    k = kpis(engine, WINDOW)
    assert k.tickets == 4
    assert (k.resolution_rate, k.escalation_rate) == (0.5, 0.25)
    assert (k.sent_as_drafted_rate, k.avg_edit_distance) == (0.333, 3.0)
    assert (k.first_response_mean_h, k.first_response_median_h) == (4.0, 4.0)
    assert k.handle_time_mean_h == 15.0
    assert (k.csat_avg, k.csat_satisfied, k.csat_responses) == (4.0, 0.5, 2)


def test_filters_narrow_every_figure(engine: Engine, workspace: dict[str, int]) -> None:
    billing = MetricsFilter(**{**WINDOW.model_dump(), "categories": ("billing",)})
    assert kpis(engine, billing).tickets == 2
    assert kpis(engine, MetricsFilter(**{**WINDOW.model_dump(), "agent_id": workspace["sam"]})).tickets == 1
    tier2 = MetricsFilter(**{**WINDOW.model_dump(), "queue": "tier2"})
    assert (kpis(engine, tier2).tickets, kpis(engine, tier2).csat_avg) == (1, 3.0)
    everything = MetricsFilter(start=(NOW - timedelta(days=365)).date(), end=NOW.date())
    assert kpis(engine, everything).tickets == 5


def test_csat_by_segment(engine: Engine, workspace: dict[str, int]) -> None:
    frame = csat_by_segment(engine, WINDOW)
    assert dict(zip(frame["segment"], frame["csat"], strict=True)) == {"escalated": 3.0, "sent as drafted": 5.0}


def test_volume_and_reasons(engine: Engine, workspace: dict[str, int]) -> None:
    by_category = volume(engine, WINDOW).groupby("category")["tickets"].sum().to_dict()
    assert by_category == {"account": 2, "billing": 2}
    assert escalation_reasons(engine, WINDOW).to_dict("records") == [{"reason": "Customer is angry", "escalations": 1}]


def test_calibration_bands(engine: Engine, workspace: dict[str, int]) -> None:
    """Light edits (at most 20% of the text changed) per confidence band; a recalibration adds its own line."""
    frame = calibration(engine, WINDOW)
    assert frame[["series", "band", "light_edit_rate", "replies"]].to_dict("records") == [
        {"series": "as shown", "band": 0.4, "light_edit_rate": 0.0, "replies": 1},
        {"series": "as shown", "band": 0.8, "light_edit_rate": 1.0, "replies": 1},
    ]
    save_recalibration(engine, Recalibration(slope=0.0, intercept=0.0, sends=2))  # flat: everything at 50%
    recalibrated = calibration(engine, WINDOW).query("series == 'recalibrated'")
    assert recalibrated[["band", "light_edit_rate", "replies"]].to_dict("records") == [
        {"band": 0.5, "light_edit_rate": 0.5, "replies": 2}
    ]


def test_a_reply_sent_from_a_draft_that_states_no_answer_is_not_on_the_calibration_chart(
    engine: Engine, workspace: dict[str, int]
) -> None:
    """Issue 32: a holding or closing reply shows 0 and goes out as drafted by design; on the "as shown" line it
    made a 0 % band that is always sent as is, while the recalibrated line (no raw figure) left it out."""
    with session_scope(engine) as session:
        ticket = make_ticket(session, category=Category.BILLING, created_at=NOW - timedelta(days=2))
        message = add_message(session, ticket=ticket, role=AuthorRole.AGENT, body="holding", actor="a", at=NOW)
        draft = DraftRow(
            ticket_id=ticket.id,
            ticket_version=1,
            text="holding",
            model="m",
            mode="offline",
            confidence=0.0,
            band="no_answer",
            sources=[],
        )
        session.add(draft)
        session.flush()
        session.add(
            ReplyRow(
                ticket_id=ticket.id,
                message_id=message.id,
                draft_id=draft.id,
                sent_text="holding",
                edit_distance=0,
                edit_ratio=0.0,
                sent_as_drafted=True,
                sent_by_id=workspace["maya"],
                sent_at=NOW,
            )
        )
    assert sorted(calibration(engine, WINDOW)["band"]) == [0.4, 0.8]


def test_time_in_status(engine: Engine, workspace: dict[str, int]) -> None:
    frame = time_in_status(engine, WINDOW, now=NOW).set_index("status")
    # new: 1, 3 and 5 h on the answered tickets, 120 h (still new) on T4; processing: 1 h each;
    # awaiting: 8 h (T1), 16 h (T2), 114 h (T3, still waiting at NOW).
    assert frame.loc["new", "mean_hours"] == pytest.approx((1 + 3 + 5 + 120) / 4)
    assert frame.loc["processing", "mean_hours"] == pytest.approx(1.0)
    assert frame.loc["awaiting_customer", "mean_hours"] == pytest.approx((8 + 16 + 114) / 3)
    assert "resolved" not in frame.index  # where tickets end, not a stay


def test_per_agent_table_and_its_csv(engine: Engine, workspace: dict[str, int]) -> None:
    frame = agents(engine, WINDOW).set_index("agent")
    assert frame.loc["Maya", ["tickets", "resolved", "replies"]].tolist() == [2, 2, 2]
    assert (frame.loc["Maya", "as_drafted_rate"], frame.loc["Maya", "csat"]) == (0.5, 4.0)
    assert frame.loc["Sam", "replies"] == 1 and pd.isna(frame.loc["Sam", "csat"])
    csv = agents(engine, WINDOW).to_csv(index=False)
    assert csv.splitlines()[0] == "agent,role,tickets,resolved,replies,as_drafted_rate,avg_edit_distance,csat"
    assert "Maya,agent,2,2,2,0.5,3.0,4.0" in csv


def test_csat_trend_sentiment_and_costs(engine: Engine, workspace: dict[str, int]) -> None:
    from assist.metrics import assist_costs, csat_trend, sentiment
    from assist.store.models import AssistRunRow

    trend = csat_trend(engine, WINDOW)
    assert trend[["csat", "responses"]].to_dict("records") == [{"csat": 4.0, "responses": 2}]
    with session_scope(engine) as session:
        for ticket, level, cost, ms in (("t1", "neutral", 0.0, 30.0), ("t2", "angry", 0.002, 50.0)):
            for version in (1, 2):  # only the latest run of a ticket counts for its sentiment
                session.add(
                    AssistRunRow(
                        ticket_id=workspace[ticket],
                        ticket_version=version,
                        mode="llm" if cost else "offline",
                        model="m",
                        confidence=0.5,
                        category="billing",
                        category_confidence=0.9,
                        sentiment_level=level if version == 2 else "positive",
                        sentiment_score=0.0,
                        frustration=0.1,
                        priority=3,
                        escalate=False,
                        queue="auto",
                        reasons=[],
                        cost_usd=cost,
                        latency_ms=ms,
                        created_at=NOW - timedelta(days=1),
                    )
                )
    mix = sentiment(engine, WINDOW).groupby("level")["tickets"].sum().to_dict()
    assert mix == {"angry": 1, "neutral": 1}
    costs = assist_costs(engine, WINDOW)
    assert costs[["runs", "cost_usd", "mean_latency_ms", "llm_runs"]].to_dict("records") == [
        {"runs": 4, "cost_usd": pytest.approx(0.004), "mean_latency_ms": 40.0, "llm_runs": 2}
    ]


def test_queue_filter_works_for_every_figure_of_the_dashboard(engine: Engine, workspace: dict[str, int]) -> None:
    """Defect: the queue filter's correlated EXISTS left queries over `escalations` with no FROM clause."""
    from assist.metrics import dashboard

    tier2 = MetricsFilter(**{**WINDOW.model_dump(), "queue": "tier2"})
    board = dashboard(engine, tier2)
    assert board.kpis.tickets == 1
    assert board.escalation_reasons.to_dict("records") == [{"reason": "Customer is angry", "escalations": 1}]
    assert dashboard(engine, MetricsFilter(**{**WINDOW.model_dump(), "queue": "manager"})).kpis.tickets == 0
