"""Build customers, users and tickets with sensible defaults and keyword overrides."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assist.domain import Category, Channel
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
