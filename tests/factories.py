"""Build customers, users and tickets with sensible defaults and keyword overrides."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from assist.domain import (
    AuthorRole,
    Category,
    Channel,
    CustomerProfile,
    EscalatedTo,
    Hit,
    Message,
    Owner,
    Passage,
    PreviousTicket,
    Queue,
    Role,
    Sentiment,
    SentimentLevel,
    Signal,
    TicketDetail,
    TicketStatus,
    User,
)
from assist.drafting import AnswerSelector, ArticleText, Question, Selection
from assist.drafting.thread import ThreadReading, read_thread
from assist.embeddings import Embedder
from assist.kb.parsers import parse_file
from assist.store.models import CustomerRow, TicketRow, UserRow
from assist.store.tickets import create_ticket

_seq = itertools.count(1)


def make_customer(session: Session, **overrides: Any) -> CustomerRow:
    n = next(_seq)
    fields: dict[str, Any] = {"name": f"Customer {n}", "email": f"customer{n}@example.com", "plan": "pro"}
    customer = CustomerRow(**(fields | overrides))
    session.add(customer)
    session.flush()
    return customer


def make_user(session: Session, **overrides: Any) -> UserRow:
    n = next(_seq)
    fields: dict[str, Any] = {"email": f"agent{n}@lumen.app", "name": f"Agent {n}", "role": "agent"}
    user = UserRow(**(fields | overrides))
    session.add(user)
    session.flush()
    return user


def make_ticket(
    session: Session,
    *,
    customer: CustomerRow | None = None,
    subject: str = "Cannot reset my password",
    body: str = "The reset email never arrives.",
    category: Category | None = Category.ACCOUNT,
    priority: int = 3,
    created_at: datetime | None = None,
    **overrides: Any,
) -> TicketRow:
    ticket = create_ticket(
        session,
        customer=customer or make_customer(session),
        subject=subject,
        body=body,
        actor="test",
        channel=Channel.EMAIL,
        category=category,
        priority=priority,
        created_at=created_at,
    )
    for key, value in overrides.items():
        setattr(ticket, key, value)
    session.flush()
    return ticket


def detail(
    *,
    body: str = "My refund never arrived.",
    subject: str = "Refund missing",
    name: str = "Dana Reyes",
    previous: int = 0,
    messages: list[tuple[str, str]] | None = None,
) -> TicketDetail:
    """A TicketDetail built in memory, for tests that need no database."""
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    thread = messages or [("customer", body)]
    return TicketDetail(
        id=42,
        external_id=None,
        subject=subject,
        status=TicketStatus.NEW,
        priority=3,
        category=Category.BILLING,
        channel=Channel.EMAIL,
        assignee_id=None,
        assignee_name=None,
        version=1,
        created_at=now,
        updated_at=now,
        first_response_at=None,
        messages=tuple(
            Message(
                id=i,
                author_role=AuthorRole(role),
                author_name=name if role == "customer" else "Agent",
                body=text,
                created_at=now + timedelta(minutes=i),
            )
            for i, (role, text) in enumerate(thread, start=1)
        ),
        customer=CustomerProfile(
            id=7,
            name=name,
            email="dana@acme.example",
            company="Acme",
            plan="pro",
            is_vip=False,
            account_status="active",
            billing_status="current",
            customer_since=now - timedelta(days=400),
            invoices=(),
            previous_tickets=tuple(
                PreviousTicket(
                    id=100 + i,
                    subject="Refund missing",
                    status=TicketStatus.RESOLVED,
                    category=Category.BILLING,
                    created_at=now - timedelta(days=20 + i),
                    csat_score=None,
                )
                for i in range(previous)
            ),
            contact_count=previous + 1,
        ),
    )


def hit(
    article_id: str = "refund-policy",
    *,
    title: str = "Refund policy",
    text: str = "Refunds take 5-10 days.",
    score: float = 0.6,
    category: str = "billing",
) -> Hit:
    return Hit(
        article_id=article_id,
        title=title,
        category=category,
        product="all",
        updated="2026-10-01",
        source=f"{article_id}.md",
        score=score,
        dense_score=score,
        bm25_score=5.0,
        dense_rank=1,
        bm25_rank=1,
        passages=(Passage(chunk_id=f"{article_id}:0", heading="", text=text, dense_score=score, bm25_score=5.0),),
    )


def make_actor(session: Session, role: str = "agent", **overrides: Any) -> User:
    """A stored user, returned as the domain `User` that core functions take as `actor`."""
    row = make_user(session, role=role, **overrides)
    return User(id=row.id, email=row.email, name=row.name, role=Role(role), active=True)


def sentiment(level: str = "neutral", signals: tuple[Signal, ...] = ()) -> Sentiment:
    """An assessment built in memory, for tests of what follows from it."""
    return Sentiment(
        level=SentimentLevel(level),
        score=0.0,
        probabilities={"negative": 0.2, "neutral": 0.6, "positive": 0.2},
        frustration=0.8 if level in ("angry", "urgent") else 0.1,
        signals=signals,
        evidence={},
        model="test",
    )


def reading(
    body: str = "My refund never arrived.",
    *,
    messages: list[tuple[str, str]] | None = None,
    owner: Owner = Owner.TEAM,
    waiting_in: Queue | None = None,
) -> ThreadReading:
    """The thread of a ticket built in memory, read as the pipeline reads it; `waiting_in`: the lead's queue an
    escalation put it in, not yet taken over (the owner is then `Owner.ESCALATED`)."""
    if waiting_in is not None:
        owner = Owner.ESCALATED
    escalation = EscalatedTo(queue=waiting_in, by_id=None, by_name=None) if waiting_in is not None else None
    ticket = detail(body=body, messages=messages).model_copy(update={"owner": owner, "escalation": escalation})
    return read_thread(ticket)


KB_DOCS = Path(__file__).parents[1] / "kb_docs"


def shipped_article(article_id: str) -> ArticleText:
    """One of the shipped articles in kb_docs, as answer selection reads it."""
    parsed = parse_file(f"{article_id}.md", (KB_DOCS / f"{article_id}.md").read_bytes())
    return ArticleText(parsed.article_id, parsed.title, parsed.text, url=f"https://help.example/{article_id}")


def selection_over(
    embedder: Embedder, question: str, *articles: tuple[str, float], agent_said: tuple[str, ...] = ()
) -> Selection:
    """Answer selection for a question over shipped articles, each retrieved with its (id, score); `agent_said`:
    the sentences the agent already wrote in the thread."""
    texts = {a: shipped_article(a) for a, _ in articles}
    vector = embedder.encode_one(question)
    hits = [hit(a, title=texts[a].title, score=score) for a, score in articles]
    return AnswerSelector(embedder).select(Question(question, vector, vector, agent_said=agent_said), hits, texts)
