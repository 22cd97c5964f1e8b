"""Claiming a ticket: it becomes the agent's; taking it from a colleague needs a confirmation."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from assist.errors import ConcurrencyError, OwnershipError
from assist.ownership import claim
from assist.store import session_scope
from assist.store.models import AuditEventRow, TicketRow
from tests.factories import make_actor, make_ticket


def test_claiming_an_unassigned_ticket_makes_it_mine_and_is_audited(engine: Engine) -> None:
    with session_scope(engine) as session:
        agent = make_actor(session)
        ticket = make_ticket(session)
        ticket_id, version = ticket.id, ticket.version
    new_version = claim(engine, ticket_id=ticket_id, expected_version=version, actor=agent)
    with session_scope(engine) as session:
        row = session.get_one(TicketRow, ticket_id)
        assert row.assignee_id == agent.id and row.version == new_version > version
        assert (
            session.scalars(select(AuditEventRow.action).where(AuditEventRow.entity_id == str(ticket_id))).all()[-1]
            == "ticket.claim"
        )


def test_taking_a_colleagues_ticket_asks_first_then_works_when_confirmed(engine: Engine) -> None:
    with session_scope(engine) as session:
        agent, colleague = make_actor(session), make_actor(session, name="Jordan Baker")
        ticket = make_ticket(session, assignee_id=colleague.id)
        ticket_id, version = ticket.id, ticket.version
    with pytest.raises(OwnershipError, match="owned by Jordan Baker") as asked:
        claim(engine, ticket_id=ticket_id, expected_version=version, actor=agent)
    claim(engine, ticket_id=ticket_id, expected_version=version, actor=agent, confirm_owner=asked.value.owner_id)
    with session_scope(engine) as session:
        assert session.get_one(TicketRow, ticket_id).assignee_id == agent.id


def test_claiming_a_ticket_that_changed_since_it_was_seen_says_reload(engine: Engine) -> None:
    with session_scope(engine) as session:
        first, second = make_actor(session), make_actor(session)
        ticket = make_ticket(session)
        ticket_id, version = ticket.id, ticket.version
    claim(engine, ticket_id=ticket_id, expected_version=version, actor=first)
    with pytest.raises(ConcurrencyError):
        claim(engine, ticket_id=ticket_id, expected_version=version, actor=second)
