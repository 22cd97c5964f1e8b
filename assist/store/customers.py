"""Customer repository: create customers and build the profile an agent sees beside a ticket."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assist.domain import Category, CustomerProfile, Invoice, PreviousTicket, TicketStatus
from assist.store.models import CsatRow, CustomerRow, EscalationRow, InvoiceRow, TicketRow

MAX_PREVIOUS_TICKETS = 20
MAX_INVOICES = 6


def customer_profile(
    session: Session, *, customer: CustomerRow, exclude_ticket_id: int | None = None
) -> CustomerProfile:
    """Plan, status, recent invoices and earlier tickets (newest first) with their CSAT."""
    latest_csat = (
        select(CsatRow.score)
        .where(CsatRow.ticket_id == TicketRow.id)
        .order_by(CsatRow.responded_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    previous_stmt = (
        select(TicketRow, latest_csat)
        .where(TicketRow.customer_id == customer.id)
        .order_by(TicketRow.created_at.desc())
        .limit(MAX_PREVIOUS_TICKETS)
    )
    if exclude_ticket_id is not None:
        previous_stmt = previous_stmt.where(TicketRow.id != exclude_ticket_id)
    previous = tuple(
        PreviousTicket(
            id=t.id,
            subject=t.subject,
            status=TicketStatus(t.status),
            category=Category(t.category) if t.category else None,
            created_at=t.created_at,
            csat_score=score,
        )
        for t, score in session.execute(previous_stmt)
    )
    contact_count = session.scalar(select(func.count()).where(TicketRow.customer_id == customer.id)) or 0
    invoices = session.scalars(
        select(InvoiceRow)
        .where(InvoiceRow.customer_id == customer.id)
        .order_by(InvoiceRow.issued_at.desc())
        .limit(MAX_INVOICES)
    ).all()
    return CustomerProfile(
        id=customer.id,
        name=customer.name,
        email=customer.email,
        company=customer.company,
        plan=customer.plan,
        is_vip=customer.is_vip,
        account_status=customer.account_status,
        billing_status=customer.billing_status,
        customer_since=customer.created_at,
        invoices=tuple(Invoice.model_validate(i) for i in invoices),
        previous_tickets=previous,
        contact_count=contact_count,
    )


def earlier_tickets(
    session: Session, *, customer_id: int, ticket_id: int, since: datetime, before: datetime
) -> list[tuple[int, str | None, str | None]]:
    """(id, intent, category) of the customer's other tickets opened in [since, before)."""
    rows = session.execute(
        select(TicketRow.id, TicketRow.intent, TicketRow.category).where(
            TicketRow.customer_id == customer_id,
            TicketRow.id != ticket_id,
            TicketRow.created_at < before,
            TicketRow.created_at >= since,
        )
    )
    return [(ticket_id, intent, category) for ticket_id, intent, category in rows]


def escalated_before(session: Session, *, customer_id: int, ticket_id: int) -> bool:
    """Any of the customer's other tickets was ever escalated."""
    count = session.scalar(
        select(func.count())
        .select_from(EscalationRow)
        .join(TicketRow, TicketRow.id == EscalationRow.ticket_id)
        .where(TicketRow.customer_id == customer_id, TicketRow.id != ticket_id)
    )
    return bool(count)
