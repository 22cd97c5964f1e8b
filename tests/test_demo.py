from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from assist.demo import seed_demo
from assist.store import make_engine, session_scope, upgrade
from assist.store.models import CsatRow, CustomerRow, EscalationRow, MessageRow, ReplyRow, TicketRow
from tests.conftest import NOW


def _fingerprint(engine: Engine) -> str:
    with session_scope(engine) as session:
        rows = session.execute(
            select(TicketRow.subject, TicketRow.status, TicketRow.priority, TicketRow.created_at, MessageRow.body)
            .join(MessageRow)
            .order_by(TicketRow.id, MessageRow.id)
        ).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_same_seed_and_clock_give_the_same_workspace(tmp_path: Path) -> None:
    prints = []
    for name in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        upgrade(engine)
        seed_demo(engine, now=NOW)
        prints.append(_fingerprint(engine))
    assert prints[0] == prints[1]


def test_seeding_twice_keeps_the_same_counts(engine: Engine) -> None:
    first = seed_demo(engine, now=NOW)
    second = seed_demo(engine, now=NOW)
    assert first.created and not second.created
    assert (first.tickets, first.customers, first.users) == (second.tickets, second.customers, second.users)
    assert first.tickets >= 300 and first.customers >= 60


@pytest.fixture
def demo(demo_workspace: Engine) -> Engine:
    return demo_workspace


def test_demo_has_a_realistic_mix_of_statuses_and_customers(demo: Engine) -> None:
    with session_scope(demo) as session:
        statuses = Counter(session.scalars(select(TicketRow.status)).all())
        assert all(statuses[s] >= 5 for s in ("new", "awaiting_customer", "escalated", "resolved"))
        assert session.scalar(select(func.count()).where(CustomerRow.is_vip)) >= 5
        returning = session.scalar(
            select(func.count()).select_from(
                select(TicketRow.customer_id).group_by(TicketRow.customer_id).having(func.count() > 1).subquery()
            )
        )
        assert returning >= 30
        assert session.scalar(select(func.count()).select_from(ReplyRow)) >= 100
        assert session.scalar(select(func.count()).select_from(CsatRow)) >= 50
        assert session.scalar(select(func.count()).select_from(EscalationRow)) >= 5
        times = session.scalars(select(TicketRow.created_at)).all()
        assert (NOW - min(times)).days <= 90 and max(times) <= NOW


def test_demo_threads_cover_every_mood_of_customer(demo: Engine) -> None:
    with session_scope(demo) as session:
        bodies = " ".join(session.scalars(select(MessageRow.body).where(MessageRow.author_role == "customer")).all())
    for phrase in ("lawyer", "third time", "manager", "alternatives", "URGENT", "unacceptable", "I'm a bit lost"):
        assert phrase.lower() in bodies.lower(), phrase


def test_walkthrough_tickets_are_newest_and_new(demo: Engine) -> None:
    with session_scope(demo) as session:
        newest = session.scalars(select(TicketRow).order_by(TicketRow.created_at.desc()).limit(4)).all()
        assert {t.status for t in newest} == {"new"}
        repeat = next(t for t in newest if "third time" in t.messages[0].body)
        earlier = session.scalars(
            select(TicketRow.status).where(TicketRow.customer_id == repeat.customer_id, TicketRow.id != repeat.id)
        ).all()
        assert earlier == ["resolved", "resolved"]
        assert any("lawyer" in t.messages[0].body for t in newest)


@pytest.mark.parametrize("clock", ["08:10", "23:59", "00:05"])
def test_no_demo_time_is_in_the_future_and_every_timeline_is_in_order(sqlite_engine: Engine, clock: str) -> None:
    """Defect: "now" was fixed at 09:00, so seeding at 08:10 made tickets, replies and ratings in the future."""
    from datetime import datetime

    from assist.store.models import AuditEventRow, StatusChangeRow

    hour, minute = (int(x) for x in clock.split(":"))
    now = NOW.replace(hour=hour, minute=minute)
    seed_demo(sqlite_engine, now=now)
    with session_scope(sqlite_engine) as session:
        for model, column in (
            (TicketRow, TicketRow.created_at),
            (TicketRow, TicketRow.updated_at),
            (MessageRow, MessageRow.created_at),
            (StatusChangeRow, StatusChangeRow.changed_at),
            (CsatRow, CsatRow.responded_at),
            (EscalationRow, EscalationRow.created_at),
            (ReplyRow, ReplyRow.sent_at),
            (AuditEventRow, AuditEventRow.created_at),
        ):
            latest: datetime | None = session.scalar(select(func.max(column)))
            assert latest is not None and latest <= now, (model.__tablename__, latest, now)
        for ticket in session.scalars(select(TicketRow)):
            times = [m.created_at for m in ticket.messages]
            assert times == sorted(times) and times[0] == ticket.created_at
            if ticket.first_response_at is not None:
                assert ticket.created_at <= ticket.first_response_at
            if ticket.resolved_at is not None:
                assert (ticket.first_response_at or ticket.created_at) <= ticket.resolved_at
        for ticket_id, at in session.execute(select(CsatRow.ticket_id, CsatRow.responded_at)):
            assert session.get_one(TicketRow, ticket_id).created_at <= at


def test_seeded_escalations_carry_a_handoff_package_the_queue_can_show(demo: Engine) -> None:
    """Defect: the seeder stored another shape ({"summary", "article"}), so the queue showed no package."""
    from assist.queue import list_escalations

    items = list_escalations(demo)
    assert len(items) >= 5
    for item in items:
        assert item.package is not None and item.package_error is None
        assert item.package.ticket_id == item.ticket_id and item.package.reasons == item.reasons
        assert item.package.conversation  # the thread the lead reads


def test_the_queue_owner_is_the_ticket_assignee(demo: Engine) -> None:
    """Defect: the queue's Owner column said "—" for tickets the inbox showed as assigned."""
    from assist.queue import list_escalations

    with session_scope(demo) as session:
        for item in list_escalations(demo):
            ticket = session.get_one(TicketRow, item.ticket_id)
            assert item.owner_id == ticket.assignee_id is not None
            assert item.owner_name == ticket.assignee.name  # type: ignore[union-attr]


def test_demo_history_is_spread_over_the_whole_window(demo: Engine) -> None:
    """Defect: the charts piled up in the last days; most demo tickets should be history, not this week."""
    from datetime import timedelta

    with session_scope(demo) as session:
        times = session.scalars(select(TicketRow.created_at)).all()
    recent = sum(1 for t in times if NOW - t < timedelta(days=5))
    assert recent / len(times) < 0.25
    weeks = Counter((NOW - t).days // 7 for t in times)
    assert len(weeks) >= 12 and min(weeks[w] for w in range(12)) >= 10


def test_the_demo_workspace_holds_no_card_number_as_typed(demo: Engine) -> None:
    """The demo is written straight to the store (not through `admit`): its texts must need no masking."""
    from assist.masking import mask

    with session_scope(demo) as session:
        texts = [*session.scalars(select(MessageRow.body)), *session.scalars(select(TicketRow.subject))]
    assert texts and all(not mask(text).counts for text in texts)
