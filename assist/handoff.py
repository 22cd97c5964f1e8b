"""The handoff package a lead receives with an escalated ticket."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from assist.domain import (
    AuthorRole,
    Draft,
    Escalation,
    HandoffPackage,
    Hit,
    MessageSentiment,
    TicketDetail,
)
from assist.drafting.thread import read_thread
from assist.history import unanswered_messages
from assist.times import utcnow


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


def trajectory(ticket: TicketDetail, trend: Sequence[MessageSentiment], *, now: datetime | None = None) -> str:
    """How the thread developed, for a lead taking it over: the tone over the customer's messages, whether
    they are chasing, what they already tried, what we promised, a deadline they stated, and how long since the
    team last wrote."""
    parts = []
    if len(trend) >= 2:
        first, last = trend[0].score, trend[-1].score
        direction = "getting worse" if last <= first - 0.3 else "improving" if last >= first + 0.3 else "steady"
        parts.append(f"Tone {direction} over {len(trend)} messages ({' → '.join(m.level.value for m in trend)})")
    elif trend:
        parts.append(f"One customer message ({trend[0].level.value})")
    waiting = unanswered_messages(ticket)
    if waiting >= 2:
        parts.append(f"{waiting} customer messages since our last reply")
    thread = read_thread(ticket)
    if thread.tried:
        parts.append(f"already tried: {_clip(thread.tried[-1])}")
    if thread.promised:
        parts.append(f"we promised: {_clip(thread.promised[-1])}")
    if thread.deadline is not None:
        parts.append(f"asked for an answer {thread.deadline.text}")
    replies = [m.created_at for m in ticket.messages if m.author_role is AuthorRole.AGENT]
    hours = ((now or utcnow()) - replies[-1]).total_seconds() / 3600 if replies else None
    parts.append("no reply from us yet" if hours is None else f"our last reply {_duration(hours)} ago")
    return "; ".join(parts)


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _duration(hours: float) -> str:
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


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
        trajectory=trajectory(ticket, sentiment_trend),
        conversation=tuple(m for m in ticket.messages if m.author_role is not AuthorRole.SYSTEM),
        draft=draft,
        articles=tuple(articles),
        reasons=escalation.reasons,
        priority=escalation.priority,
        queue=escalation.queue,
        suggested_action=escalation.suggested_action,
    )
