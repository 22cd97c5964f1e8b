from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from assist.domain import TicketStatus as S
from assist.errors import ConcurrencyError, InvalidTransitionError, NotFoundError
from assist.lifecycle import change_status, time_in_status
from assist.store import session_scope
from assist.store.models import AuditEventRow, StatusChangeRow, TicketRow
from assist.store.status import TRANSITIONS, transition
from assist.users import OPERATOR
from tests.conftest import NOW
from tests.factories import make_ticket

VALID = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]  # sorted: the same ids in every process
INVALID = [(a, b) for a in S for b in S if b not in TRANSITIONS[a]]


def test_every_status_has_a_way_forward_and_resolved_only_reopens() -> None:
    assert all(TRANSITIONS[s] for s in S)
    assert TRANSITIONS[S.RESOLVED] == {S.REOPENED}
    assert all(s not in TRANSITIONS[s] for s in S)  # no self-transitions


def _ticket_in(engine: Engine, status: S) -> int:
    with session_scope(engine) as session:
        ticket = make_ticket(session, created_at=NOW)
        ticket.status = status.value
        return ticket.id


@pytest.mark.parametrize(("start", "end"), VALID)
def test_valid_transition_records_change_and_audit(sqlite_engine: Engine, start: S, end: S) -> None:
    ticket_id = _ticket_in(sqlite_engine, start)
    with session_scope(sqlite_engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        transition(session, ticket=ticket, to=end, actor="maya@lumen.app", reason="because", at=NOW)
    with session_scope(sqlite_engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        assert ticket.status == end.value
        assert (ticket.resolved_at is not None) == (end is S.RESOLVED)
        change = session.scalars(select(StatusChangeRow).order_by(StatusChangeRow.id.desc())).first()
        assert change is not None
        assert (change.from_status, change.to_status, change.actor, change.reason) == (
            start.value,
            end.value,
            "maya@lumen.app",
            "because",
        )
        event = session.scalars(select(AuditEventRow).where(AuditEventRow.action == "ticket.status")).one()
        assert event.detail == {"from": start.value, "to": end.value, "reason": "because"}
        assert event.actor == "maya@lumen.app"


@pytest.mark.parametrize(("start", "end"), INVALID)
def test_invalid_transition_is_refused_and_changes_nothing(sqlite_engine: Engine, start: S, end: S) -> None:
    ticket_id = _ticket_in(sqlite_engine, start)
    with session_scope(sqlite_engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        with pytest.raises(InvalidTransitionError, match=f"^Ticket #{ticket_id} is ") as refused:
            transition(session, ticket=ticket, to=end, actor="maya")
        # Words a person understands: no internal state names, no list of them.
        assert not any(s.value in str(refused.value) for s in S if "_" in s.value or s is S.PROCESSING)
        assert "Allowed next" not in str(refused.value)
    with session_scope(sqlite_engine) as session:
        assert session.get_one(TicketRow, ticket_id).status == start.value
        assert session.scalars(select(AuditEventRow).where(AuditEventRow.action == "ticket.status")).all() == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (S.ESCALATED, S.ESCALATED, "Ticket #{} is already escalated."),
        (S.AWAITING_CUSTOMER, S.AWAITING_CUSTOMER, "Ticket #{} is already waiting for the customer."),
        (S.RESOLVED, S.ESCALATED, "Ticket #{} is resolved. Reopen it first."),
        (S.PROCESSING, S.REOPENED, "Ticket #{} is being worked on, not resolved, so there is nothing to reopen."),
    ],
)
def test_a_refused_move_says_where_the_ticket_stands_in_plain_words(
    sqlite_engine: Engine, start: S, end: S, message: str
) -> None:
    """Defect (issue 34): "Ticket #324 is escalated and cannot move to escalated. Allowed next:
    awaiting_customer, processing, resolved." showed the internal state names."""
    ticket_id = _ticket_in(sqlite_engine, start)
    with session_scope(sqlite_engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        with pytest.raises(InvalidTransitionError) as refused:
            transition(session, ticket=ticket, to=end, actor="maya")
    assert str(refused.value) == message.format(ticket_id)


def test_change_status_bumps_version_and_refuses_a_stale_version(engine: Engine) -> None:
    ticket_id = _ticket_in(engine, S.NEW)
    with session_scope(engine) as session:
        loaded = session.get_one(TicketRow, ticket_id).version
    version = change_status(engine, ticket_id=ticket_id, to=S.PROCESSING, actor=OPERATOR, expected_version=loaded)
    assert version == loaded + 1
    with pytest.raises(ConcurrencyError, match="reload"):
        change_status(engine, ticket_id=ticket_id, to=S.RESOLVED, actor=OPERATOR, expected_version=loaded)
    with session_scope(engine) as session:
        assert session.get_one(TicketRow, ticket_id).status == "processing"


def test_change_status_of_missing_ticket(engine: Engine) -> None:
    with pytest.raises(NotFoundError):
        change_status(engine, ticket_id=12345, to=S.PROCESSING, actor=OPERATOR, expected_version=1)


def test_time_in_status_sums_each_stay(engine: Engine) -> None:
    with session_scope(engine) as session:
        ticket = make_ticket(session, created_at=NOW)
        for hours, status in [(1, S.PROCESSING), (3, S.AWAITING_CUSTOMER), (10, S.PROCESSING), (11, S.RESOLVED)]:
            transition(session, ticket=ticket, to=status, actor="a", at=NOW + timedelta(hours=hours))
        ticket_id = ticket.id
    with session_scope(engine) as session:
        spent = time_in_status(session, ticket_id=ticket_id, now=NOW + timedelta(hours=15))
    assert spent == {
        S.NEW: timedelta(hours=1),
        S.PROCESSING: timedelta(hours=3),  # 1→3 and 10→11
        S.AWAITING_CUSTOMER: timedelta(hours=7),
        S.RESOLVED: timedelta(hours=4),
    }
