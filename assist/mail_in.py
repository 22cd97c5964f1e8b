"""Email in: `python -m assist mail poll [--watch]` turns a support mailbox into tickets.

Each new message becomes a ticket, or a message on the ticket it answers: found by the Message-IDs in
In-Reply-To / References (the customer's earlier mail, or one of our replies, whose Message-ID names
the ticket: `assist.delivery.reply_message_id`), else by a `[#123]` tag in the subject from the same
customer. Only the newest words are stored: quoted history and the signature are cut by
mail-parser-reply; attachments are listed by name and size.

Exactly once: the mailbox is read by UID above the stored cursor (UIDVALIDITY + last UID, advanced
after each message is stored), and every message is stored with its Message-ID, which the store
keeps unique per ticket. A poll killed between the two re-reads that one message on restart and the
Message-ID answers "unchanged"; a message delivered twice is answered the same way.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from sqlalchemy import Engine, select

from assist.config import Settings
from assist.delivery import ticket_of_reply
from assist.domain import ImportField
from assist.errors import AssistError, ConfigError
from assist.intake import append_from_customer, exactly_once, take_in
from assist.store.db import session_scope
from assist.store.models import MailCursorRow, MessageRow, TicketRow

ACTOR = "intake:mail"
FETCH_BATCH = 20
_MESSAGE_IDS = re.compile(r"<[^<>\s]+>")
_TAG = re.compile(r"\[#(\d+)\]")


@dataclass(frozen=True)
class InboundMail:
    message_id: str
    sender: str
    name: str
    subject: str
    body: str  # the newest words, attachments listed at the end
    answers: tuple[str, ...]  # Message-IDs from In-Reply-To, then References (newest first)
    sent_at: datetime | None


@dataclass
class PollReport:
    created: list[int] = field(default_factory=list)
    appended: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse(raw: bytes) -> InboundMail:
    """One RFC 5322 message as the parts a ticket needs."""
    from mailparser_reply import EmailReplyParser

    message: Any = BytesParser(policy=policy.default).parsebytes(raw)
    (name, sender), *_ = getaddresses([str(message.get("From", ""))]) or [("", "")]
    text = _text(message)
    newest = EmailReplyParser(languages=["en"]).read(text=text).replies
    body = (newest[0].body if newest and newest[0].body.strip() else text).strip()
    files = [
        f"{part.get_filename()} ({_size(len(part.get_payload(decode=True) or b''))})"
        for part in message.walk()
        if part.get_filename()
    ]
    if files:
        body = f"{body}\n\n[Attachments: {', '.join(files)}]".strip()
    answers = _MESSAGE_IDS.findall(str(message.get("In-Reply-To", "")))
    answers += reversed(_MESSAGE_IDS.findall(str(message.get("References", ""))))
    found = _MESSAGE_IDS.findall(str(message.get("Message-ID", "")))
    message_id = found[0] if found else f"<sha256.{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id>"
    return InboundMail(
        message_id=message_id[:200],
        sender=sender.strip().lower(),
        name=name.strip(),
        subject=str(message.get("Subject", "")).strip(),
        body=body or "(no text)",
        answers=tuple(dict.fromkeys(answers)),
        sent_at=_date(str(message.get("Date", ""))),
    )


def store(engine: Engine, mail: InboundMail, *, max_chars: int) -> tuple[int, str]:
    """(ticket id, "created" | "appended" | "unchanged") for one message, exactly once."""

    def into_its_thread(session: Any) -> tuple[int, str] | None:
        ticket = _thread_of(session, mail)
        if ticket is None:
            return None
        outcome = append_from_customer(
            session, ticket, body=mail.body, key=mail.message_id, actor=ACTOR, at=mail.sent_at, max_chars=max_chars
        )
        return ticket.id, outcome

    threaded = exactly_once(engine, into_its_thread)
    if threaded is not None:
        return threaded
    values = {
        ImportField.EXTERNAL_ID: f"mail:{mail.message_id}"[:100],
        ImportField.CUSTOMER_EMAIL: mail.sender,
        ImportField.CUSTOMER_NAME: mail.name,
        ImportField.SUBJECT: mail.subject[:300],
        ImportField.BODY: mail.body,
        ImportField.MESSAGE_ID: mail.message_id,
        ImportField.CREATED: mail.sent_at.isoformat() if mail.sent_at else "",
    }
    return take_in(engine, values, actor=ACTOR, max_chars=max_chars)


def poll(engine: Engine, settings: Settings, *, announce: Callable[[int], None] = lambda _: None) -> PollReport:
    """Read every message above the cursor, oldest first; the cursor moves after each stored message."""
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
                try:
                    ticket_id, outcome = store(engine, parse(raw), max_chars=settings.max_message_chars)
                    getattr(report, outcome).append(ticket_id)
                    if outcome != "unchanged":
                        announce(ticket_id)
                except AssistError as e:  # a message we cannot take is reported, not retried forever
                    report.errors.append(f"UID {uid}: {e}")
                _advance(engine, mailbox, validity, uid)
    return report


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


def _thread_of(session: Any, mail: InboundMail) -> TicketRow | None:
    for answered in mail.answers:
        ticket_id = ticket_of_reply(answered)
        if ticket_id is None:
            ticket_id = session.scalar(select(MessageRow.ticket_id).where(MessageRow.external_id == answered).limit(1))
        ticket: TicketRow | None = session.get(TicketRow, ticket_id) if ticket_id is not None else None
        if ticket is not None:
            return ticket
    tag = _TAG.search(mail.subject)
    tagged: TicketRow | None = session.get(TicketRow, int(tag.group(1))) if tag else None
    if tagged is not None and tagged.customer.email.lower() == mail.sender:
        return tagged
    return None


def _cursor(engine: Engine, mailbox: str, validity: int) -> int:
    with session_scope(engine) as session:
        row = session.get(MailCursorRow, mailbox)
        return row.last_uid if row is not None and row.uidvalidity == validity else 0


def _advance(engine: Engine, mailbox: str, validity: int, uid: int) -> None:
    with session_scope(engine) as session:
        row = session.get(MailCursorRow, mailbox)
        if row is None:
            session.add(MailCursorRow(mailbox=mailbox, uidvalidity=validity, last_uid=uid))
        else:
            row.uidvalidity, row.last_uid = validity, max(uid, row.last_uid if row.uidvalidity == validity else 0)


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = str(part.get_content())
    if part.get_content_type() == "text/html":
        from bs4 import BeautifulSoup

        content = BeautifulSoup(content, "html.parser").get_text("\n")
    return content


def _date(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"
