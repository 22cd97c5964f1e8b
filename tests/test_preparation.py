"""Which tickets wait for assistance, and the embedded worker that prepares them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine

from assist.arrival import Arrival
from assist.domain import Assistance, Channel
from assist.errors import ValidationError
from assist.intake import take_in
from assist.pipeline import Assistant, compute_assistance
from assist.preparation import EmbeddedWorker, waiting
from assist.store import session_scope
from assist.store.runs import current_assistance
from tests.factories import make_ticket


def arrive(engine: Engine, external_id: str, body: str, message_id: str) -> int:
    arrival = Arrival(
        channel=Channel.EMAIL,
        external_id=external_id,
        customer_email="ana@example.com",
        body=body,
        message_id=message_id,
    )
    return take_in(engine, arrival, actor="intake:test", max_chars=5000)[0]


def _current(engine: Engine, ticket_id: int) -> Assistance | None:
    with session_scope(engine) as session:
        return current_assistance(session, ticket_id=ticket_id)


def until(condition: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_open_tickets_without_current_assistance_are_waiting_resolved_ones_are_not(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = make_ticket(session, subject="a").id
        second = make_ticket(session, subject="b").id
        make_ticket(session, subject="c", status="resolved")
    assert waiting(engine) == [first, second]
    assert waiting(engine, among=[second, 999]) == [second] and waiting(engine, among=[]) == []


def test_concurrent_retries_of_one_arrival_make_one_ticket(engine: Engine) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(lambda _: arrive(engine, "HD-9", "Export broken", "m-1"), range(6)))
    assert len(ids) == 1 and waiting(engine) == list(ids)


def test_a_prepared_ticket_stops_waiting_when_another_one_arrives(assistant: Assistant) -> None:
    """Defect: the newest customer message of *any* ticket was compared with each ticket's run, so every
    arrival put all prepared tickets back to waiting (the worker recomputed them in a loop)."""
    engine = assistant.engine
    first = arrive(engine, "HD-1", "How do I export my invoices as CSV?", "m-1")
    compute_assistance(assistant, ticket_id=first)
    second = arrive(engine, "HD-2", "Can I change the currency on my invoices?", "m-2")
    assert waiting(engine) == [second]


def test_the_worker_prepares_each_arrival_and_again_when_the_customer_writes(assistant: Assistant) -> None:
    engine = assistant.engine
    worker = EmbeddedWorker(engine, lambda t: compute_assistance(assistant, ticket_id=t)).start()
    try:
        ticket_id = arrive(engine, "HD-1", "How do I export my invoices as CSV?", "m-1")
        worker.notify()
        until(lambda: not waiting(engine))
        first = _current(engine, ticket_id)
        assert first is not None
        arrive(engine, "HD-1", "Also, can I export last year's invoices?", "m-2")
        assert waiting(engine) == [ticket_id]  # the customer wrote again: what was prepared is out of date
        worker.notify()
        until(lambda: not waiting(engine))
        newer = _current(engine, ticket_id)
        assert newer is not None and newer.run_id != first.run_id
    finally:
        worker.stop()


def test_a_ticket_that_fails_does_not_hold_up_the_others(sqlite_engine: Engine) -> None:
    with session_scope(sqlite_engine) as session:
        broken = make_ticket(session, subject="broken").id
        fine = make_ticket(session, subject="fine").id
    calls: list[int] = []
    seen_fine = threading.Event()

    def prepare(ticket_id: int) -> None:
        calls.append(ticket_id)
        if ticket_id == broken:
            raise ValidationError("cannot prepare")
        seen_fine.set()

    worker = EmbeddedWorker(sqlite_engine, prepare).start()
    try:
        assert seen_fine.wait(10)
    finally:
        worker.stop()
    assert calls[0] == broken and calls.count(broken) == 1 and fine in calls


def test_one_rule_says_when_stored_assistance_is_current_for_the_worker_the_screen_and_precompute(
    assistant: Assistant,
) -> None:
    """Issue 36: three rules disagreed. The worker's waiting list ignored a change of the knowledge base (the
    screen recomputed on open instead); `precompute` recomputed after a note (it asked for a run of the exact
    version). A note keeps the assistance; a knowledge-base change makes it stale everywhere."""
    from assist.config import Settings
    from assist.store.runs import lacking_assistance
    from assist.ticket_actions import add_note, open_ticket
    from assist.users import OPERATOR
    from tests.conftest import article
    from tests.factories import make_actor

    engine = assistant.engine
    ticket_id = arrive(engine, "HD-1", "Is there a dark theme for the web app?", "m-1")
    compute_assistance(assistant, ticket_id=ticket_id)
    with session_scope(engine) as session:
        agent = make_actor(session)
    version = open_ticket(assistant, ticket_id=ticket_id).ticket.version
    add_note(
        engine, ticket_id=ticket_id, expected_version=version, text="Asked design.", actor=agent, settings=Settings()
    )
    assert waiting(engine) == [] and lacking_assistance(engine, open_only=False) == []  # what precompute reads
    assert not open_ticket(assistant, ticket_id=ticket_id).fresh

    assistant.knowledge_base.ingest_files(
        [("dark.md", article("dark-mode", "Use dark mode", "Profile, Appearance, Dark.", category="general"))],
        actor=OPERATOR,
    )
    assert waiting(engine) == [ticket_id] and lacking_assistance(engine, open_only=False) == [ticket_id]
    assert open_ticket(assistant, ticket_id=ticket_id).fresh
    assert waiting(engine) == []  # opening it computed and stored it for today's knowledge base
