"""A deterministic demo workspace for the fictional SaaS "Lumen": customers, tickets with
threads in many moods, replies, escalations and CSAT, spread over the last 90 days.

The same `seed` and `now` give the same workspace. `seed_demo` does nothing when the database
already holds tickets, so it is safe to call on every start.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rapidfuzz.distance import Levenshtein
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from assist.demo import content
from assist.domain import AuthorRole, Category, Channel, Escalation, EscalationPriority, Queue, TicketStatus
from assist.drafting.confidence import edit_ratio
from assist.handoff import build_handoff
from assist.lifecycle import transition
from assist.store.db import session_scope
from assist.store.escalations import record_escalation
from assist.store.models import (
    Base,
    CsatRow,
    CustomerRow,
    DraftRow,
    InvoiceRow,
    MacroRow,
    ReplyRow,
    TicketRow,
    UserRow,
)
from assist.store.tickets import add_message, create_ticket, ticket_detail

SYSTEM = "demo-seed"
N_CUSTOMERS = 72
N_TICKETS = 320
DAYS = 90
PLAN_PRICE_CENTS = {"free": 0, "starter": 1200, "pro": 2900, "enterprise": 9900}
MOODS = ("calm", "confused", "frustrated", "angry", "urgent")
MOOD_WEIGHTS = (34, 20, 26, 12, 8)
MOOD_PRIORITY = {"calm": 0, "confused": 0, "frustrated": 2, "angry": 3, "urgent": 4}
REWRITES = (  # what an agent writes instead of a draft that missed
    "I've looked into this for you personally and fixed it on our side; you shouldn't see the problem again. "
    "I've also noted it on your account in case it comes back.",
    "Thanks for the details. This one needs a closer look from our engineers, so I've opened an internal report "
    "and will write to you as soon as I hear back, at the latest by tomorrow.",
    "I checked your workspace and found the cause: a setting changed by one of your admins. I've reverted it with "
    "their agreement, so everything should work again now.",
)
EDITS = (
    "\n\nI've also added a note to your account so the whole team knows the history.",
    "\n\nSorry again for the trouble this caused.",
    "\n\nIf it's easier, reply with a good time and I can walk you through it.",
)


# Demo mode only: every demo user of a role shares one password, printed by `seed-demo`.
DEMO_PASSWORDS = {"agent": "lumen-demo-agent", "lead": "lumen-demo-lead", "admin": "lumen-demo-admin"}
_hashes: dict[str, str] = {}


def _demo_hash(role: str) -> str:
    from argon2 import PasswordHasher

    if role not in _hashes:
        _hashes[role] = PasswordHasher().hash(DEMO_PASSWORDS[role])
    return _hashes[role]


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    customers: int
    tickets: int
    users: int


def seed_demo(engine: Engine, *, seed: int = 7, now: datetime | None = None, reset: bool = False) -> DemoSummary:
    """Create the demo workspace unless tickets already exist (or `reset` wipes everything first).

    Times are relative to `now` (the real time by default) and never after it."""
    now = now or datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    with session_scope(engine) as session:
        if reset:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(delete(table))
        created = not session.scalar(select(func.count()).select_from(TicketRow))
        if created:
            _Seeder(session, random.Random(seed), now).run()
    return summarize(engine, created=created)


def summarize(engine: Engine, *, created: bool = False) -> DemoSummary:
    with session_scope(engine) as session:

        def count(model: type[Base]) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        return DemoSummary(created, count(CustomerRow), count(TicketRow), count(UserRow))


class _Seeder:
    def __init__(self, session: Session, rng: random.Random, now: datetime) -> None:
        self.session, self.rng, self.now = session, rng, now
        self.history: dict[tuple[int, str], int] = {}  # (customer, topic) -> earlier tickets

    def later(self, t: datetime, delta: timedelta) -> datetime:
        """`t + delta`, squeezed so a ticket's story never reaches the present: each step takes at most
        half of the time left, so every timeline stays in order and in the past."""
        return t + min(delta, (self.now - t) / 2)

    def run(self) -> None:
        self.users = [UserRow(email=e, name=n, role=r, password_hash=_demo_hash(r)) for e, n, r in content.AGENTS]
        self.session.add_all(self.users)
        self.agents = [u for u in self.users if u.role == "agent"]
        self.leads = [u for u in self.users if u.role == "lead"]
        customers = [self._customer(i) for i in range(N_CUSTOMERS)]
        self.session.add_all(customers)
        self.session.flush()
        # Returning customers: a third of them write most of the tickets. The last four are kept
        # for the walkthrough tickets, so their histories are exactly what README describes.
        weights = [6 if i % 3 == 0 else 1 for i in range(N_CUSTOMERS - 4)] + [0] * 4
        # A Monday-morning inbox: most history is resolved and spread over the whole window; a sixth
        # arrived in the last five days and is still being worked.
        recent = N_TICKETS // 6
        minutes = [self.rng.randrange(30, DAYS * 24 * 60) for _ in range(N_TICKETS - recent)]
        minutes += [self.rng.randrange(15, 5 * 24 * 60) for _ in range(recent)]
        starts = sorted(self.now - timedelta(minutes=m) for m in minutes)
        for n, created_at in enumerate(starts):
            customer = self.rng.choices(customers, weights)[0]
            topic = self.rng.choice(content.TOPICS)
            mood = self.rng.choices(MOODS, MOOD_WEIGHTS)[0]
            self._ticket(n, customer, topic, mood, created_at)
        self._showcase(customers)
        self.session.add_all(
            MacroRow(title=title, body=body, updated_by="admin@lumen.app", updated_at=self.now)
            for title, body in content.MACROS
        )

    def _customer(self, i: int) -> CustomerRow:
        first = content.FIRST_NAMES[i % len(content.FIRST_NAMES)]
        last = content.LAST_NAMES[(i * 7) % len(content.LAST_NAMES)]
        company = content.COMPANIES[i % len(content.COMPANIES)]
        domain = company.lower().replace(" & ", "-").replace(" ", "") + ".example"
        plan = self.rng.choices(["free", "starter", "pro", "enterprise"], [18, 36, 34, 12])[0]
        past_due = plan != "free" and self.rng.random() < 0.12
        customer = CustomerRow(
            name=f"{first} {last}",
            email=f"{first.lower()}.{last.lower().replace('í', 'i')}{i}@{domain}",
            company=company,
            plan=plan,
            is_vip=plan == "enterprise" or (plan == "pro" and self.rng.random() < 0.1),
            account_status="suspended" if past_due and self.rng.random() < 0.4 else "active",
            billing_status="past_due" if past_due else "current",
            created_at=self.now - timedelta(days=self.rng.randrange(100, 1400)),
        )
        if plan != "free":
            for month in range(3, 0, -1):
                status = "failed" if past_due and month == 1 else self.rng.choices(["paid", "refunded"], [19, 1])[0]
                customer.invoices.append(
                    InvoiceRow(
                        number=f"INV-{20000 + i * 10 + month}",
                        amount_cents=PLAN_PRICE_CENTS[plan] * self.rng.randrange(2, 15),
                        currency=self.rng.choice(["USD", "EUR", "GBP"]),
                        status=status,
                        issued_at=self.now - timedelta(days=30 * month - 3),
                    )
                )
        return customer

    def _ticket(
        self,
        n: int,
        customer: CustomerRow,
        topic: content.Topic,
        mood: str,
        created_at: datetime,
        *,
        escalator: str | None = None,
        status: TicketStatus | None = None,
        wording: tuple[int, int] | None = None,
    ) -> TicketRow:
        """`wording` picks the subject and problem (walkthrough tickets); otherwise they are drawn at random."""
        rng = self.rng
        earlier = self.history.get((customer.id, topic.key), 0)
        self.history[(customer.id, topic.key)] = earlier + 1
        problem = rng.choice(topic.problems) if wording is None else topic.problems[wording[1]]
        if escalator is None and earlier >= 1:
            escalator = "repeat"
        elif escalator is None and mood in ("angry", "frustrated") and rng.random() < 0.3:
            escalator = rng.choice(["legal", "churn", "manager"])
        if escalator == "repeat":
            problem = content.REPEAT_CONTACT[min(earlier, 2) - 1] + " " + problem
        elif escalator:  # a walkthrough ticket always says the same thing
            sentences = content.ESCALATORS[escalator]
            problem += " " + (sentences[0] if wording is not None else rng.choice(sentences))
        body = rng.choice(content.OPENINGS[mood]).format(problem=problem)
        priority = (
            3 + MOOD_PRIORITY[mood] + 2 * customer.is_vip + 2 * (escalator == "repeat") + 2 * (escalator == "legal")
        )
        ticket = create_ticket(
            self.session,
            customer=customer,
            subject=rng.choice(topic.subjects) if wording is None else topic.subjects[wording[0]],
            body=body,
            actor=SYSTEM,
            channel=rng.choices(list(Channel), [60, 25, 12, 3])[0],
            category=Category(topic.category),
            intent=topic.key,
            priority=min(priority, 10),
            external_id=f"LUM-{10000 + n}",
            created_at=created_at,
        )
        age = self.now - created_at
        status = status or self._status_for(age, mood, escalator)
        self._play(ticket, customer, topic, mood, escalator, status)
        return ticket

    def _status_for(self, age: timedelta, mood: str, escalator: str | None) -> TicketStatus:
        if age < timedelta(hours=20):
            return TicketStatus.NEW
        if escalator in ("legal", "manager", "repeat") or mood == "angry":
            return TicketStatus.ESCALATED if age < timedelta(days=6) else TicketStatus.RESOLVED
        if age < timedelta(days=5):
            return self.rng.choices(
                [TicketStatus.NEW, TicketStatus.PROCESSING, TicketStatus.AWAITING_CUSTOMER, TicketStatus.RESOLVED],
                [35, 15, 25, 25],
            )[0]
        return self.rng.choices(
            [TicketStatus.RESOLVED, TicketStatus.AWAITING_CUSTOMER, TicketStatus.REOPENED], [92, 5, 3]
        )[0]

    def _play(
        self,
        ticket: TicketRow,
        customer: CustomerRow,
        topic: content.Topic,
        mood: str,
        escalator: str | None,
        status: TicketStatus,
    ) -> None:
        """Walk the ticket through the lifecycle to `status`, writing the thread on the way."""
        if status is TicketStatus.NEW:
            return
        rng, t = self.rng, ticket.created_at
        agent = rng.choice(self.agents)
        ticket.assignee_id = agent.id
        t = self.later(t, timedelta(minutes=rng.randrange(20, 600)))
        transition(self.session, ticket=ticket, to=TicketStatus.PROCESSING, actor=agent.email, at=t)
        if status is TicketStatus.PROCESSING:
            return
        if status is TicketStatus.ESCALATED:
            self._escalate(
                ticket, topic, mood, escalator, agent, self.later(t, timedelta(minutes=rng.randrange(5, 90)))
            )
            return
        t = self.later(t, timedelta(minutes=rng.randrange(5, 120)))
        self._reply(ticket, customer, topic, agent, t)
        transition(self.session, ticket=ticket, to=TicketStatus.AWAITING_CUSTOMER, actor=agent.email, at=t)
        if status is TicketStatus.AWAITING_CUSTOMER:
            return
        t = self.later(t, timedelta(hours=rng.randrange(2, 48)))
        if rng.random() < 0.35:
            self._customer_writes(ticket, customer, topic, TicketStatus.PROCESSING, t)
            t = self.later(t, timedelta(hours=rng.randrange(1, 20)))
            add_message(
                self.session,
                ticket=ticket,
                role=AuthorRole.AGENT,
                author=agent,
                actor=agent.email,
                at=t,
                body=f"Hi {customer.name.split()[0]},\n\nThanks for checking back. I've confirmed this on our side and "
                "the steps above should now work. Let me know if anything is still off.\n\nBest,\n" + agent.name,
            )
        transition(self.session, ticket=ticket, to=TicketStatus.RESOLVED, actor=agent.email, at=t)
        self._csat(ticket, mood, t)
        if status is TicketStatus.REOPENED:
            t = self.later(t, timedelta(days=rng.randrange(1, 4)))
            self._customer_writes(ticket, customer, topic, TicketStatus.REOPENED, t)

    def _customer_writes(
        self, ticket: TicketRow, customer: CustomerRow, topic: content.Topic, then: TicketStatus, at: datetime
    ) -> None:
        """A follow-up from the customer, which moves the ticket to `then`."""
        add_message(
            self.session,
            ticket=ticket,
            role=AuthorRole.CUSTOMER,
            body=self.rng.choice(topic.follow_ups),
            actor=customer.email,
            at=at,
        )
        transition(self.session, ticket=ticket, to=then, actor=customer.email, at=at)

    def _reply(
        self, ticket: TicketRow, customer: CustomerRow, topic: content.Topic, agent: UserRow, at: datetime
    ) -> None:
        rng = self.rng
        first = customer.name.split()[0]
        drafted = (
            f"Hi {first},\n\n{topic.agent_reply}\n\n"
            "Is there anything else I can help with?\n\nBest,\n" + agent.name + "\nLumen Support"
        )
        # The confidence shown with each historical draft, and whether the agent then sent it with light edits.
        # The demo team edits more than the shipped model expects (its confidence runs high), so the Metrics
        # calibration chart has something to show before and after `train confidence --from-db`.
        confidence = round(rng.uniform(0.2, 0.97), 4)
        light = rng.random() < 1 / (1 + math.exp(-(1.8 * math.log(confidence / (1 - confidence)) - 0.9)))
        if rng.random() < 0.2:
            style = "by_hand"
        elif light:
            style = "as_drafted" if rng.random() < 0.6 else "edited"
        else:
            style = "rewritten"
        sent = {
            "edited": drafted + rng.choice(EDITS),
            "rewritten": f"Hi {first},\n\n{rng.choice(REWRITES)}\n\nBest,\n{agent.name}\nLumen Support",
        }.get(style, drafted)
        distance = Levenshtein.distance(drafted, sent)
        message = add_message(
            self.session, ticket=ticket, role=AuthorRole.AGENT, body=sent, author=agent, actor=agent.email, at=at
        )
        draft = None
        if style != "by_hand":
            draft = DraftRow(
                ticket_id=ticket.id,
                ticket_version=ticket.version,
                text=drafted,
                confidence=confidence,
                raw_confidence=confidence,
                sources=[topic.article],
                model="offline-grounded",
                mode="offline",
                created_at=max(ticket.created_at, at - timedelta(minutes=3)),
            )
            self.session.add(draft)
            self.session.flush()
        self.session.add(
            ReplyRow(
                ticket_id=ticket.id,
                message_id=message.id,
                draft_id=draft.id if draft else None,
                draft_text=drafted if draft else None,
                sent_text=sent,
                edit_distance=distance if draft else None,
                edit_ratio=edit_ratio(drafted, sent, distance) if draft else None,
                sent_as_drafted=style == "as_drafted",
                sent_by_id=agent.id,
                sent_at=at,
            )
        )

    def _escalate(
        self, ticket: TicketRow, topic: content.Topic, mood: str, escalator: str | None, agent: UserRow, at: datetime
    ) -> None:
        """Through `record_escalation`, the path the app uses, with a package the lead queue can show."""
        reasons = {
            "legal": ["Legal threat"],
            "manager": ["Customer asked for a human or a manager"],
            "repeat": ["Repeat contact about the same issue"],
            "churn": ["Churn threat"],
        }.get(escalator or "", []) + (["Customer is angry"] if mood == "angry" else [])
        legal = escalator == "legal"
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
        record_escalation(self.session, ticket=ticket, package=package, actor=agent, actor_email=agent.email, at=at)
        ticket.assignee_id = self.rng.choice(self.leads).id

    def _csat(self, ticket: TicketRow, mood: str, resolved_at: datetime) -> None:
        if self.rng.random() > 0.6:
            return
        base = {"calm": 5, "confused": 4, "frustrated": 4, "angry": 3, "urgent": 4}[mood]
        score = max(1, min(5, base + self.rng.choice([-2, -1, 0, 0, 0, 1])))
        self.session.add(
            CsatRow(
                ticket_id=ticket.id,
                score=score,
                source="survey",
                responded_at=self.later(resolved_at, timedelta(hours=self.rng.randrange(1, 30))),
            )
        )

    def _showcase(self, customers: list[CustomerRow]) -> None:
        """The walkthrough tickets README describes: they are the newest in the inbox."""
        topics = {t.key: t for t in content.TOPICS}
        at = self.now - timedelta(minutes=12)  # random tickets are at least 15 minutes old
        simple, repeat, legal, returning = customers[-4:]
        self._ticket(900, simple, topics["api-401"], "calm", at, status=TicketStatus.NEW, wording=(1, 2))
        for k, days in enumerate((40, 21)):  # two earlier, resolved contacts about the same refund
            self._ticket(
                901 + k,
                repeat,
                topics["refund-missing"],
                "calm",
                self.now - timedelta(days=days),
                status=TicketStatus.RESOLVED,
            )
        self._ticket(
            903,
            repeat,
            topics["refund-missing"],
            "calm",
            at + timedelta(minutes=1),
            status=TicketStatus.NEW,
            wording=(2, 0),
        )
        self._ticket(
            904,
            legal,
            topics["duplicate-charge"],
            "angry",
            at + timedelta(minutes=2),
            escalator="legal",
            status=TicketStatus.NEW,
            wording=(0, 0),
        )
        # Diego: his webhook endpoint was disabled a month ago; today he asks about webhook signatures.
        self._ticket(
            905,
            returning,
            topics["webhooks-missing"],
            "calm",
            self.now - timedelta(days=30),
            status=TicketStatus.RESOLVED,
            wording=(1, 1),
        )
        self._ticket(
            906,
            returning,
            topics["webhook-signature"],
            "confused",
            at + timedelta(minutes=3),
            status=TicketStatus.NEW,
            wording=(0, 0),
        )
