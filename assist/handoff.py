"""The handoff package a lead receives with an escalated ticket."""

from __future__ import annotations

from collections.abc import Sequence

from assist.domain import (
    AuthorRole,
    Draft,
    Escalation,
    HandoffPackage,
    Hit,
    MessageSentiment,
    TicketDetail,
)


def customer_summary(ticket: TicketDetail) -> str:
    c = ticket.customer
    parts = [
        f"{c.name} ({c.email})",
        f"{c.plan} plan",
        "VIP" if c.is_vip else "",
        f"account {c.account_status}",
        f"billing {c.billing_status.replace('_', ' ')}",
        f"{c.contact_count} tickets in total",
    ]
    earlier = [t for t in c.previous_tickets if t.category == ticket.category and ticket.category is not None]
    if earlier:
        parts.append(
            f'{len(earlier)} earlier {ticket.category} ticket(s), last: "{earlier[0].subject}" '
            f"({earlier[0].status.value})"
        )
    return "; ".join(p for p in parts if p)


def build_handoff(
    *,
    ticket: TicketDetail,
    sentiment_trend: Sequence[MessageSentiment],
    escalation: Escalation,
    draft: Draft | None,
    articles: Sequence[Hit],
) -> HandoffPackage:
    return HandoffPackage(
        ticket_id=ticket.id,
        subject=ticket.subject,
        customer_summary=customer_summary(ticket),
        sentiment_trend=tuple(sentiment_trend),
        conversation=tuple(m for m in ticket.messages if m.author_role is not AuthorRole.SYSTEM),
        draft=draft,
        articles=tuple(articles),
        reasons=escalation.reasons,
        priority=escalation.priority,
        queue=escalation.queue,
        suggested_action=escalation.suggested_action,
    )
