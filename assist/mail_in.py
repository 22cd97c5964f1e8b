"""Email in: `python -m assist mail poll [--watch]` turns a support mailbox into tickets.

Each new message becomes a ticket, or a message on the ticket it answers, decided by
`mail_threading.thread_of`: a mail joins a ticket it cites (In-Reply-To / References naming a stored
Message-ID, ours or the customer's, or a `[#123]` subject tag) only when it comes from that ticket's
customer; anything else is a new ticket with a note naming the ticket it referred to. Only the newest
words are stored (`mail_parse`); a long mail is shortened with a visible note, never refused.

No single message can stop intake: `receive` stores a message or, whatever goes wrong with it,
quarantines it whole with the reason (`mail quarantine`, the Admin page, with a Retry), and the read
position moves on. Only an unreachable database stops a poll (the next poll reads that message again).

Exactly once: the mailbox is read by UID above the stored cursor (UIDVALIDITY + last UID, advanced
after each message is stored or quarantined), and every message is stored with its Message-ID, which
the store keeps unique per ticket. A poll killed between the two re-reads that one message on restart
and the Message-ID answers "unchanged" (a quarantined one is recognised by its digest); a message
delivered twice is answered the same way.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from assist.arrival import admit
from assist.config import Settings
from assist.domain import QuarantinedMail, User
from assist.errors import AssistError, ConfigError, ValidationError
from assist.identifiers import MAX_EXTERNAL_ID_CHARS, check_external_id, normalise_email
from assist.intake import append_from_customer, exactly_once, store_admitted
from assist.mail_parse import InboundMail, parse, summary
from assist.mail_threading import Citation, note_for, thread_of
from assist.masking import CARDS_ONLY, MaskRules, mask
from assist.store import audit, limits
from assist.store import mail as mail_store
from assist.store.actors import check_session, require
from assist.store.db import session_scope
from assist.times import arrival_time, utcnow
from assist.users import require_current

__all__ = [
    "InboundMail",
    "PollReport",
    "Received",
    "parse",
    "poll",
    "quarantined",
    "receive",
    "retry_quarantined",
    "store",
]

ACTOR = "intake:mail"
FETCH_BATCH = 20
log = logging.getLogger(__name__)


@dataclass
class PollReport:
    created: list[int] = field(default_factory=list)
    appended: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    quarantined: list[int] = field(default_factory=list)  # quarantine ids (`mail quarantine` lists them)
    errors: list[str] = field(default_factory=list)  # one line per message that was not stored, and why


@dataclass(frozen=True)
class Received:
    outcome: str  # "created" | "appended" | "unchanged" | "quarantined"
    ticket_id: int | None = None
    quarantine_id: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class _NewTicket:
    external_id: str
    refused: tuple[Citation, ...]


def receive(
    engine: Engine,
    raw: bytes,
    *,
    mailbox: str,
    uid: int,
    max_chars: int,
    masking: MaskRules = CARDS_ONLY,
    holdout_percent: int = 0,
) -> Received:
    """One message, whatever it holds: stored on a ticket, or quarantined with the reason.

    Raises only when the database cannot be reached (OperationalError, InterfaceError): that is no
    fault of the message, and the next poll reads it again."""
    stored = _attempt(engine, raw, max_chars=max_chars, masking=masking, holdout_percent=holdout_percent)
    if not isinstance(stored, str):
        ticket_id, outcome = stored
        return Received(outcome=outcome, ticket_id=ticket_id)
    sender, subject = summary(raw)
    digest = hashlib.sha256(raw).hexdigest()

    def keep(session: Session) -> int:
        return mail_store.quarantine(
            session,
            digest=digest,
            mailbox=mailbox[: limits.QUARANTINE_MAILBOX],
            uid=uid,
            sender=sender[: limits.QUARANTINE_SENDER],
            subject=mask(subject, rules=masking).text[: limits.QUARANTINE_SUBJECT],  # the mail is kept whole
            reason=stored,
            raw=raw,
        )

    quarantine_id = exactly_once(engine, keep)  # a second poller keeping the same bytes finds the first row
    return Received(outcome="quarantined", quarantine_id=quarantine_id, reason=stored)


def _attempt(
    engine: Engine, raw: bytes, *, max_chars: int, masking: MaskRules, holdout_percent: int
) -> tuple[int, str] | str:
    """(ticket id, outcome) when the message is stored, else the reason it could not be."""
    try:
        return store(engine, parse(raw), max_chars=max_chars, masking=masking, holdout_percent=holdout_percent)
    except (OperationalError, InterfaceError):
        raise
    except AssistError as e:
        return str(e)[: limits.QUARANTINE_REASON]
    except Exception as e:  # any other failure is this message's alone: keep it and move on
        log.exception("mail could not be stored; quarantined")
        return f"{type(e).__name__}: {str(e)[:500]} (a defect: report it with the quarantined mail)"


def store(
    engine: Engine, mail: InboundMail, *, max_chars: int, masking: MaskRules = CARDS_ONLY, holdout_percent: int = 0
) -> tuple[int, str]:
    """(ticket id, "created" | "appended" | "unchanged") for one message, exactly once; card numbers (and what
    `masking` adds) masked in what is stored."""
    if not mail.sender:
        raise ValidationError(
            "the mail names no sender address in From, so there is no customer to answer. "
            "Read it in the mailbox and open a ticket by hand if it needs one."
        )

    sent_at = _sent_at(mail)
    follow_up = admit(mail.arrival(sent_at=sent_at), max_chars=max_chars, masking=masking)  # checked before writing

    def join(session: Session) -> tuple[int, str] | _NewTicket:
        threading = thread_of(session, mail)
        if threading.ticket_id is None:
            return _NewTicket(external_id=_external_id(session, mail), refused=threading.refused)
        return threading.ticket_id, append_from_customer(
            session, threading.ticket_id, follow_up, actor=ACTOR, max_chars=max_chars
        )

    joined = exactly_once(engine, join)
    if not isinstance(joined, _NewTicket):
        return joined
    # The same checked message, now addressed by the new ticket's id (a mail always has its Message-ID as its key).
    admitted = replace(follow_up, external_id=joined.external_id)
    ticket_id, outcome = store_admitted(
        engine, admitted, actor=ACTOR, max_chars=max_chars, holdout_percent=holdout_percent
    )
    note = note_for(mail, joined.refused)
    if note:
        exactly_once(engine, lambda session: _add_note(session, ticket_id, mail, note))
    return ticket_id, outcome


def _sent_at(mail: InboundMail) -> datetime | None:
    """The Date header when it is believable; else None, the time the mail arrived (a sender's clock in 1970 or
    9999 must not lose the customer's message)."""
    try:
        return arrival_time(mail.sent_at, now=utcnow())
    except ValidationError:
        return None


def _external_id(session: Session, mail: InboundMail) -> str:
    """The new ticket's external id: `mail:<Message-ID>`, unless a ticket of another customer holds that
    id already (anyone can reuse a Message-ID): then one derived from the sender as well."""
    derived = "mail:" + hashlib.sha256(f"{mail.sender}\n{mail.message_id}".encode()).hexdigest()[:40]
    plain = f"mail:{mail.message_id}"[:MAX_EXTERNAL_ID_CHARS]
    try:
        check_external_id(plain)
    except ValidationError:  # a Message-ID with spaces, controls or "%" cannot be an external id: a digest can
        return derived
    holder = mail_store.customer_of_external_id(session, plain)
    if holder is None or normalise_email(holder) == mail.sender:
        return plain
    return derived


def _add_note(session: Session, ticket_id: int, mail: InboundMail, note: str) -> None:
    """The intake's internal note on a new ticket, once (keyed by the mail's Message-ID)."""
    key = f"note:{mail.message_id}"[: limits.MESSAGE_ID]
    mail_store.add_note_once(session, ticket_id=ticket_id, key=key, body=note, actor=ACTOR)


def poll(engine: Engine, settings: Settings, *, announce: Callable[[int], None] = lambda _: None) -> PollReport:
    """Read every message above the cursor, oldest first; the cursor moves after each message, stored
    or quarantined."""
    report = PollReport()
    with connect(settings) as client:
        selected = client.select_folder(settings.imap_folder, readonly=True)
        validity = int(selected[b"UIDVALIDITY"])
        mailbox = f"{settings.imap_user}@{settings.imap_host}/{settings.imap_folder}"
        last = _cursor(engine, mailbox, validity)
        uids = sorted(uid for uid in client.search(["UID", f"{last + 1}:*"]) if uid > last)
        for start in range(0, len(uids), FETCH_BATCH):
            chunk = uids[start : start + FETCH_BATCH]
            fetched = client.fetch(chunk, ["BODY.PEEK[]"])
            for uid in chunk:
                raw = fetched.get(uid, {}).get(b"BODY[]", b"")
                if not raw:
                    report.errors.append(f"UID {uid}: the server returned no message (deleted meanwhile?)")
                else:
                    received = receive(
                        engine,
                        raw,
                        mailbox=mailbox,
                        uid=uid,
                        max_chars=settings.max_message_chars,
                        masking=MaskRules.from_settings(settings),
                        holdout_percent=settings.assist_holdout_percent,
                    )
                    if received.quarantine_id is not None:
                        report.quarantined.append(received.quarantine_id)
                        report.errors.append(f"UID {uid}: quarantined (#{received.quarantine_id}): {received.reason}")
                    elif received.ticket_id is not None:
                        getattr(report, received.outcome).append(received.ticket_id)
                        if received.outcome != "unchanged":
                            announce(received.ticket_id)
                _advance(engine, mailbox, validity, uid)
    return report


def quarantined(engine: Engine, *, actor: User) -> list[QuarantinedMail]:
    """Mails the poll could not store, newest first (admins)."""
    require_current(engine, actor, action="see mail that could not be read")
    with session_scope(engine) as session:
        return mail_store.waiting(session)


def retry_quarantined(
    engine: Engine,
    *,
    quarantine_id: int,
    actor: User,
    max_chars: int,
    masking: MaskRules = CARDS_ONLY,
    holdout_percent: int = 0,
) -> Received:
    """Try a quarantined mail again (after an upgrade, say): stored, or still quarantined with the new reason.

    Raises:
        NotFoundError: no such quarantined mail waits (a retry stored it already).
    """
    require(actor, action="retry mail that could not be read")
    # Checked before the attempt: what the attempt stores is the customer's mail, as the poll would store it.
    check_session(engine, actor=actor)
    with session_scope(engine) as session:
        raw = mail_store.held(session, quarantine_id).raw
    stored = _attempt(engine, raw, max_chars=max_chars, masking=masking, holdout_percent=holdout_percent)
    ticket_id, reason = (None, stored) if isinstance(stored, str) else (stored[0], "")
    with session_scope(engine) as session:
        mail_store.retried(session, quarantine_id, ticket_id=ticket_id, reason=reason)
        audit.record(
            session,
            actor=actor.email,
            action="mail.retry",
            entity_type="mail_quarantine",
            entity_id=quarantine_id,
            detail={"ticket_id": ticket_id, "reason": reason[:200]},
        )
    if isinstance(stored, str):
        return Received(outcome="quarantined", quarantine_id=quarantine_id, reason=stored)
    return Received(outcome=stored[1], ticket_id=stored[0])


def watch(
    engine: Engine, settings: Settings, *, report: Callable[[PollReport], None], stop: Callable[[], bool]
) -> None:
    while not stop():
        report(poll(engine, settings))
        time.sleep(settings.mail_poll_seconds)


@contextmanager
def connect(settings: Settings) -> Iterator[Any]:
    from imapclient import IMAPClient

    if not (settings.imap_host and settings.imap_user and settings.imap_password):
        raise ConfigError("Set IMAP_HOST, IMAP_USER and IMAP_PASSWORD to read a mailbox.")
    ssl = settings.imap_security == "ssl"
    port = settings.imap_port or (993 if ssl else 143)
    try:
        client = IMAPClient(settings.imap_host, port=port, ssl=ssl, timeout=30)
        if settings.imap_security == "starttls":
            client.starttls()
        client.login(settings.imap_user, settings.imap_password.get_secret_value())
    except (OSError, IMAPClient.Error) as e:
        raise ConfigError(
            f"Cannot read {settings.imap_user}@{settings.imap_host}:{port} ({type(e).__name__}: {str(e)[:160]}). "
            "Check IMAP_HOST, IMAP_PORT, IMAP_SECURITY and the credentials."
        ) from e
    try:
        yield client
    finally:
        with suppress(Exception):  # the server may have gone already; nothing to keep
            client.logout()


def _cursor(engine: Engine, mailbox: str, validity: int) -> int:
    with session_scope(engine) as session:
        return mail_store.mail_cursor(session, mailbox=mailbox, validity=validity)


def _advance(engine: Engine, mailbox: str, validity: int, uid: int) -> None:
    with session_scope(engine) as session:
        mail_store.advance_mail_cursor(session, mailbox=mailbox, validity=validity, uid=uid)
