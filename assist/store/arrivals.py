"""What intake reads and writes to take in an arrival exactly once: the ticket an external id or a message
key already names, and the customer an address belongs to."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist.store.models import CustomerRow, MessageRow, TicketRow


def ticket_with_external_id(session: Session, external_id: str) -> TicketRow | None:
    return session.scalar(select(TicketRow).where(TicketRow.external_id == external_id))


def ticket_by_id(session: Session, ticket_id: int) -> TicketRow:
    return session.get_one(TicketRow, ticket_id)


def ticket_of_customer_message(session: Session, *, email: str, keys: Sequence[str]) -> int | None:
    """The ticket on which this customer's message with one of these keys is stored, if any."""
    found = session.scalar(
        select(MessageRow.ticket_id)
        .join(TicketRow, TicketRow.id == MessageRow.ticket_id)
        .join(CustomerRow, CustomerRow.id == TicketRow.customer_id)
        .where(CustomerRow.email == email, MessageRow.external_id.in_(keys))
        .limit(1)
    )
    return int(found) if found is not None else None


def message_on_ticket(session: Session, *, ticket_id: int, keys: Sequence[str]) -> bool:
    """A message with one of these keys is on the ticket already."""
    found = session.scalar(
        select(MessageRow.id).where(MessageRow.ticket_id == ticket_id, MessageRow.external_id.in_(keys))
    )
    return found is not None


def customer_for(session: Session, *, email: str, name: str) -> CustomerRow:
    """The customer with this (normalised) address; a new one named `name` when there is none."""
    customer = session.scalar(select(CustomerRow).where(CustomerRow.email == email))
    if customer is None:
        customer = CustomerRow(name=name, email=email)
        session.add(customer)
        session.flush()
    return customer
