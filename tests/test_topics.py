"""Earlier tickets count as history when they are about the same thing, even under another intent label."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from assist.domain import Category
from assist.embeddings import Embedder
from assist.history import contact_history
from assist.store import session_scope
from assist.store.models import TicketTopicRow
from assist.store.tickets import ticket_detail
from assist.topics import TopicMatch, ticket_topic_text
from tests.conftest import NOW
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.model


def test_an_earlier_ticket_on_the_same_topic_counts_though_its_intent_label_differs(
    sqlite_engine: Engine, embedder: Embedder
) -> None:
    """Defect (README walkthrough 3): Diego's earlier webhook ticket did not count, because the trained
    triage gave the two tickets different intents."""
    with session_scope(sqlite_engine) as session:
        diego = make_customer(session)
        make_ticket(
            session,
            customer=diego,
            subject="Webhooks stopped arriving",
            body="We haven't received any invoice.paid webhooks since Tuesday.",
            category=Category.TECHNICAL,
            intent="webhooks-missing",
            created_at=NOW - timedelta(days=30),
        )
        make_ticket(
            session,
            customer=diego,
            subject="Invoice company name wrong",
            body="The company name on last month's invoice is our old name. Can you reissue it?",
            category=Category.BILLING,
            intent="invoice-details",
            created_at=NOW - timedelta(days=20),
        )
        now = make_ticket(
            session,
            customer=diego,
            subject="Webhook signature doesn't match",
            body="How exactly is the webhook signature computed? Our verification fails every time.",
            category=Category.TECHNICAL,
            created_at=NOW,
        )
        ticket = ticket_detail(session, ticket_id=now.id)
        match = TopicMatch(
            ticket_id=ticket.id, vector=embedder.encode_one(ticket_topic_text(ticket)), embed=embedder.encode
        )
        by_intent = contact_history(
            session, ticket=ticket, category=Category.TECHNICAL, intent="webhook-signature", now=NOW
        )
        by_meaning = contact_history(
            session, ticket=ticket, category=Category.TECHNICAL, intent="webhook-signature", topic=match, now=NOW
        )
        match.remember(session)
    assert by_intent.earlier_contacts_same_issue == 0
    assert by_meaning.earlier_contacts_same_issue == 1  # the webhook ticket, not the invoice one
    with session_scope(sqlite_engine) as session:  # vectors are stored once and reused
        assert len(session.scalars(select(TicketTopicRow.ticket_id)).all()) == 3
