"""Agent actions: send (exactly once), notes, escalation into the lead queue, and the queue's actions."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, select

from assist.config import Settings
from assist.domain import Queue, TicketStatus, User
from assist.errors import ConcurrencyError, InvalidTransitionError, ValidationError
from assist.pipeline import Assistant
from assist.queue import list_escalations, reassign, resolve, return_to_tier1, take_over
from assist.store import session_scope
from assist.store.models import AuditEventRow, MessageRow, OutboxRow, ReplyRow, TicketRow
from assist.workspace import add_note, escalate, open_workspace, send_reply
from tests.factories import make_actor, make_ticket

SETTINGS = Settings(smtp_host=None, webhook_url=None, max_message_chars=2000)


def _user(engine: Engine, role: str = "agent") -> User:
    with session_scope(engine) as session:
        return make_actor(session, role)


def _ticket(engine: Engine, **kwargs: object) -> tuple[int, int]:
    with session_scope(engine) as session:
        ticket = make_ticket(session, **kwargs)  # type: ignore[arg-type]
        return ticket.id, ticket.version


def test_send_stores_reply_with_draft_edit_distance_and_moves_the_ticket(engine: Engine) -> None:
    agent = _user(engine)
    ticket_id, version = _ticket(engine)
    with session_scope(engine) as session:
        from assist.store.models import DraftRow

        draft = DraftRow(
            ticket_id=ticket_id,
            ticket_version=version,
            text="Hi, try this.",
            confidence=0.8,
            sources=["password-reset"],
            model="offline-grounded",
            mode="offline",
        )
        session.add(draft)
        session.flush()
        draft_id = draft.id
    sent = send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=version,
        text="Hi, try this please.",
        draft_id=draft_id,
        actor=agent,
        resolve=False,
        settings=SETTINGS,
    )
    assert sent.status is TicketStatus.AWAITING_CUSTOMER
    assert (sent.edit_distance, sent.sent_as_drafted, sent.delivery_status) == (7, False, "recorded")
    with session_scope(engine) as session:
        reply = session.scalars(select(ReplyRow)).one()
        assert (reply.draft_id, reply.draft_text, reply.sent_text) == (
            draft_id,
            "Hi, try this.",
            "Hi, try this please.",
        )
        ticket = session.get_one(TicketRow, ticket_id)
        assert ticket.first_response_at is not None and ticket.assignee_id == agent.id
        assert session.scalars(select(OutboxRow.status)).one() == "recorded"
        assert "reply.send" in session.scalars(select(AuditEventRow.action)).all()


def test_send_as_drafted_and_resolve(engine: Engine) -> None:
    agent = _user(engine)
    ticket_id, version = _ticket(engine)
    sent = send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=version,
        text="Done.",
        draft_id=None,
        actor=agent,
        resolve=True,
        settings=SETTINGS,
    )
    assert sent.status is TicketStatus.RESOLVED and sent.edit_distance is None  # written by hand
    with pytest.raises(InvalidTransitionError, match="Reopen it"):
        send_reply(
            engine,
            ticket_id=ticket_id,
            expected_version=sent.ticket_version,
            text="More.",
            draft_id=None,
            actor=agent,
            resolve=False,
            settings=SETTINGS,
        )


@pytest.mark.parametrize(("text", "message"), [("   ", "empty"), ("x" * 2001, "limit is 2,000")])
def test_invalid_replies_are_refused_and_nothing_is_stored(engine: Engine, text: str, message: str) -> None:
    agent = _user(engine)
    ticket_id, version = _ticket(engine)
    with pytest.raises(ValidationError, match=message):
        send_reply(
            engine,
            ticket_id=ticket_id,
            expected_version=version,
            text=text,
            draft_id=None,
            actor=agent,
            resolve=False,
            settings=SETTINGS,
        )
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ReplyRow)) == 0


def test_a_second_send_on_the_same_version_is_refused(engine: Engine) -> None:
    agent = _user(engine)
    ticket_id, version = _ticket(engine)
    send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=version,
        text="First.",
        draft_id=None,
        actor=agent,
        resolve=False,
        settings=SETTINGS,
    )
    with pytest.raises(ConcurrencyError, match="changed since you opened it"):
        send_reply(
            engine,
            ticket_id=ticket_id,
            expected_version=version,
            text="Second.",
            draft_id=None,
            actor=agent,
            resolve=False,
            settings=SETTINGS,
        )


def test_two_agents_sending_at_once_on_postgres_exactly_one_wins(postgres_engine: Engine) -> None:
    agents = [_user(postgres_engine), _user(postgres_engine)]
    ticket_id, version = _ticket(postgres_engine)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send(agent: User) -> None:
        barrier.wait()
        try:
            send_reply(
                postgres_engine,
                ticket_id=ticket_id,
                expected_version=version,
                text=f"From {agent.name}",
                draft_id=None,
                actor=agent,
                resolve=False,
                settings=SETTINGS,
            )
            outcomes.append("sent")
        except ConcurrencyError:
            outcomes.append("refused")

    threads = [threading.Thread(target=send, args=(a,)) for a in agents]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["refused", "sent"]
    with session_scope(postgres_engine) as session:
        agent_messages = session.scalar(select(func.count()).where(MessageRow.author_role == "agent"))
        assert agent_messages == 1
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 1


def test_notes_are_internal_and_do_not_touch_delivery(engine: Engine) -> None:
    agent = _user(engine)
    ticket_id, _ = _ticket(engine)
    add_note(engine, ticket_id=ticket_id, text="<b>customer</b> called", actor=agent, settings=SETTINGS)
    with session_scope(engine) as session:
        note = session.scalars(select(MessageRow).where(MessageRow.author_role == "note")).one()
        assert note.body == "<b>customer</b> called" and note.author_user_id == agent.id
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 0


@pytest.mark.model
def test_escalation_lands_in_the_queue_with_its_package_and_the_lead_can_act(assistant: Assistant) -> None:
    engine = assistant.engine
    agent, lead = _user(engine), _user(engine, "lead")
    ticket_id, _ = _ticket(engine, subject="Charged twice", body="You charged me twice. I will call my lawyer.")
    ws = open_workspace(assistant, ticket_id=ticket_id)
    assert ws.fresh and ws.assistance.escalation.queue is Queue.MANAGER
    escalation_id = escalate(
        assistant,
        assistance=ws.assistance,
        expected_version=ws.ticket.version,
        actor=agent,
        note="Customer mentions a lawyer",
    )
    (item,) = list_escalations(engine)
    assert (item.id, item.ticket_id, item.queue) == (escalation_id, ticket_id, Queue.MANAGER)
    assert item.package is not None and item.package.reasons[-1] == "Agent's note: Customer mentions a lawyer"
    assert item.package.sentiment_trend and item.package.draft is not None
    assert list_escalations(engine, queue=Queue.TIER1) == []
    assert [i.id for i in list_escalations(engine, reason="legal")] == [escalation_id]
    with session_scope(engine) as session:
        assert session.get_one(TicketRow, ticket_id).status == "escalated"

    assert take_over(engine, escalation_id=escalation_id, actor=lead) == ticket_id
    assert list_escalations(engine)[0].owner_name == lead.name
    with pytest.raises(ValidationError, match="Write a note"):
        return_to_tier1(engine, escalation_id=escalation_id, note=" ", actor=lead)
    reassign(engine, escalation_id=escalation_id, to_user_id=agent.id, actor=lead)
    return_to_tier1(engine, escalation_id=escalation_id, note="Offer the refund per policy.", actor=lead)
    assert list_escalations(engine) == []
    with session_scope(engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        assert (ticket.status, ticket.assignee_id) == ("processing", agent.id)


@pytest.mark.model
def test_lead_resolves_and_a_closed_escalation_cannot_be_acted_on_twice(assistant: Assistant) -> None:
    engine = assistant.engine
    agent, lead = _user(engine), _user(engine, "lead")
    ticket_id, _ = _ticket(engine, body="I want a manager now.")
    ws = open_workspace(assistant, ticket_id=ticket_id)
    escalation_id = escalate(assistant, assistance=ws.assistance, expected_version=ws.ticket.version, actor=agent)
    resolve(engine, escalation_id=escalation_id, actor=lead)
    with pytest.raises(ValidationError, match="already resolved"):
        resolve(engine, escalation_id=escalation_id, actor=lead)


@pytest.mark.model
def test_assistance_is_reused_for_the_same_version_and_refreshed_after_a_change(assistant: Assistant) -> None:
    agent = _user(assistant.engine)
    ticket_id, _ = _ticket(assistant.engine, body="How long do card refunds take?")
    first = open_workspace(assistant, ticket_id=ticket_id)
    again = open_workspace(assistant, ticket_id=ticket_id)
    assert first.fresh and not again.fresh and again.assistance == first.assistance
    send_reply(
        assistant.engine,
        ticket_id=ticket_id,
        expected_version=first.ticket.version,
        text="Hello",
        draft_id=first.assistance.draft_id,
        actor=agent,
        resolve=False,
        settings=SETTINGS,
    )
    after = open_workspace(assistant, ticket_id=ticket_id)
    assert after.fresh and after.assistance.ticket_version == after.ticket.version != first.ticket.version
