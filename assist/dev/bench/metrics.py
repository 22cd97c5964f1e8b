"""Every dashboard query on a large generated workspace (tickets with replies, drafts, CSAT,
escalations, status history and assist runs), timed together."""

from __future__ import annotations

import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from assist.dev.bench.inbox import fill, require_empty
from assist.dev.bench.loading import load, settle
from assist.drafting.policy import answer_band
from assist.metrics import MetricsFilter, dashboard, gap_candidates
from assist.store.db import make_engine, upgrade
from assist.store.facts import rebuild
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
    """Replies, drafts, CSAT, escalations, status history and assist runs for the tickets in `engine`,
    then the dashboard facts computed from them (a bulk load bypasses the ORM that keeps them)."""
    rng = random.Random(seed)
    with engine.connect() as conn:
        tickets = conn.execute(
            select(TicketRow.id, TicketRow.status, TicketRow.created_at).order_by(TicketRow.id)
        ).all()
    reply_id = 0
    with engine.begin() as conn:
        for start in range(0, len(tickets), 50_000):
            rows: dict[Any, list[dict[str, Any]]] = {model: [] for model in LOADED}
            for ticket_id, status, created in tickets[start : start + 50_000]:
                reply_id = _outcomes(rng, rows, ticket_id, status, created, reply_id)
            for model in LOADED:
                load(conn, model, rows[model])
        settle(conn, LOADED)
        load_first_responses(conn)
        rebuild(conn)
        settle(conn, [])


LOADED = (StatusChangeRow, AssistRunRow, EscalationRow, CsatRow, MessageRow, DraftRow, ReplyRow)


def _outcomes(
    rng: random.Random,
    rows: dict[Any, list[dict[str, Any]]],
    ticket_id: int,
    status: str,
    created: datetime,
    reply_id: int,
) -> int:
    rows[StatusChangeRow].append(
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
        rows[StatusChangeRow].append(
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
    rows[AssistRunRow].append(
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
        reply_id += 1
        at = created + timedelta(hours=rng.randint(1, 30))
        rows[MessageRow].append(
            {"id": reply_id, "ticket_id": ticket_id, "author_role": "agent", "body": "Reply.", "created_at": at}
        )
        rows[DraftRow].append(
            {
                "id": reply_id,
                "ticket_id": ticket_id,
                "ticket_version": 1,
                "text": "Draft.",
                "confidence": top,
                "raw_confidence": top,
                "band": answer_band(top).value,
                "sources": [],
                "model": "offline-grounded",
                "mode": "offline",
                "created_at": at,
            }
        )
        rows[ReplyRow].append(
            {
                "ticket_id": ticket_id,
                "message_id": reply_id,
                "draft_id": reply_id,
                "draft_text": "Draft.",
                "sent_text": "Reply.",
                "edit_distance": 0 if top > 0.5 else 12,
                "edit_ratio": 0.0 if top > 0.5 else 0.4,
                "sent_as_drafted": top > 0.5,
                "sent_by_id": rng.randint(1, 4),
                "sent_at": at,
            }
        )
    if status == "escalated" or rng.random() < 0.03:
        rows[EscalationRow].append(
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
        rows[CsatRow].append(
            {
                "ticket_id": ticket_id,
                "score": rng.randint(1, 5),
                "comment": "",
                "source": "survey",
                "responded_at": created + timedelta(days=1),
            }
        )
    return reply_id


def load_first_responses(conn: Connection) -> None:
    """Each answered ticket's first response is its first agent message; a resolved one's resolution is
    its move to resolved."""
    first = (
        select(func.min(MessageRow.created_at))
        .where(MessageRow.ticket_id == TicketRow.id, MessageRow.author_role == "agent")
        .scalar_subquery()
    )
    answered = TicketRow.status.in_(("resolved", "awaiting_customer"))
    conn.execute(update(TicketRow).values(first_response_at=first).where(answered))
    resolved = (
        select(func.max(StatusChangeRow.changed_at))
        .where(StatusChangeRow.ticket_id == TicketRow.id, StatusChangeRow.to_status == "resolved")
        .scalar_subquery()
    )
    conn.execute(update(TicketRow).values(resolved_at=resolved).where(TicketRow.status == "resolved"))


def run(
    *, tickets: int = 100_000, rounds: int = 3, database: str | None = None, days: int = 90, **_options: Any
) -> dict[str, Any]:
    """Seed a temporary SQLite database (or `database`, which must hold no tickets) and time the whole
    dashboard for the last `days` days and for the last 365."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(database or f"sqlite:///{Path(tmp) / 'metrics.db'}")
        upgrade(engine)
        require_empty(engine)
        started = time.perf_counter()
        fill(engine, tickets=tickets, facts=False)
        fill_outcomes(engine)
        seed_s = time.perf_counter() - started
        window, year = MetricsFilter.last_days(days), MetricsFilter.last_days(365)
        dashboard(engine, window)  # warm the connection and the database's cache
        totals, year_totals = [], []
        for _ in range(rounds):
            totals.append(_timed(engine, window))
            year_totals.append(_timed(engine, year))
        board = dashboard(engine, window)
        engine.dispose()
    return {
        "tickets": tickets,
        "database": engine.dialect.name,
        "window_days": days,
        "window_tickets": board.kpis.tickets,
        "total_ms": _median_ms(totals),
        "total_max_ms": round(max(totals) * 1000, 1),
        "total_ms_365_days": _median_ms(year_totals),
        "seed_s": round(seed_s, 1),
    }


def _timed(engine: Engine, f: MetricsFilter) -> float:
    started = time.perf_counter()
    dashboard(engine, f)
    gap_candidates(engine, f, max_score=0.4)
    return time.perf_counter() - started


def _median_ms(seconds: list[float]) -> float:
    return round(sorted(seconds)[len(seconds) // 2] * 1000, 1)
