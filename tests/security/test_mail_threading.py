"""Joining someone else's ticket by e-mail (issue 31, finding 2).

A stranger's mail citing our reply's Message-ID (In-Reply-To), a customer's own Message-ID (References)
or `[#n]` in the subject was appended to another customer's resolved ticket and reopened it. Every header
path x every kind of sender, through the real Dovecot: only the ticket's own customer (whatever the case
or spacing of the address) joins; a stranger, a display name that shows the customer's address, several
addresses in From, or a guessed old-style Message-ID start a new ticket that names the one they cited.
"""

from __future__ import annotations

import base64
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from assist.config import Settings
from assist.delivery import new_message_id
from assist.domain import AuthorRole, TicketStatus
from assist.mail_in import poll, receive
from assist.store import session_scope
from assist.store.models import MessageRow, TicketRow
from assist.store.status import transition
from assist.store.tickets import add_message
from assist.ticket_actions import send_reply
from tests.factories import make_actor, make_customer, make_ticket
from tests.test_mail_in import deliver

PATHS = ("In-Reply-To: our reply", "In-Reply-To: their mail", "References: our reply", "References: their mail", "tag")
SENDERS = {  # sender kind -> (From header for customer address A, may join?)
    "the customer": ("Vera Victim <{a}>", True),
    "upper case": ("{A}", True),
    "spaces": ("Vera < {a} > ", True),
    "a stranger": ("Eve <eve@evil.test>", False),
    "name shows the address": ("{a} <eve@evil.test>", False),
    "quoted name shows the address": ('"{a}" <eve@evil.test>', False),
    "encoded name shows it": ("=?utf-8?q?{q}?= <eve@evil.test>", False),
    "a comment shows it": ("eve@evil.test ({a})", False),
    "two addresses": ("{a}, eve@evil.test", False),
    "address then junk": ("<{a}> eve@evil.test", False),
}


@dataclass
class Case:
    n: int
    path: str
    sender: str
    joins: bool
    ticket_id: int = 0
    ours: str = ""  # our reply's Message-ID on the victim's ticket

    @property
    def address(self) -> str:
        return f"victim{self.n}@example.com"

    def first_mail(self) -> bytes:
        return _raw(f"Vera <{self.address}>", f"<v{self.n}@example.com>", "My invoice is wrong", "First words.")

    def attack(self) -> bytes:
        template, _ = SENDERS[self.sender]
        a = self.address
        sender = template.format(a=a, A=a.upper(), q=a.replace("@", "=40"))
        cited = {"our reply": self.ours, "their mail": f"<v{self.n}@example.com>"}
        header, _, what = self.path.partition(": ")
        extra = {header: cited[what]} if what else {}
        subject = f"Re: My invoice [#{self.ticket_id}]" if self.path == "tag" else "Re: My invoice"
        return _raw(sender, f"<attack{self.n}@evil.test>", subject, f"Attack words {self.n}.", extra)


def _raw(sender: str, message_id: str, subject: str, body: str, extra: dict[str, str] | None = None) -> bytes:
    headers = {"From": sender, "To": "support@lumen.test", "Subject": subject, "Message-ID": message_id}
    lines = [f"{k}: {v}" for k, v in {**headers, **(extra or {})}.items()]
    return ("\r\n".join([*lines, "Date: Mon, 23 Nov 2026 10:00:00 +0000", "", body, ""])).encode()


def _answer_and_resolve(engine: Engine, ticket_id: int) -> str:
    """An agent's reply (our random Message-ID, as mailed) and the ticket resolved; returns that Message-ID."""
    with session_scope(engine) as session:
        agent = make_actor(session, role="agent")
        version = session.get_one(TicketRow, ticket_id).version
    send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=version,
        text="We corrected the invoice.",
        draft_id=None,
        actor=agent,
        resolve=False,
        settings=Settings(smtp_host=None, webhook_url=None),
    )
    with session_scope(engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        transition(session, ticket=ticket, to=TicketStatus.RESOLVED, actor="test", reason="done")
        reply = next(m for m in ticket.messages if m.author_role == AuthorRole.AGENT.value)
        assert reply.external_id is not None
        return reply.external_id


def test_only_the_tickets_own_customer_joins_it_by_any_header_path(imap: Settings, sqlite_engine: Engine) -> None:
    pairs = enumerate(itertools.product(PATHS, SENDERS), start=1)
    cases = [Case(n=n, path=path, sender=sender, joins=SENDERS[sender][1]) for n, (path, sender) in pairs]
    deliver(imap, *(case.first_mail() for case in cases))
    created = poll(sqlite_engine, imap).created
    assert len(created) == len(cases)
    for case, ticket_id in zip(cases, created, strict=True):
        case.ticket_id, case.ours = ticket_id, _answer_and_resolve(sqlite_engine, ticket_id)
        assert re.fullmatch(r"<assist\.[A-Za-z0-9_-]{24}@lumen\.app>", case.ours)  # random, not the ticket number

    deliver(imap, *(case.attack() for case in cases))
    report = poll(sqlite_engine, imap)

    assert report.errors == []
    wrong: list[str] = []
    with session_scope(sqlite_engine) as session:
        for case in cases:
            victim = session.get_one(TicketRow, case.ticket_id)
            arrived = session.scalars(select(MessageRow).where(MessageRow.body == f"Attack words {case.n}.")).one()
            joined = arrived.ticket_id == victim.id
            notes = [m.body for m in arrived.ticket.messages if m.author_role == AuthorRole.NOTE.value]
            if joined != case.joins:
                wrong.append(f"{case.path} / {case.sender}: {'joined' if joined else 'did not join'}")
            elif joined and victim.status != TicketStatus.REOPENED.value:
                wrong.append(f"{case.path} / {case.sender}: joined without reopening")
            elif not joined and (victim.status != TicketStatus.RESOLVED.value or len(victim.messages) != 2):
                wrong.append(f"{case.path} / {case.sender}: the customer's ticket changed")
            elif not joined and not any(f"#{victim.id} (by " in note for note in notes):
                wrong.append(f"{case.path} / {case.sender}: no note naming #{victim.id}")  # the agent sees the link
    assert wrong == []


def test_a_guessed_old_style_reply_id_or_a_reused_message_id_starts_a_new_ticket(
    imap: Settings, sqlite_engine: Engine
) -> None:
    deliver(imap, _raw("Vera <vera@example.com>", "<vera1@example.com>", "Invoice", "Vera's words."))
    (victim_id,) = poll(sqlite_engine, imap).created
    _answer_and_resolve(sqlite_engine, victim_id)
    guessed = f"<assist.{victim_id}.2@lumen.app>"  # what our Message-IDs used to be
    deliver(
        imap,
        _raw("Eve <eve@evil.test>", "<e1@evil.test>", "Re: Invoice", "Guessed id.", {"In-Reply-To": guessed}),
        _raw("Eve <eve@evil.test>", "<vera1@example.com>", "Invoice", "Reused id."),  # Vera's own Message-ID
    )
    report = poll(sqlite_engine, imap)
    assert len(report.created) == 2 and victim_id not in report.created and report.errors == []
    with session_scope(sqlite_engine) as session:
        victim = session.get_one(TicketRow, victim_id)
        assert victim.status == TicketStatus.RESOLVED.value and len(victim.messages) == 2
        for ticket_id in report.created:
            assert session.get_one(TicketRow, ticket_id).customer.email == "eve@evil.test"


# The same decision with generated senders, on SQLite and PostgreSQL ----------------------------------------


Render = Callable[[str], str]  # the customer's address -> a From header


@st.composite
def arrivals(draw: st.DrawFn) -> tuple[str, Render, bool]:
    """A header path, a From header built from the customer's address, and whether it may join: the
    customer's own address in any case, with spaces or a display name; or a stranger dressed up as them."""
    path = draw(st.sampled_from(PATHS))
    if draw(st.booleans()):
        flips = draw(st.lists(st.booleans(), min_size=8, max_size=8))
        name = draw(st.sampled_from(["", "Vera", "Vera Victim", '"Victim, Vera"', "=?utf-8?q?V=C3=A9ra?="]))
        pad = draw(st.sampled_from(["", " ", "  "]))

        def own(address: str) -> str:
            typed = "".join(c.upper() if flips[i % 8] else c for i, c in enumerate(address))
            return f"{name} <{pad}{typed}{pad}>" if name else f"{pad}{typed}{pad}"

        return path, own, True
    stranger = draw(st.sampled_from(["eve@evil.test", "victim@example.co", "vera.victim@example.com"]))
    template = draw(
        st.sampled_from(
            [
                "{s}",
                "{a} <{s}>",
                '"{a}" <{s}>',
                "{A} <{s}>",
                "{s} ({a})",
                "{a}, {s}",
                "{s}, {a}",
                "<{a}> {s}",
                "{a} {s}",
                "=?utf-8?b?{b}?= <{s}>",
            ]
        )
    )

    def disguised(address: str) -> str:
        encoded = base64.b64encode(address.encode()).decode()
        return template.format(a=address, A=address.upper(), s=stranger, b=encoded)

    return path, disguised, False


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrival=arrivals())
def test_generated_senders_join_exactly_when_they_are_the_customer(
    engine: Engine, arrival: tuple[str, Render, bool]
) -> None:
    path, render, joins = arrival
    with session_scope(engine) as session:
        customer = make_customer(session)
        victim = make_ticket(session, customer=customer)
        victim.messages[0].external_id = f"<first.{victim.id}@example.com>"
        ours = new_message_id("support@lumen.app")
        add_message(session, ticket=victim, role=AuthorRole.AGENT, body="Done.", actor="test", external_id=ours)
        transition(session, ticket=victim, to=TicketStatus.RESOLVED, actor="test", reason="done")
        victim_id, address = victim.id, customer.email
    header, _, what = path.partition(": ")
    cited = {"our reply": ours, "their mail": f"<first.{victim_id}@example.com>"}
    raw = _raw(
        render(address),
        f"<gen.{victim_id}@elsewhere.test>",
        f"Re: [#{victim_id}]" if path == "tag" else "Re: hello",
        "Generated words.",
        {header: cited[what]} if what else None,
    )
    received = receive(engine, raw, mailbox="support@lumen.test/INBOX", uid=victim_id, max_chars=20_000)
    if joins:
        assert (received.outcome, received.ticket_id) == ("appended", victim_id)
    else:  # a new ticket, or quarantined when From holds no usable address at all ("a@x b@y")
        assert received.outcome in ("created", "quarantined") and received.ticket_id != victim_id
    with session_scope(engine) as session:
        expected = TicketStatus.REOPENED if joins else TicketStatus.RESOLVED
        assert session.get_one(TicketRow, victim_id).status == expected.value


def test_a_mail_with_two_from_headers_never_joins_a_ticket(engine: Engine) -> None:
    """Re-probe of finding 2: a second From header was ignored, so `From: victim` + `From: eve` read as the victim
    for certain and joined her ticket."""
    from assist.mail_in import store
    from assist.mail_parse import parse

    first = b"From: Vera <vera@example.com>\r\nSubject: Invoice\r\nMessage-ID: <v1@example.com>\r\n\r\nWords.\r\n"
    victim_id, _ = store(engine, parse(first), max_chars=20_000)
    twice = (
        b"From: Vera <vera@example.com>\r\nFrom: Eve <eve@evil.test>\r\nSubject: Re: Invoice\r\n"
        b"Message-ID: <e1@evil.test>\r\nIn-Reply-To: <v1@example.com>\r\n\r\nSend the refund to my new card.\r\n"
    )
    mail = parse(twice)
    assert not mail.sender_certain
    ticket_id, outcome = store(engine, mail, max_chars=20_000)
    assert (outcome, ticket_id != victim_id) == ("created", True)
    with session_scope(engine) as session:
        assert len(session.get_one(TicketRow, victim_id).messages) == 1
