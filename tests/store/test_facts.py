"""The dashboard facts kept on write equal the facts recomputed from scratch, whatever happened."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from assist.config import Settings
from assist.domain import Category, Role, TicketStatus, User
from assist.errors import AssistError
from assist.lifecycle import change_status
from assist.metrics import MetricsFilter, dashboard
from assist.ownership import claim
from assist.store import session_scope
from assist.store.facts import rebuild
from assist.store.models import (
    AssistRunRow,
    CsatRow,
    DraftRow,
    EscalationRow,
    FactItemRow,
    FactRollupRow,
    TicketCountRow,
    TicketFactRow,
    TicketRow,
)
from assist.store.status import allowed_next
from assist.ticket_actions import send_reply
from tests.conftest import NOW
from tests.factories import make_ticket, make_user

SETTINGS = Settings(smtp_host=None, webhook_url=None, max_message_chars=2000)
CATEGORIES = tuple(Category)


def _kept(engine: Engine) -> dict[str, Any]:
    """Every fact and rollup row, keyed, with totals rounded (sums of floats kept by difference drift)."""
    with session_scope(engine) as session:
        rollups = {
            (r.day, r.category, r.assignee_id, r.measure, r.label): (r.n, round(r.total, 6), round(r.extra, 6))
            for r in session.scalars(select(FactRollupRow))
            if r.n  # a row summing to nothing is the same as no row
        }
        items = {
            (i.ticket_id, i.measure, i.label): (i.n, round(i.total, 6), round(i.extra, 6))
            for i in session.scalars(select(FactItemRow))
        }
        facts = {
            f.ticket_id: (
                f.day,
                f.category,
                f.assignee_id,
                f.status,
                f.priority,
                f.response_h and round(f.response_h, 6),
                f.top_score,
            )
            for f in session.scalars(select(TicketFactRow))
        }
        counts = {
            (c.status, c.priority, c.category, c.assignee_id): c.n for c in session.scalars(select(TicketCountRow))
        }
    return {"rollups": rollups, "items": items, "facts": facts, "counts": counts}


def _recomputed(engine: Engine) -> dict[str, Any]:
    with engine.begin() as connection:
        rebuild(connection)
    return _kept(engine)


def _exercise(engine: Engine, rng: random.Random, people: list[User], steps: int) -> None:
    """Random work through the product's own write paths, plus the rows other services add."""
    for _ in range(steps):
        with session_scope(engine) as session:
            ticket = rng.choice(session.scalars(select(TicketRow)).all())
            ticket_id, version, status = ticket.id, ticket.version, TicketStatus(ticket.status)
        actor = rng.choice(people)
        action = rng.choice(("reply", "status", "claim", "csat", "escalation", "run", "recategorise"))
        try:
            if action == "reply":
                with session_scope(engine) as session:
                    draft = DraftRow(
                        ticket_id=ticket_id,
                        ticket_version=version,
                        text="Here is how to do it.",
                        confidence=rng.random(),
                        raw_confidence=rng.random(),
                        band="check",
                        model="m",
                        mode="offline",
                        sources=[],
                    )
                    session.add(draft)
                    session.flush()
                    draft_id = draft.id
                text = rng.choice(("Here is how to do it.", f"Here is how to do it, step {rng.randint(1, 9)}."))
                send_reply(
                    engine,
                    ticket_id=ticket_id,
                    expected_version=version,
                    text=text,
                    draft_id=rng.choice((draft_id, None)),
                    actor=actor,
                    resolve=rng.random() < 0.3,
                    settings=SETTINGS,
                )
            elif action == "status":
                to = rng.choice(sorted(allowed_next(status)))
                change_status(engine, ticket_id=ticket_id, to=to, actor=actor, expected_version=version)
            elif action == "claim":
                claim(engine, ticket_id=ticket_id, expected_version=version, actor=actor, confirm_owner=None)
            else:
                with session_scope(engine) as session:
                    row = session.get(TicketRow, ticket_id)
                    assert row is not None
                    if action == "csat":
                        session.add(CsatRow(ticket_id=ticket_id, score=rng.randint(1, 5), responded_at=NOW))
                    elif action == "escalation":
                        reasons = rng.choice((["Customer is angry"], ["Legal threat", "Agent's note: call"], []))
                        queue = rng.choice(("tier1", "tier2"))
                        session.add(EscalationRow(ticket_id=ticket_id, reasons=reasons, priority="high", queue=queue))
                    elif action == "run":
                        session.add(_run(ticket_id, row.version, rng))
                    else:
                        row.category = rng.choice((*(c.value for c in CATEGORIES), None))
        except AssistError:
            pass  # refused (a resolved ticket, someone else's ticket): refusals must leave the facts alone too


def _run(ticket_id: int, version: int, rng: random.Random) -> AssistRunRow:
    llm = rng.random() < 0.3
    return AssistRunRow(
        ticket_id=ticket_id,
        ticket_version=version,
        mode="llm" if llm else "offline",
        model="m",
        confidence=rng.random(),
        top_score=rng.choice((None, rng.random())),
        category="billing",
        category_confidence=0.9,
        sentiment_level=rng.choice(("neutral", "frustrated", "angry", "positive")),
        sentiment_score=0.0,
        frustration=rng.random(),
        priority=rng.randint(1, 10),
        escalate=False,
        queue="auto",
        reasons=[],
        cost_usd=0.001 if llm else 0.0,
        latency_ms=rng.uniform(10, 90),
    )


@pytest.mark.parametrize("seed", [3, 11])
def test_kept_facts_equal_facts_recomputed_from_scratch(engine: Engine, seed: int) -> None:
    rng = random.Random(seed)
    with session_scope(engine) as session:
        people = [make_user(session, name=f"Agent {n}", role=Role.AGENT.value) for n in range(3)]
        for n in range(12):
            created = NOW - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))
            ticket = make_ticket(session, category=rng.choice(CATEGORIES), created_at=created)
            ticket.assignee_id = rng.choice((None, people[n % 3].id))
        actors = [User(id=p.id, email=p.email, name=p.name, role=Role.AGENT, active=True) for p in people]
    _exercise(engine, rng, actors, steps=120)

    kept = _kept(engine)
    window = MetricsFilter(start=(NOW - timedelta(days=60)).date(), end=NOW.date())
    board = dashboard(engine, window)
    assert kept["rollups"] and kept["items"] and len(kept["facts"]) == 12 and sum(kept["counts"].values()) == 12
    assert kept == _recomputed(engine)
    after = dashboard(engine, window)
    assert board.kpis == after.kpis
    assert board.agents.equals(after.agents)
