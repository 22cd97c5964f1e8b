from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from assist.config import Settings
from assist.domain import (
    AuthorRole,
    Category,
    ContactHistory,
    Draft,
    DraftMode,
    MessageSentiment,
    SentimentLevel,
    Signal,
)
from assist.drafting.policy import Confidence
from assist.escalation import evaluate
from assist.handoff import build_handoff
from assist.store import session_scope
from assist.store.models import TicketRow
from assist.store.tickets import add_message, ticket_detail
from tests.conftest import NOW
from tests.factories import make_customer, make_ticket
from tests.test_escalation import _sentiment


def test_handoff_package_carries_everything_a_lead_needs(sqlite_engine: Engine) -> None:
    with session_scope(sqlite_engine) as session:
        customer = make_customer(session, name="Dana Reyes", plan="enterprise", is_vip=True)
        make_ticket(
            session,
            customer=customer,
            subject="Refund missing",
            category=Category.BILLING,
            created_at=NOW - timedelta(days=20),
            status="resolved",
        )
        ticket = make_ticket(
            session,
            customer=customer,
            subject="Refund still missing",
            category=Category.BILLING,
            body="Third time asking. I'll talk to my lawyer.",
            created_at=NOW,
        )
        add_message(session, ticket=ticket, role=AuthorRole.SYSTEM, body="auto-ack", actor="system")
        detail = ticket_detail(session, ticket_id=ticket.id)
    sentiment = _sentiment(SentimentLevel.ANGRY, 0.9, (Signal.LEGAL_THREAT,))
    escalation = evaluate(
        sentiment=sentiment,
        history=ContactHistory(earlier_contacts_same_issue=1),
        priority=9,
        confidence=Confidence(raw=0.7, calibrated=0.7, abstain_below=0.4, escalate_below=0.45),
        settings=Settings(),
    )
    draft = Draft(
        text="Hi Dana, ...",
        confidence=0.7,
        sources=("refund-policy",),
        mode=DraftMode.OFFLINE,
        model="offline-grounded",
    )
    trend = [MessageSentiment(message_id=detail.messages[0].id, created_at=NOW, level=SentimentLevel.ANGRY, score=-0.8)]
    package = build_handoff(ticket=detail, sentiment_trend=trend, escalation=escalation, draft=draft, articles=[])
    assert package.customer_summary.startswith("Dana Reyes")
    assert "enterprise plan; VIP" in package.customer_summary
    assert '1 earlier billing ticket(s), last: "Refund missing" (resolved)' in package.customer_summary
    assert [m.author_role for m in package.conversation] == [AuthorRole.CUSTOMER]  # system noise dropped
    assert package.reasons[0] == "Legal threat" and package.queue.value == "manager"
    assert package.suggested_action.startswith("Review with legal")
    assert package.draft == draft and package.sentiment_trend == tuple(trend)
    assert package.model_dump_json()  # storable as JSON in the escalations table
    with session_scope(sqlite_engine) as session:
        assert session.get_one(TicketRow, detail.id).status == "new"  # building a package changes nothing


def test_the_handoff_says_how_the_thread_developed(sqlite_engine: Engine) -> None:
    from assist.handoff import trajectory

    with session_scope(sqlite_engine) as session:
        ticket = make_ticket(session, subject="Export broken", body="Hi, the export fails.", created_at=NOW)
        add_message(session, ticket=ticket, role=AuthorRole.AGENT, body="Looking into it.", actor="maya")
        add_message(session, ticket=ticket, role=AuthorRole.CUSTOMER, body="Any news?", actor="customer")
        add_message(session, ticket=ticket, role=AuthorRole.CUSTOMER, body="This is useless.", actor="customer")
        detail = ticket_detail(session, ticket_id=ticket.id)
    replied = next(m.created_at for m in detail.messages if m.author_role is AuthorRole.AGENT)
    customer = [m for m in detail.messages if m.author_role is AuthorRole.CUSTOMER]
    levels = [(SentimentLevel.NEUTRAL, 0.0), (SentimentLevel.NEUTRAL, -0.2), (SentimentLevel.ANGRY, -0.9)]
    trend = [
        MessageSentiment(message_id=m.id, created_at=m.created_at, level=level, score=score)
        for m, (level, score) in zip(customer, levels, strict=True)
    ]
    text = trajectory(detail, trend, now=replied + timedelta(hours=30))
    assert text == (
        "Tone getting worse over 3 messages (neutral → neutral → angry); 2 customer messages since our last reply; "
        "our last reply 30 h ago"
    )
    first = trajectory(detail.model_copy(update={"messages": detail.messages[:1]}), trend[:1], now=NOW)
    assert first == "One customer message (neutral); no reply from us yet"
