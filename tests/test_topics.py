"""Earlier tickets count as history when they are about the same issue (by meaning, whatever their intent label),
and not when they are only about the same feature."""

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


def _history(engine: Engine, embedder: Embedder, *, subject: str, body: str) -> tuple[int, int]:
    """Diego's earlier tickets (missing webhooks a month ago, an invoice name), then today's ticket: the earlier
    contacts about the same issue (by intent label alone, by meaning)."""
    with session_scope(engine) as session:
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
            session, customer=diego, subject=subject, body=body, category=Category.TECHNICAL, created_at=NOW
        )
        ticket = ticket_detail(session, ticket_id=now.id)
        match = TopicMatch(
            ticket_id=ticket.id, vector=embedder.encode_one(ticket_topic_text(ticket)), embed=embedder.encode
        )
        by_intent = contact_history(session, ticket=ticket, category=Category.TECHNICAL, intent="other", now=NOW)
        by_meaning = contact_history(
            session, ticket=ticket, category=Category.TECHNICAL, intent="other", topic=match, now=NOW
        )
        match.remember(session)
    with session_scope(engine) as session:  # vectors are stored once and reused
        assert len(session.scalars(select(TicketTopicRow.ticket_id)).all()) == 3
    return by_intent.earlier_contacts_same_issue, by_meaning.earlier_contacts_same_issue


def test_the_same_issue_asked_again_in_other_words_counts_though_its_intent_label_differs(
    sqlite_engine: Engine, embedder: Embedder
) -> None:
    """Defect (README walkthrough 3, first version): the trained triage gave the two tickets different intents,
    so a repeat contact did not count."""
    counts = _history(
        sqlite_engine,
        embedder,
        subject="Webhooks not arriving again",
        body="Hi, we are again not receiving any webhooks for paid invoices since yesterday. Regards, Diego",
    )
    assert counts == (0, 1)  # the webhook ticket, not the invoice one


def test_another_question_on_the_same_feature_is_not_the_same_issue(sqlite_engine: Engine, embedder: Embedder) -> None:
    """Defect (issue 32, #327 #265 #313): a first question about webhook signatures was greeted with "you've
    contacted us about this before" because last month's ticket was also about webhooks."""
    counts = _history(
        sqlite_engine,
        embedder,
        subject="Webhook signature doesn't match",
        body="How exactly is the webhook signature computed? Our verification fails every time.",
    )
    assert counts == (0, 0)
