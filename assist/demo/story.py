"""One demo ticket's thread, played through the lifecycle: the agent's answers (each the reply written for
what the customer asked), the customer's follow-ups and thanks, escalations, the lead queue's take-overs and
returns, and the CSAT rating. Every change goes through the product's own paths (`transition`,
`record_escalation`, `add_message`), so the workspace looks exactly like one the app produced."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from assist.demo import voices
from assist.demo.wording import FollowUp, Wording
from assist.domain import AuthorRole, Escalation, EscalationPriority, Queue, TicketStatus
from assist.drafting.policy import answer_band
from assist.edits import edit_ratio
from assist.handoff import build_handoff
from assist.store import audit
from assist.store.escalations import record_escalation
from assist.store.models import (
    CsatRow,
    CustomerRow,
    DraftRow,
    DraftViewRow,
    EscalationRow,
    ReplyRow,
    TicketRow,
    UserRow,
)
from assist.store.status import transition
from assist.store.tickets import add_message, ticket_detail

UPSET = ("frustrated", "angry", "urgent")


@dataclass(frozen=True)
class Plot:
    """How one ticket's story goes (see `scenarios.Script` for the paths)."""

    wording: Wording
    mood: str
    status: TicketStatus
    path: str = ""
    escalator: str | None = None
    follow_up: int | None = None  # which follow-up; None = drawn
    good: bool = False


class Story:
    def __init__(
        self, session: Session, rng: random.Random, now: datetime, agents: list[UserRow], leads: list[UserRow]
    ) -> None:
        self.session, self.rng, self.now, self.agents, self.leads = session, rng, now, agents, leads

    def later(self, t: datetime, delta: timedelta) -> datetime:
        """`t + delta`, squeezed so a ticket's story never reaches the present: each step takes at most
        half of the time left, so every timeline stays in order and in the past."""
        return t + min(delta, (self.now - t) / 2)

    def play(self, ticket: TicketRow, customer: CustomerRow, plot: Plot) -> None:
        """Walk the ticket through the lifecycle to `plot.status`, writing the thread on the way."""
        status, path, rng = plot.status, plot.path, self.rng
        if status is TicketStatus.NEW:
            return
        agent = rng.choice(self.agents)
        ticket.assignee_id = agent.id
        t = self.later(ticket.created_at, timedelta(minutes=rng.randrange(20, 600)))
        transition(self.session, ticket=ticket, to=TicketStatus.PROCESSING, actor=agent.email, at=t)
        if status is TicketStatus.PROCESSING and not path:
            return
        if status is TicketStatus.ESCALATED or path == "returned":
            self._escalated(ticket, plot, agent, self.later(t, timedelta(minutes=rng.randrange(5, 90))))
            return
        wording = plot.wording
        t = self.later(t, timedelta(minutes=rng.randrange(5, 120)))
        self._answer(ticket, customer, agent, t, wording.reply, wording.article, plot, wording.rewrite)
        transition(self.session, ticket=ticket, to=TicketStatus.AWAITING_CUSTOMER, actor=agent.email, at=t)
        if status is TicketStatus.AWAITING_CUSTOMER and not path:
            return
        follows = wording.follow_ups_for(customer.plan)
        follow = rng.choice(follows) if plot.follow_up is None else wording.follow_ups[plot.follow_up]
        t = self.later(t, timedelta(hours=rng.randrange(2, 48)))
        if path in ("follow_up", "second_round"):
            self._customer_writes(ticket, customer, follow.text, TicketStatus.PROCESSING, t)
            if path == "second_round":
                t = self.later(t, timedelta(hours=rng.randrange(1, 20)))
                self._answer_follow_up(ticket, customer, agent, t, wording, follow, plot)
                transition(self.session, ticket=ticket, to=TicketStatus.AWAITING_CUSTOMER, actor=agent.email, at=t)
            return
        if path == "happy":
            self._customer_writes(
                ticket, customer, rng.choice(voices.THANKS[wording.fixable]), TicketStatus.PROCESSING, t
            )
            return
        t = self._before_resolving(ticket, customer, agent, t, plot, follow)
        transition(self.session, ticket=ticket, to=TicketStatus.RESOLVED, actor=agent.email, at=t)
        self._csat(ticket, plot, t)
        if status is TicketStatus.REOPENED:
            t = self.later(t, timedelta(days=rng.randrange(1, 4)))
            self._customer_writes(ticket, customer, follow.text, TicketStatus.REOPENED, t)

    def _before_resolving(
        self, ticket: TicketRow, customer: CustomerRow, agent: UserRow, t: datetime, plot: Plot, follow: FollowUp
    ) -> datetime:
        """Some customers write once more before the ticket is resolved: a thank-you, or the next question."""
        rng = self.rng
        if plot.good or (plot.status is TicketStatus.RESOLVED and rng.random() < 0.14):
            thanks = rng.choice(voices.THANKS[plot.wording.fixable])
            self._customer_writes(ticket, customer, thanks, TicketStatus.PROCESSING, t)
            if rng.random() < 0.5:
                t = self.later(t, timedelta(minutes=rng.randrange(10, 240)))
                self._send(ticket, customer, agent, t, voices.THANKS_REPLY[plot.wording.fixable], closing="")
            return t
        if plot.status is TicketStatus.RESOLVED and rng.random() < 0.24:
            self._customer_writes(ticket, customer, follow.text, TicketStatus.PROCESSING, t)
            t = self.later(t, timedelta(hours=rng.randrange(1, 20)))
            self._answer_follow_up(ticket, customer, agent, t, plot.wording, follow, plot)
        return t

    def _customer_writes(
        self, ticket: TicketRow, customer: CustomerRow, text: str, then: TicketStatus, at: datetime
    ) -> None:
        """A message from the customer, which moves the ticket to `then`."""
        add_message(self.session, ticket=ticket, role=AuthorRole.CUSTOMER, body=text, actor=customer.email, at=at)
        transition(self.session, ticket=ticket, to=then, actor=customer.email, at=at)

    def _answer_follow_up(
        self,
        ticket: TicketRow,
        customer: CustomerRow,
        agent: UserRow,
        at: datetime,
        wording: Wording,
        follow: FollowUp,
        plot: Plot,
    ) -> None:
        article = follow.article or wording.article
        self._answer(ticket, customer, agent, at, follow.reply, article, plot, follow.rewrite, follow_up=True)

    def _answer(
        self,
        ticket: TicketRow,
        customer: CustomerRow,
        agent: UserRow,
        at: datetime,
        reply: str,
        article: str,
        plot: Plot,
        rewrite: str = "",
        *,
        follow_up: bool = False,
    ) -> None:
        """Send the reply written for what the customer asked: as drafted, lightly edited, rewritten in the agent's
        own words (`rewrite`, or the reply with the agent's own opening and closing), or typed by hand. The draft
        is stored with the confidence it was shown with."""
        rng = self.rng
        closing = "Let me know if that does it." if follow_up else "Is there anything else I can help with?"
        # The confidence shown with each historical draft, and whether the agent then sent it with light edits.
        # The demo team edits more than the shipped model expects (its confidence runs high), so the Metrics
        # calibration chart has something to show before and after `train confidence --from-db`. (The bias was -0.9
        # while the old edits were long enough to count as rewrites by themselves; with edits that are light, -1.6
        # keeps the gap the chart shows: ECE as shown 0.18-0.28 on seeds 1-4 and 7, as before.)
        confidence = round(rng.uniform(0.85, 0.97) if plot.good else rng.uniform(0.2, 0.97), 4)
        light = rng.random() < 1 / (1 + math.exp(-(1.8 * math.log(confidence / (1 - confidence)) - 1.6)))
        if plot.good:
            style = "as_drafted"
        elif rng.random() < 0.2:
            style = "by_hand"
        elif light:
            style = "as_drafted" if rng.random() < 0.6 else "edited"
        else:
            style = "rewritten"
        drafted = self._letter(customer, agent, reply, closing)
        if style == "edited":
            edit = voices.APOLOGY if plot.mood in UPSET and rng.random() < 0.5 else rng.choice(voices.EDITS)
            sent = self._letter(customer, agent, reply + edit, closing)
        elif style == "rewritten":
            own = rewrite or f"{rng.choice(voices.REWRITE_LEADS)}{reply} {rng.choice(voices.REWRITE_CLOSINGS)}"
            sent = self._letter(customer, agent, own, "")
        else:
            sent = drafted
        draft = None
        if style != "by_hand":
            draft = DraftRow(
                ticket_id=ticket.id,
                ticket_version=ticket.version,
                text=drafted,
                confidence=confidence,
                raw_confidence=confidence,
                band=answer_band(confidence).value,  # the seeded history has no margin to read: the figure's badge
                sources=[article],
                model="offline-grounded",
                mode="offline",
                created_at=max(ticket.created_at, at - timedelta(minutes=3)),
            )
            self.session.add(draft)
            self.session.flush()
            # The agent had it in front of them when they opened the ticket (the draft funnel counts from here).
            self.session.add(
                DraftViewRow(draft_id=draft.id, ticket_id=ticket.id, shown_to_id=agent.id, shown_at=draft.created_at)
            )
        self._send(ticket, customer, agent, at, sent, draft=draft, as_drafted=style == "as_drafted")

    def _send(
        self,
        ticket: TicketRow,
        customer: CustomerRow,
        agent: UserRow,
        at: datetime,
        text: str,
        *,
        closing: str | None = None,
        draft: DraftRow | None = None,
        as_drafted: bool = False,
    ) -> None:
        """Store a sent reply: the message, and the reply row with its draft and edit distance."""
        body = text if closing is None else self._letter(customer, agent, text, closing)
        message = add_message(
            self.session, ticket=ticket, role=AuthorRole.AGENT, body=body, author_id=agent.id, actor=agent.email, at=at
        )
        distance = Levenshtein.distance(draft.text, body) if draft else None
        self.session.add(
            ReplyRow(
                ticket_id=ticket.id,
                message_id=message.id,
                draft_id=draft.id if draft else None,
                draft_text=draft.text if draft else None,
                sent_text=body,
                edit_distance=distance,
                edit_ratio=edit_ratio(draft.text, body, distance) if draft and distance is not None else None,
                sent_as_drafted=as_drafted,
                sent_by_id=agent.id,
                sent_at=at,
            )
        )

    @staticmethod
    def _letter(customer: CustomerRow, agent: UserRow, text: str, closing: str) -> str:
        first = customer.name.split()[0]
        middle = f"{text}\n\n{closing}" if closing else text
        return f"Hi {first},\n\n{middle}\n\nBest,\n{agent.name}\nLumen Support"

    def _escalated(self, ticket: TicketRow, plot: Plot, agent: UserRow, at: datetime) -> None:
        """Escalated by the agent; then a lead owns it, took it over, or returned it to tier 1."""
        row = self._escalate(ticket, plot, agent, at)
        lead = self.rng.choice(self.leads)
        if plot.path == "returned":
            at = self.later(at, timedelta(hours=self.rng.randrange(1, 8)))
            note = add_message(
                self.session,
                ticket=ticket,
                role=AuthorRole.NOTE,
                body=voices.RETURN_NOTE,
                author_id=lead.id,
                actor=lead.email,
                at=at,
            )
            transition(
                self.session, ticket=ticket, to=TicketStatus.PROCESSING, actor=lead.email, reason=note.body, at=at
            )
            row.state, row.closed_at, ticket.assignee_id = "returned", at, agent.id
            self._audit(lead, "escalation.return", ticket, at, {"escalation_id": row.id})
            return
        ticket.assignee_id = lead.id
        if plot.path == "taken":
            at = self.later(at, timedelta(minutes=self.rng.randrange(10, 240)))
            row.state = "taken"
            self._audit(lead, "escalation.take_over", ticket, at, {"escalation_id": row.id, "from_owner": agent.id})

    def _audit(self, actor: UserRow, action: str, ticket: TicketRow, at: datetime, detail: dict[str, object]) -> None:
        audit.record(
            self.session,
            actor=actor.email,
            action=action,
            entity_type="ticket",
            entity_id=ticket.id,
            at=at,
            detail=detail,
        )

    def _escalate(self, ticket: TicketRow, plot: Plot, agent: UserRow, at: datetime) -> EscalationRow:
        """Through `record_escalation`, the path the app uses, with a package the lead queue can show."""
        reasons = {
            "legal": ["Legal threat"],
            "manager": ["Customer asked for a human or a manager"],
            "repeat": ["Repeat contact about the same issue"],
            "churn": ["Churn threat"],
        }.get(plot.escalator or "", []) + (["Customer is angry"] if plot.mood == "angry" else [])
        legal = plot.escalator == "legal"
        escalation = Escalation(
            suggest=True,
            reasons=tuple(reasons or ["Draft confidence below threshold"]),
            priority=EscalationPriority.CRITICAL if legal else EscalationPriority.HIGH,
            queue=Queue.MANAGER if legal else Queue.TIER2,
            suggested_action="Review with legal before replying; do not admit fault or promise compensation."
            if legal
            else "Take over personally: acknowledge the frustration first, then the fix.",
        )
        self.session.flush()
        detail = ticket_detail(self.session, ticket_id=ticket.id)
        package = build_handoff(ticket=detail, sentiment_trend=(), escalation=escalation, draft=None, articles=())
        return record_escalation(
            self.session, ticket=ticket, package=package, actor_id=agent.id, actor_email=agent.email, at=at
        )

    def _csat(self, ticket: TicketRow, plot: Plot, resolved_at: datetime) -> None:
        if not plot.good and self.rng.random() > 0.6:
            return
        base = {"calm": 5, "confused": 4, "frustrated": 4, "angry": 3, "urgent": 4}[plot.mood]
        score = 5 if plot.good else max(1, min(5, base + self.rng.choice([-2, -1, 0, 0, 0, 1])))
        self.session.add(
            CsatRow(
                ticket_id=ticket.id,
                score=score,
                source="survey",
                responded_at=self.later(resolved_at, timedelta(hours=self.rng.randrange(1, 30))),
            )
        )
