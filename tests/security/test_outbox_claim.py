"""Replies mailed more than once, and a Send held up by a hung relay (issue 31, finding 10).

Four agents sending at once with a slow mail server sent 4 replies as 10 mails on SQLite, where
`SELECT ... FOR UPDATE` does nothing, while the outbox showed each sent once; and one Send took 90 s
because the click delivered every due row. Every attempt now claims its row first (`delivery.claim`, one
conditional UPDATE that exactly one caller wins on every database), and the click only queues: the
process's `delivery.Courier` delivers.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from email import message_from_bytes

from sqlalchemy import Engine, select

from assist.config import Settings
from assist.delivery import Courier, claim, deliver_due, transport
from assist.domain import OutgoingReply, SentReply
from assist.store import session_scope
from assist.store.models import OutboxRow
from assist.ticket_actions import send_reply
from assist.times import utcnow
from tests.conftest import SlowSmtp
from tests.factories import make_actor, make_ticket


def _queue_replies(engine: Engine, settings: Settings, count: int, **kwargs: object) -> list[SentReply]:
    with session_scope(engine) as session:
        agent = make_actor(session)
        tickets = [make_ticket(session, subject=f"Question {n}") for n in range(count)]
        seen = [(t.id, t.version) for t in tickets]
    return [
        send_reply(
            engine,
            ticket_id=ticket_id,
            expected_version=version,
            text=f"Answer for ticket {ticket_id}.",
            draft_id=None,
            actor=agent,
            resolve=False,
            settings=settings,
            **kwargs,  # type: ignore[arg-type]
        )
        for ticket_id, version in seen
    ]


def test_four_deliverers_at_once_mail_each_reply_exactly_once(engine: Engine, smtp: int) -> None:
    settings = Settings(smtp_host="127.0.0.1", smtp_port=smtp, webhook_url=None)
    sent = _queue_replies(engine, settings, 4)
    assert {s.delivery_status for s in sent} == {"pending"}  # queued, not delivered by the Send
    start = threading.Barrier(4)
    delivered: list[int] = []

    def deliverer() -> None:
        start.wait()
        delivered.append(deliver_due(engine, send=transport(settings), max_attempts=3))

    threads = [threading.Thread(target=deliverer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    subjects = sorted(message_from_bytes(m)["Subject"] for m in SlowSmtp.received)
    assert subjects == sorted(f"Re: Question {n} [#{s.ticket_id}]" for n, s in enumerate(sent))  # 4 mails, not 10
    assert sum(delivered) == 4
    with session_scope(engine) as session:
        rows = session.scalars(select(OutboxRow)).all()
        assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}


def test_a_send_returns_while_the_relay_hangs(engine: Engine) -> None:
    entered, release, both = threading.Event(), threading.Event(), threading.Event()
    calls: list[int] = []

    def hung_relay(row: OutgoingReply) -> None:
        calls.append(row.ticket_id)
        entered.set()
        release.wait(120)
        if len(calls) == 2:
            both.set()

    courier = Courier(engine, send=hung_relay, max_attempts=3).start()
    try:
        settings = Settings(smtp_host="relay.invalid", webhook_url=None)
        (first,) = _queue_replies(engine, settings, 1, announce=courier.notify)
        assert entered.wait(60)  # the courier is stuck inside the relay with the first reply
        (second,) = _queue_replies(engine, settings, 1, announce=courier.notify)
        assert not release.is_set() and len(calls) == 1  # the second Send returned while the relay still hangs
        assert second.delivery_status == "pending"
        release.set()
        assert both.wait(60)  # once the relay answers, the courier delivers the second reply too
    finally:
        release.set()
        courier.stop()
    with session_scope(engine) as session:
        rows = session.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
        assert [(r.ticket_id, r.status, r.attempts) for r in rows] == [
            (first.ticket_id, "sent", 1),
            (second.ticket_id, "sent", 1),
        ]


def test_a_claim_is_exclusive_until_its_lease_ends_and_a_stale_claimer_records_nothing(engine: Engine) -> None:
    settings = Settings(smtp_host="relay.invalid", webhook_url=None)
    (sent,) = _queue_replies(engine, settings, 1)
    with session_scope(engine) as session:
        outbox_id = session.scalars(select(OutboxRow.id)).one()
    now = utcnow()
    taken = claim(engine, outbox_id=outbox_id, now=now, lease=timedelta(minutes=5))
    assert taken is not None and taken.attempt == 1
    assert claim(engine, outbox_id=outbox_id, now=now + timedelta(minutes=4)) is None  # still held
    assert deliver_due(engine, send=lambda _: None, max_attempts=3, now=now + timedelta(minutes=4)) == 0

    def slow_then_overtaken(row: OutgoingReply) -> None:
        # the first claimer is presumed dead: after the lease another one takes the row over
        assert claim(engine, outbox_id=row.outbox_id, now=now + timedelta(minutes=12)) is not None

    later = now + timedelta(minutes=6)  # the first claim's lease has ended: the row is due again
    assert deliver_due(engine, send=slow_then_overtaken, max_attempts=5, now=later) == 0
    with session_scope(engine) as session:
        row = session.get_one(OutboxRow, outbox_id)
        assert (row.status, row.attempts) == ("sending", 3)  # the overtaken attempt's "sent" was not recorded
    assert sent.delivery_status == "pending"
