"""Inbox list queries on a large workspace: filtered, sorted pages over N tickets."""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from assist.demo import content, people
from assist.dev.bench.loading import load, settle
from assist.domain import Category, TicketQuery, TicketSort, TicketStatus
from assist.errors import ValidationError
from assist.inbox import list_inbox
from assist.store.db import make_engine, upgrade
from assist.store.facts import rebuild
from assist.store.models import CustomerRow, TicketRow, UserRow

STATUSES = [s.value for s in TicketStatus]
STATUS_WEIGHTS = [8, 4, 10, 3, 70, 5]
OPEN = (TicketStatus.NEW, TicketStatus.PROCESSING, TicketStatus.REOPENED)


def fill(engine: Engine, *, tickets: int, seed: int = 1, facts: bool = True) -> None:
    """Bulk-load `tickets` synthetic tickets over the last year (and 1 customer per 20 tickets), then their
    facts (`facts=False` when the caller loads more and computes them after)."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    n_customers = max(1, tickets // 20)
    with engine.begin() as conn:
        users = [{"id": i, "email": e, "name": n, "role": r} for i, (e, n, r) in enumerate(people.AGENTS, 1)]
        load(conn, UserRow, users)
        load(
            conn,
            CustomerRow,
            (
                {"id": i, "name": f"Customer {i}", "email": f"c{i}@bench.example", "plan": "pro"}
                for i in range(1, n_customers + 1)
            ),
        )
        for start in range(0, tickets, 50_000):
            rows: list[dict[str, Any]] = []
            for ticket_id in range(start + 1, min(tickets, start + 50_000) + 1):
                topic = rng.choice(content.TOPICS)
                wording = rng.choice(topic.wordings)  # subject and preview of one question
                created = now - timedelta(minutes=rng.randrange(1, 365 * 24 * 60))
                rows.append(
                    {
                        "id": ticket_id,
                        "customer_id": rng.randrange(1, n_customers + 1),
                        "subject": rng.choice(wording.subjects),
                        "preview": rng.choice(wording.texts),
                        "channel": "email",
                        "status": rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                        "priority": rng.randint(1, 10),
                        "category": topic.category,
                        "assignee_id": rng.choice([None, 1, 2, 3, 4]),
                        "version": 1,
                        "created_at": created,
                        "updated_at": created,
                        "status_changed_at": created,
                    }
                )
            load(conn, TicketRow, rows)
        settle(conn, [UserRow, CustomerRow, TicketRow])
        if facts:
            rebuild(conn)
            settle(conn, [])


def require_empty(engine: Engine) -> None:
    """A benchmark fills the database it is given: never one that holds a workspace."""
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(TicketRow)) or conn.scalar(
            select(func.count()).select_from(UserRow)
        ):
            raise ValidationError(
                f"{engine.url.render_as_string(hide_password=True)} already holds tickets or users; "
                "a benchmark needs an empty database (e.g. `createdb assist_bench`)."
            )


QUERIES: dict[str, TicketQuery] = {
    "open_by_priority": TicketQuery(statuses=OPEN),
    "open_by_priority_page5": TicketQuery(statuses=OPEN, page=5),
    "all_newest": TicketQuery(sort=TicketSort.NEWEST),
    "billing_open_newest": TicketQuery(statuses=OPEN, categories=(Category.BILLING,), sort=TicketSort.NEWEST),
    "urgent_only": TicketQuery(statuses=OPEN, min_priority=8),
    "my_tickets": TicketQuery(statuses=OPEN, assignee_id=2, sort=TicketSort.UPDATED),
    "unassigned": TicketQuery(statuses=(TicketStatus.NEW,), unassigned_only=True),
    "search_refund": TicketQuery(search="refund"),
    "search_customer": TicketQuery(search="c4242@bench"),
    "escalated_oldest": TicketQuery(statuses=(TicketStatus.ESCALATED,), sort=TicketSort.OLDEST),
}


def run(*, tickets: int = 100_000, rounds: int = 5, database: str | None = None, **_options: Any) -> dict[str, Any]:
    """Seed a temporary SQLite database (or `database`, which must be empty) and time every query `rounds` times."""
    from assist.dev.bench.timing import summary_ms

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(database or f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        require_empty(engine)
        started = time.perf_counter()
        fill(engine, tickets=tickets)
        seed_s = time.perf_counter() - started
        list_inbox(engine, query=QUERIES["open_by_priority"])  # warm the connection and caches
        timings: list[float] = []
        per_query: dict[str, list[float]] = {name: [] for name in QUERIES}
        for _ in range(rounds):
            for name, query in QUERIES.items():
                t0 = time.perf_counter()
                list_inbox(engine, query=query)
                elapsed = time.perf_counter() - t0
                timings.append(elapsed)
                per_query[name].append(elapsed)
        engine.dispose()
    slowest = max(per_query, key=lambda n: max(per_query[n]))
    return {
        "tickets": tickets,
        "queries": len(timings),
        **summary_ms(timings),
        "slowest_query": slowest,
        "slowest_p95_ms": summary_ms(per_query[slowest])["p95_ms"],
        "seed_s": round(seed_s, 1),
        "database": engine.dialect.name,
    }
