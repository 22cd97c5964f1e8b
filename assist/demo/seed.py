"""A deterministic demo workspace for the fictional SaaS "Lumen": customers, tickets with
threads in many moods, replies, escalations and CSAT, spread over the last 90 days.

The same `seed` and `now` give the same workspace. `seed_demo` does nothing when the database
already holds tickets, so it is safe to call on every start.

Coherence, which `tests/test_demo_coherence.py` checks: a ticket's subject and first message come from one
wording; a customer asks only about features their plan has; every agent reply is the one written for
what the customer asked; "I already wrote to you about this" appears only when they did, about the same wording.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from assist.authentication import DEMO_PASSWORDS
from assist.demo import content, people, scenarios, voices
from assist.demo.story import Plot, Story
from assist.demo.wording import Wording
from assist.domain import Category, Channel, TicketStatus
from assist.store.db import session_scope
from assist.store.models import Base, CustomerRow, InvoiceRow, MacroRow, TicketRow, UserRow
from assist.store.tickets import create_ticket

SYSTEM = "demo-seed"
N_CUSTOMERS = 72
N_TICKETS = 320
DAYS = 90
PLAN_PRICE_CENTS = {"free": 0, "starter": 1200, "pro": 2900, "enterprise": 9900}
MOODS = ("calm", "confused", "frustrated", "angry", "urgent")
MOOD_WEIGHTS = (34, 20, 26, 12, 8)
MOOD_PRIORITY = {"calm": 0, "confused": 0, "frustrated": 2, "angry": 3, "urgent": 4}
SAME_AGAIN = 0.1  # a returning customer writes again about a problem they reported before
# The walkthrough customers (the last four): plan and billing as README tells their stories.
WALKTHROUGH_ACCOUNTS = (("pro", True), ("starter", False), ("pro", False), ("pro", False))


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


@dataclass(frozen=True)
class _Telling:
    """How the first message is written: which phrasing, in which voice."""

    style: str = ""  # "" = drawn; plain | long | terse | non_native
    opening: int | None = None
    text: int | None = None
    subject: int | None = None


class _Seeder:
    def __init__(self, session: Session, rng: random.Random, now: datetime) -> None:
        self.session, self.rng, self.now = session, rng, now
        self.history: dict[tuple[int, str], int] = {}  # (customer, wording) -> earlier tickets
        self.asked: dict[int, list[str]] = {}  # customer -> the wordings they asked, in order
        self.tagged: dict[str, CustomerRow] = {}  # the customers of tagged scripts

    def run(self) -> None:
        self.users = [UserRow(email=e, name=n, role=r, password_hash=_demo_hash(r)) for e, n, r in people.AGENTS]
        self.session.add_all(self.users)
        agents = [u for u in self.users if u.role == "agent"]
        self.leads = [u for u in self.users if u.role == "lead"]
        reserved = N_CUSTOMERS - len(WALKTHROUGH_ACCOUNTS)
        customers = [
            self._customer(i, WALKTHROUGH_ACCOUNTS[i - reserved] if i >= reserved else None) for i in range(N_CUSTOMERS)
        ]
        self.session.add_all(customers)
        self.session.flush()
        self.story = Story(self.session, self.rng, self.now, agents, self.leads)
        # Returning customers: a third of them write most of the tickets. The last four are kept
        # for the walkthrough tickets, so their histories are exactly what README describes.
        self.customers, self.weights = customers[:reserved], [6 if i % 3 == 0 else 1 for i in range(reserved)]
        for n, (created_at, script) in enumerate(self._timeline()):
            if script is None:
                self._random_ticket(n, created_at)
            else:
                self._scripted_ticket(n, created_at, script)
        self._showcase(customers[reserved:])
        self.session.add_all(
            MacroRow(title=title, body=body, updated_by="admin@lumen.app", updated_at=self.now)
            for title, body in people.MACROS
        )

    def _timeline(self) -> list[tuple[datetime, scenarios.Script | None]]:
        """A Monday-morning inbox: most history is resolved and spread over the whole window; a sixth arrived in
        the last five days and is still being worked. The scripted tickets take their places in it."""
        recent_window = timedelta(days=5)
        scripted: list[tuple[datetime, scenarios.Script | None]] = [
            (self.now - timedelta(hours=s.hours_ago), s) for s in scenarios.SCRIPTS
        ]
        recent = N_TICKETS // 6 - sum(1 for t, _ in scripted if self.now - t < recent_window)
        older = N_TICKETS - len(scripted) - recent
        minutes = [self.rng.randrange(30, DAYS * 24 * 60) for _ in range(older)]
        minutes += [self.rng.randrange(15, 5 * 24 * 60) for _ in range(recent)]
        drawn: list[tuple[datetime, scenarios.Script | None]] = [
            (self.now - timedelta(minutes=m), None) for m in minutes
        ]
        return sorted(drawn + scripted, key=lambda pair: pair[0])

    def _customer(self, i: int, account: tuple[str, bool] | None = None) -> CustomerRow:
        first = people.FIRST_NAMES[i % len(people.FIRST_NAMES)]
        last = people.LAST_NAMES[(i * 7) % len(people.LAST_NAMES)]
        company = people.COMPANIES[i % len(people.COMPANIES)]
        domain = company.lower().replace(" & ", "-").replace(" ", "") + ".example"
        plan = self.rng.choices(["free", "starter", "pro", "enterprise"], [18, 36, 34, 12])[0]
        past_due = plan != "free" and self.rng.random() < 0.12
        suspended = past_due and self.rng.random() < 0.4
        vip = plan == "enterprise" or (plan == "pro" and self.rng.random() < 0.1)
        if account is not None:
            (plan, past_due), suspended, vip = account, False, False
        customer = CustomerRow(
            name=f"{first} {last}",
            email=f"{first.lower()}.{last.lower().replace('í', 'i')}{i}@{domain}",
            company=company,
            plan=plan,
            is_vip=vip,
            account_status="suspended" if suspended else "active",
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

    def _can_ask(self, customer: CustomerRow, wording: Wording) -> bool:
        return content.eligible(wording, plan=customer.plan, past_due=customer.billing_status == "past_due")

    def _pick(self, customer: CustomerRow) -> Wording:
        """What a customer writes about: sometimes a question they asked before, otherwise a topic their plan has."""
        rng = self.rng
        asked = [key for key in self.asked.get(customer.id, []) if not content.WORDINGS[key].howto]
        if asked and rng.random() < SAME_AGAIN:
            return content.WORDINGS[rng.choice(asked)]
        topics = [t for t in content.TOPICS if any(self._can_ask(customer, w) for w in t.wordings)]
        topic = rng.choice(topics)
        return rng.choice([w for w in topic.wordings if self._can_ask(customer, w)])

    def _random_ticket(self, n: int, created_at: datetime) -> None:
        rng = self.rng
        customer = rng.choices(self.customers, self.weights)[0]
        wording = self._pick(customer)
        mood = rng.choices(MOODS, MOOD_WEIGHTS)[0]
        escalator = None
        if not self.history.get((customer.id, wording.key)) and mood in ("angry", "frustrated") and rng.random() < 0.3:
            # Legal threats are about something that went wrong, not about how to do something.
            escalator = rng.choice(["churn", "manager"] if wording.howto else ["legal", "churn", "manager"])
        self._ticket(n, customer, wording, mood, created_at, escalator=escalator)

    def _scripted_ticket(
        self, n: int, created_at: datetime, script: scenarios.Script, accounts: list[CustomerRow] | None = None
    ) -> None:
        """A script's ticket, from a customer whose plan has the feature and who has not asked it before."""
        wording = content.WORDINGS[script.wording]
        if script.account is not None and accounts:
            customer = accounts[script.account]
        elif script.customer_of:
            customer = self.tagged[script.customer_of]
        else:
            can_ask = [(c, w) for c, w in zip(self.customers, self.weights, strict=True) if self._can_ask(c, wording)]
            candidates = [(c, w) for c, w in can_ask if not self.history.get((c.id, wording.key))] or can_ask
            customer = self.rng.choices([c for c, _ in candidates], [w for _, w in candidates])[0]
        if script.tag:
            self.tagged[script.tag] = customer
        plot = Plot(wording, script.mood, script.status, script.path, script.escalator, script.follow_up, script.good)
        telling = _Telling(script.style, script.opening, script.text, script.subject)
        self._ticket(n, customer, wording, script.mood, created_at, plot=plot, telling=telling)

    def _ticket(
        self,
        n: int,
        customer: CustomerRow,
        wording: Wording,
        mood: str,
        created_at: datetime,
        *,
        escalator: str | None = None,
        plot: Plot | None = None,
        telling: _Telling | None = None,
    ) -> TicketRow:
        """One ticket: its first message written from `wording` in `mood`, then its story (`plot`, or one drawn
        from its age). A customer who asked the same wording before says so, and the ticket counts as a repeat."""
        rng, telling = self.rng, telling or _Telling()
        earlier = self.history.get((customer.id, wording.key), 0)
        self.history[(customer.id, wording.key)] = earlier + 1
        self.asked.setdefault(customer.id, []).append(wording.key)
        escalator = plot.escalator if plot is not None else escalator
        if escalator is None and earlier >= 1:
            escalator = "repeat"
        style = telling.style or self._style(wording, mood)
        problem = {"terse": wording.terse, "non_native": wording.non_native}.get(style) or wording.texts[
            rng.randrange(len(wording.texts)) if telling.text is None else telling.text
        ]
        if escalator == "repeat":
            problem = voices.REPEAT_CONTACT[wording.howto][min(earlier, 2) - 1] + " " + problem
        elif escalator:  # a scripted ticket always says the same thing
            sentences = voices.ESCALATORS[escalator]
            problem += " " + (sentences[0] if plot is not None else rng.choice(sentences))
        body = self._body(customer, wording, mood, style, problem, telling.opening)
        priority = (
            3 + MOOD_PRIORITY[mood] + 2 * customer.is_vip + 2 * (escalator == "repeat") + 2 * (escalator == "legal")
        )
        ticket = create_ticket(
            self.session,
            customer=customer,
            subject=wording.subjects[
                rng.randrange(len(wording.subjects)) if telling.subject is None else telling.subject
            ],
            body=body,
            actor=SYSTEM,
            channel=rng.choices(list(Channel), [60, 25, 12, 3])[0],
            category=Category(wording.category),
            intent=wording.key,
            priority=min(priority, 10),
            external_id=f"LUM-{10000 + n}",
            created_at=created_at,
        )
        if plot is None:
            status, path = self._status_for(self.now - created_at, mood, escalator)
            plot = Plot(wording, mood, status, path, escalator)
        elif plot.escalator != escalator:
            plot = Plot(wording, mood, plot.status, plot.path, escalator, plot.follow_up, plot.good)
        self.story.play(ticket, customer, plot)
        return ticket

    def _style(self, wording: Wording, mood: str) -> str:
        r = self.rng.random()
        if r < 0.14 and mood in voices.LONG_OPENINGS:
            return "long"
        # A terse or non-native message carries no mood opening, so only calmer moods are written that way.
        if 0.14 <= r < 0.22 and wording.terse and mood in ("calm", "confused", "frustrated"):
            return "terse"
        if 0.22 <= r < 0.28 and wording.non_native and mood in ("calm", "confused"):
            return "non_native"
        return "plain"

    def _body(
        self, customer: CustomerRow, wording: Wording, mood: str, style: str, problem: str, opening: int | None
    ) -> str:
        if style in ("terse", "non_native"):
            return problem  # the whole message, as the customer typed it
        if style == "long":
            templates = voices.LONG_OPENINGS[mood]
            template = templates[self.rng.randrange(len(templates)) if opening is None else opening % len(templates)]
            return template.format(problem=problem, name=customer.name, company=customer.company)
        templates = (voices.HOWTO_OPENINGS if wording.howto else voices.OPENINGS)[mood]
        return templates[self.rng.randrange(len(templates)) if opening is None else opening].format(problem=problem)

    def _status_for(self, age: timedelta, mood: str, escalator: str | None) -> tuple[TicketStatus, str]:
        """Where a drawn ticket of this age stands, and how its thread got there (see `scenarios.Script`)."""
        rng = self.rng
        if age < timedelta(hours=20):
            return TicketStatus.NEW, ""
        if escalator in ("legal", "manager", "repeat") or mood == "angry":
            if age >= timedelta(days=6):
                return TicketStatus.RESOLVED, ""
            path = rng.choices(["", "taken", "returned"], [70, 24, 6 if escalator != "legal" else 0])[0]
            return (TicketStatus.PROCESSING if path == "returned" else TicketStatus.ESCALATED), path
        if age < timedelta(days=5):
            status = rng.choices(
                [TicketStatus.NEW, TicketStatus.PROCESSING, TicketStatus.AWAITING_CUSTOMER, TicketStatus.RESOLVED],
                [22, 10, 34, 34],
            )[0]
            if status is TicketStatus.PROCESSING:
                return status, rng.choices(["", "follow_up", "happy"], [45, 40, 15])[0]
            if status is TicketStatus.AWAITING_CUSTOMER:
                return status, rng.choices(["", "second_round"], [75, 25])[0]
            return status, ""
        status = rng.choices(
            [TicketStatus.RESOLVED, TicketStatus.AWAITING_CUSTOMER, TicketStatus.REOPENED], [92, 5, 3]
        )[0]
        return status, ""

    def _showcase(self, walkthrough: list[CustomerRow]) -> None:
        """The walkthrough tickets README describes: they are the newest in the inbox."""
        for k, script in enumerate(scenarios.WALKTHROUGH):
            self._scripted_ticket(900 + k, self.now - timedelta(hours=script.hours_ago), script, walkthrough)
