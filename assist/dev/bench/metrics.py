"""Every dashboard query on a large generated workspace (tickets with replies, drafts, CSAT,
escalations, status history and assist runs), timed together."""

from __future__ import annotations

import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, update

from assist.dev.bench.inbox import fill
from assist.metrics import MetricsFilter, dashboard, gap_candidates
from assist.store.db import make_engine, upgrade
from assist.store.models import (
    AssistRunRow,
    CsatRow,
    DraftRow,
    EscalationRow,
    MessageRow,
    ReplyRow,
    StatusChangeRow,
    TicketRow,
)

REASONS = [
    ["Customer is angry"],
    ["Repeat contact about the same issue"],
    ["Legal threat"],
    ["Draft confidence below threshold"],
    ["Customer is angry", "High priority"],
]


def fill_outcomes(engine: Engine, *, seed: int = 2) -> None:
    """Replies, drafts, CSAT, escalations, status history and assist runs for the tickets in `engine`."""
    rng = random.Random(seed)
    with engine.connect() as conn:
        tickets = conn.execute(select(TicketRow.id, TicketRow.status, TicketRow.created_at)).all()
    batches: dict[Any, list[dict[str, Any]]] = {k: [] for k in (StatusChangeRow, AssistRunRow, EscalationRow, CsatRow)}
    replies: list[tuple[int, datetime, float]] = []
    for ticket_id, status, created in tickets:
        batches[StatusChangeRow].append(
            {
                "ticket_id": ticket_id,
                "from_status": None,
                "to_status": "new",
                "actor": "bench",
                "reason": "",
                "changed_at": created,
            }
        )
        if status != "new":
            batches[StatusChangeRow].append(
                {
                    "ticket_id": ticket_id,
                    "from_status": "new",
                    "to_status": status,
                    "actor": "bench",
                    "reason": "",
                    "changed_at": created + timedelta(hours=rng.randint(1, 48)),
                }
            )
        top = rng.random()
        batches[AssistRunRow].append(
            {
                "ticket_id": ticket_id,
                "ticket_version": 1,
                "mode": "offline",
                "model": "offline-grounded",
                "confidence": top,
                "top_score": top * 0.8,
                "category": "billing",
                "category_confidence": 0.9,
                "sentiment_level": rng.choice(["neutral", "frustrated", "angry", "positive"]),
                "sentiment_score": 0.0,
                "frustration": rng.random(),
                "priority": rng.randint(1, 10),
                "escalate": False,
                "queue": "auto",
                "reasons": [],
                "tokens": 0,
                "cost_usd": 0.0,
                "latency_ms": rng.uniform(20, 60),
                "steps_ms": {},
                "result": {},
                "created_at": created,
            }
        )
        if status in ("resolved", "awaiting_customer"):
            replies.append((ticket_id, created + timedelta(hours=rng.randint(1, 30)), top))
        if status == "escalated" or rng.random() < 0.03:
            batches[EscalationRow].append(
                {
                    "ticket_id": ticket_id,
                    "reasons": rng.choice(REASONS),
                    "priority": "high",
                    "queue": rng.choice(["tier1", "tier2", "manager"]),
                    "suggested_action": "",
                    "package": {},
                    "state": "open",
                    "created_at": created,
                }
            )
        if status == "resolved" and rng.random() < 0.4:
            batches[CsatRow].append(
                {
                    "ticket_id": ticket_id,
                    "score": rng.randint(1, 5),
                    "comment": "",
                    "source": "survey",
                    "responded_at": created + timedelta(days=1),
                }
            )
    with engine.begin() as conn:
        for model, rows in batches.items():
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(model), rows[start : start + 20_000])
        for start in range(0, len(replies), 20_000):
            chunk = replies[start : start + 20_000]
            first_message = conn.execute(select(MessageRow.id).order_by(MessageRow.id.desc()).limit(1)).scalar() or 0
            conn.execute(
                insert(MessageRow),
                [{"ticket_id": t, "author_role": "agent", "body": "Reply.", "created_at": at} for t, at, _ in chunk],
            )
            first_draft = conn.execute(select(DraftRow.id).order_by(DraftRow.id.desc()).limit(1)).scalar() or 0
            conn.execute(
                insert(DraftRow),
                [
                    {
                        "ticket_id": t,
                        "ticket_version": 1,
                        "text": "Draft.",
                        "confidence": c,
                        "sources": [],
                        "model": "offline-grounded",
                        "mode": "offline",
                        "created_at": at,
                    }
                    for t, at, c in chunk
                ],
            )
            conn.execute(
                insert(ReplyRow),
                [
                    {
                        "ticket_id": t,
                        "message_id": first_message + n + 1,
                        "draft_id": first_draft + n + 1,
                        "draft_text": "Draft.",
                        "sent_text": "Reply.",
                        "edit_distance": 0 if c > 0.5 else 12,
                        "sent_as_drafted": c > 0.5,
                        "sent_by_id": rng.randint(1, 4),
                        "sent_at": at,
                    }
                    for n, (t, at, c) in enumerate(chunk)
                ],
            )
            conn.execute(
                update(TicketRow)
                .where(TicketRow.id.in_([t for t, _, _ in chunk]))
                .values(first_response_at=TicketRow.created_at)  # timing only: the value does not matter
            )


def run(*, tickets: int = 100_000, rounds: int = 3, **_options: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'metrics.db'}")
        upgrade(engine)
        started = time.perf_counter()
        fill(engine, tickets=tickets)
        fill_outcomes(engine)
        seed_s = time.perf_counter() - started
        # The dashboard opens on the last 90 days (about a quarter of these tickets); the whole year is
        # reported beside it.
        f = MetricsFilter.last_days(90)
        year = MetricsFilter.last_days(365)
        dashboard(engine, f)  # warm the connection and SQLite's page cache
        totals: list[float] = []
        per_query: dict[str, float] = {}
        for _ in range(rounds):
            started = time.perf_counter()
            board = dashboard(engine, f)
            gap_candidates(engine, f, max_score=0.4)
            totals.append(time.perf_counter() - started)
        started = time.perf_counter()
        dashboard(engine, year)
        gap_candidates(engine, year, max_score=0.4)
        year_ms = (time.perf_counter() - started) * 1000
        import assist.metrics as m

        for name in (
            "kpis",
            "csat_trend",
            "csat_by_segment",
            "volume",
            "escalation_reasons",
            "sentiment",
            "calibration",
            "time_in_status",
            "assist_costs",
            "agents",
        ):
            t0 = time.perf_counter()
            getattr(m, name)(engine, f)
            per_query[name] = round((time.perf_counter() - t0) * 1000, 1)
        engine.dispose()
    return {
        "tickets": tickets,
        "window_days": 90,
        "window_tickets": board.kpis.tickets,
        "total_ms": round(sorted(totals)[len(totals) // 2] * 1000, 1),
        "total_max_ms": round(max(totals) * 1000, 1),
        "total_ms_365_days": round(year_ms, 1),
        "queries": per_query,
        "seed_s": round(seed_s, 1),
    }
