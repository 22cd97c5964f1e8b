"""The outbox: every reply on its way out, and the claim each delivery attempt goes through.

A Send queues a row (`queue_reply`); the courier (`assist.delivery`) takes due rows one at a time with
`claim`, one conditional UPDATE that exactly one caller can win on every database (SQLite ignores
`SELECT ... FOR UPDATE`). The winner's attempt number is its claim token and `next_attempt_at` its lease's end,
so the row of a claimer that died is due again once the lease is over, and `record_outcome` writes nothing for
a claim that was overtaken.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, select, update
from sqlalchemy.orm import Session, selectinload

from assist.domain import Delivery, OutgoingReply
from assist.store.db import session_scope
from assist.store.models import OutboxRow
from assist.times import utcnow

WAITING = ("pending", "retrying", "sending")  # "sending": claimed; due again only once its lease ended


def queue_reply(
    session: Session,
    *,
    ticket_id: int,
    message_id: int,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    in_reply_to: str | None,
) -> int:
    """Queue the stored reply `message_id` for delivery by `channel` ("none": nothing to deliver, the helpdesk
    exports it, so the row is only recorded). Returns the outbox row's id."""
    row = OutboxRow(
        ticket_id=ticket_id,
        message_id=message_id,
        channel=channel,
        status="recorded" if channel == "none" else "pending",
        recipient=recipient,
        subject=subject,
        body=body,
        in_reply_to=in_reply_to,
    )
    session.add(row)
    session.flush()
    return row.id


def status(session: Session, *, outbox_id: int) -> str:
    return session.get_one(OutboxRow, outbox_id).status


def deliveries(session: Session, *, ticket_id: int) -> dict[int, Delivery]:
    """Delivery state of every sent reply of the ticket, by message id."""
    rows = session.scalars(select(OutboxRow).where(OutboxRow.ticket_id == ticket_id)).all()
    return {
        r.message_id: Delivery(
            message_id=r.message_id, outbox_id=r.id, status=r.status, attempts=r.attempts, last_error=r.last_error
        )
        for r in rows
    }


def outgoing(session: Session, *, outbox_id: int) -> OutgoingReply:
    """The row as a transport reads it, with the reply's own Message-ID."""
    row = session.get_one(OutboxRow, outbox_id, populate_existing=True, options=[selectinload(OutboxRow.message)])
    return OutgoingReply(
        outbox_id=row.id,
        ticket_id=row.ticket_id,
        message_id=row.message_id,
        attempt=row.attempts,
        channel=row.channel,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        message_key=row.message.external_id,
        in_reply_to=row.in_reply_to,
    )


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(OutboxRow.status.in_(WAITING), OutboxRow.next_attempt_at <= now)


def due(engine: Engine, *, now: datetime) -> list[int]:
    """The rows whose turn it is, oldest first."""
    with session_scope(engine) as session:
        return list(session.scalars(select(OutboxRow.id).where(_due(now)).order_by(OutboxRow.id)))


def record_due(engine: Engine, *, now: datetime) -> None:
    """No way out is configured: every due row is only recorded (the helpdesk exports replies)."""
    with session_scope(engine) as session:
        session.execute(
            update(OutboxRow).where(_due(now)).values(status="recorded").execution_options(synchronize_session=False)
        )


def claim(engine: Engine, *, outbox_id: int, now: datetime, lease: timedelta) -> OutgoingReply | None:
    """Take one due row for one attempt: the one conditional UPDATE every delivery goes through.

    Exactly one concurrent caller matches the row (the others see a row count of 0 and get None), on SQLite and
    PostgreSQL alike. The winner's attempt number is its claim token; the lease ends at `now + lease`.
    """
    with session_scope(engine) as session:
        token = session.scalar(
            update(OutboxRow)
            .where(OutboxRow.id == outbox_id, _due(now))
            .values(status="sending", attempts=OutboxRow.attempts + 1, next_attempt_at=now + lease)
            .returning(OutboxRow.attempts)
            .execution_options(synchronize_session=False)
        )
        return None if token is None else outgoing(session, outbox_id=outbox_id)


def record_outcome(engine: Engine, reply: OutgoingReply, outcome: Mapping[str, object]) -> bool:
    """Write an attempt's outcome (`status`, `last_error`, `next_attempt_at`, `sent_at`) if its claim still holds;
    False when the lease ran out mid-attempt and another claimer took the row over."""
    with session_scope(engine) as session:
        held = session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == reply.outbox_id, OutboxRow.status == "sending", OutboxRow.attempts == reply.attempt)
            .values(**outcome)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    return bool(held)


def retry(engine: Engine, *, outbox_id: int) -> None:
    """Put a failed delivery back in the queue; a row in flight is left alone."""
    with session_scope(engine) as session:
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == outbox_id, OutboxRow.status == "failed")
            .values(status="pending", next_attempt_at=utcnow())
            .execution_options(synchronize_session=False)
        )
