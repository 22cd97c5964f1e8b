from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine, func, select

from assist.dev.bench.inbox import QUERIES, fill
from assist.dev.bench.timing import percentile
from assist.inbox import list_inbox
from assist.store import session_scope
from assist.store.models import TicketRow


def test_fill_loads_the_requested_number_of_tickets(sqlite_engine: Engine) -> None:
    fill(sqlite_engine, tickets=1200)
    with session_scope(sqlite_engine) as session:
        assert session.scalar(select(func.count()).select_from(TicketRow)) == 1200
        statuses = Counter(session.scalars(select(TicketRow.status)).all())
    assert len(statuses) == 6


def test_every_benchmark_query_returns_a_page(sqlite_engine: Engine) -> None:
    fill(sqlite_engine, tickets=1200)
    for name, query in QUERIES.items():
        page = list_inbox(sqlite_engine, query=query)
        assert len(page.rows) <= query.page_size, name
        assert page.total >= len(page.rows), name


def test_percentile_interpolates() -> None:
    assert percentile([], 95) == 0.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([float(i) for i in range(1, 101)], 50) == 50.5
