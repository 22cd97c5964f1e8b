"""Handing sent replies out: an outbox row always; SMTP and/or an HMAC-signed webhook when configured.

A Send only writes the outbox row and wakes the process's `Courier`, a background thread that delivers
(so an agent never waits for a mail server, and a hung relay holds up no click). Every delivery attempt
first claims its row (`assist.store.outbox.claim`, one conditional UPDATE that exactly one caller can win on
every database): one attempt per row at a time, however many threads, processes or app replicas deliver. A
claim is leased, so the row of a claimer that died is due again after `LEASE`.

Delivery runs after the reply is committed, so a mail server outage never loses a reply: failed
attempts are retried with exponential backoff (1, 2, 4 ... minutes, capped at an hour) until
`delivery_max_attempts`, then marked failed and shown in the workspace for a manual retry.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import httpx
from sqlalchemy import Engine

from assist.config import Settings
from assist.domain import Channel, OutgoingReply
from assist.mail_headers import clean_header, is_plain_address
from assist.signing import signature
from assist.store import outbox
from assist.times import utcnow

log = logging.getLogger(__name__)
Transport = Callable[[OutgoingReply], None]  # raises on failure
MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(minutes=5)  # longer than any transport's timeouts: a live claimer finishes well before
POLL_S = 5.0  # the courier also looks this often (retries whose backoff ended, rows other processes queued)

_DOMAIN = re.compile(r"^[A-Za-z0-9.-]{1,200}$")


@dataclass(frozen=True)
class WayOut:
    """One way a reply can leave: its name (kept on the outbox row when the reply is sent), the channels it may
    answer, whether this deployment configured it, and how it sends."""

    name: str
    answers: frozenset[Channel]
    configured: Callable[[Settings], bool]
    send: Callable[[Settings, OutgoingReply], None]


def _chat(settings: Settings, reply: OutgoingReply) -> None:
    _post(settings, settings.chat_reply_url or "", reply)  # chosen only when configured


def _webhook(settings: Settings, reply: OutgoingReply) -> None:
    _post(settings, settings.webhook_url or "", reply)  # chosen only when configured


def _smtp(settings: Settings, reply: OutgoingReply) -> None:
    smtp_send(settings, reply_email(settings, reply))


def smtp_send(settings: Settings, message: EmailMessage) -> None:
    """One mail through the configured SMTP server (replies, unlock links)."""
    assert settings.smtp_host is not None
    smtp_class = smtplib.SMTP_SSL if settings.smtp_port == 465 else smtplib.SMTP
    with smtp_class(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_port != 465 and smtp.has_extn("starttls"):
            smtp.starttls()
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        smtp.send_message(message, to_addrs=[str(message["To"])])  # only ever the customer


def reply_email(settings: Settings, row: OutgoingReply) -> EmailMessage:
    """The reply as an email in the customer's thread (In-Reply-To / References their last mail).

    Every header value passes `clean_header`, whatever was stored: a subject that arrived with a line
    break (an RFC 2047 encoded CRLF + "Bcc:") is one line here, so the reply is sent and injects nothing.

    Raises:
        ValueError: the recipient is not one plain address (the attempt fails and is shown, never sent
            elsewhere).
    """
    recipient = clean_header(row.recipient)
    if not is_plain_address(recipient):
        raise ValueError(f"the recipient {recipient[:80]!r} is not one plain e-mail address; correct the customer's")
    message = EmailMessage()
    message["From"], message["To"] = clean_header(settings.smtp_from), recipient
    # The tag threads a reply whose headers were stripped; the subject is cut so that the tag always fits.
    message["Subject"] = f"Re: {clean_header(row.subject, limit=300)} [#{row.ticket_id}]"
    message["Message-ID"] = clean_header(row.message_key or new_message_id(settings.smtp_from))
    answered = clean_header(row.in_reply_to or "")
    if answered:
        message["In-Reply-To"] = message["References"] = answered
    message.set_content(row.body)
    return message


def new_message_id(sender: str) -> str:
    """A Message-ID for one of our replies: random, so nobody can guess it from the ticket number (the old
    `<assist.<ticket>.<n>@...>` could be). It is stored as the reply's external id, so the customer's
    answer citing it finds the ticket (`mail_threading.thread_of`)."""
    domain = clean_header(sender).rpartition("@")[2].strip("<> ")
    return f"<assist.{secrets.token_urlsafe(18)}@{domain if _DOMAIN.match(domain) else 'assist.local'}>"


def _post(settings: Settings, url: str, row: OutgoingReply) -> None:
    """The reply as signed JSON to the helpdesk's webhook or the chat endpoint."""
    body = json.dumps(
        {
            "ticket_id": row.ticket_id,
            "message_id": row.message_id,
            "to": row.recipient,
            "subject": row.subject,
            "body": row.body,
        }
    ).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": f"assist-message-{row.message_id}"}
    if settings.webhook_secret:
        headers["X-Assist-Signature"] = signature(settings.webhook_secret.get_secret_value(), body)
    response = httpx.post(url, content=body, headers=headers, timeout=10)
    response.raise_for_status()


# In order of preference: a reply leaves by the first configured way that answers its ticket's channel. A chat
# ticket is answered on the chat endpoint or through the helpdesk's webhook, never by mail; an e-mail, web-form or
# phone ticket by mail, else through the webhook. A new way out is one function and one line here.
WAYS_OUT = (
    WayOut("chat", frozenset({Channel.CHAT}), lambda s: bool(s.chat_reply_url), _chat),
    WayOut("smtp", frozenset(Channel) - {Channel.CHAT}, lambda s: bool(s.smtp_host), _smtp),
    WayOut("webhook", frozenset(Channel), lambda s: bool(s.webhook_url), _webhook),
)


def way_out(settings: Settings, came_by: Channel) -> str:
    """How a reply to a ticket that came by `came_by` leaves (`WAYS_OUT`); "none": the reply is only recorded
    (the helpdesk exports it)."""
    return next((w.name for w in WAYS_OUT if came_by in w.answers and w.configured(settings)), "none")


def transport(settings: Settings) -> Transport | None:
    """Delivers each claimed reply the way chosen when it was sent; None when no way out is configured (replies
    are only recorded, exported by the helpdesk)."""
    ways = {w.name: w for w in WAYS_OUT if w.configured(settings)}
    if not ways:
        return None

    def send(reply: OutgoingReply) -> None:
        way = ways.get(reply.channel)
        if way is None:  # configured when it was sent, not now: the attempt fails and is shown, never rerouted
            raise ValueError(f"no {reply.channel} delivery is configured now; configure it, then retry")
        way.send(settings, reply)

    return send


def deliver_due(
    engine: Engine, *, send: Transport | None, max_attempts: int, now: datetime | None = None, lease: timedelta = LEASE
) -> int:
    """Try every outbox row that is due, each under its own claim; returns how many were delivered now."""
    now = now or utcnow()
    if send is None:  # replies are only recorded (the helpdesk exports them)
        outbox.record_due(engine, now=now)
        return 0
    delivered = 0
    for outbox_id in outbox.due(engine, now=now):
        reply = claim(engine, outbox_id=outbox_id, now=now, lease=lease)
        if reply is not None:  # else another thread, process or replica has it
            delivered += _attempt(engine, reply, send=send, max_attempts=max_attempts, now=now)
    return delivered


def claim(engine: Engine, *, outbox_id: int, now: datetime, lease: timedelta = LEASE) -> OutgoingReply | None:
    """Take one due row for one attempt (`assist.store.outbox.claim`, under the courier's lease); None when
    another claimer holds it or it is not due."""
    return outbox.claim(engine, outbox_id=outbox_id, now=now, lease=lease)


def _attempt(engine: Engine, reply: OutgoingReply, *, send: Transport, max_attempts: int, now: datetime) -> int:
    """Deliver a claimed row outside any transaction, then record the outcome if the claim still holds."""
    try:
        send(reply)
    except Exception as e:
        error = f"{type(e).__name__}: {str(e)[:500]}"
        retrying = reply.attempt < max_attempts
        outcome: dict[str, object] = {
            "status": "retrying" if retrying else "failed",
            "last_error": error,
            # only while retrying: attempts keep counting across manual retries, and 2**41 minutes overflows
            "next_attempt_at": now + min(MAX_BACKOFF, timedelta(minutes=2 ** (reply.attempt - 1))) if retrying else now,
        }
    else:
        outcome = {"status": "sent", "sent_at": now, "last_error": ""}
    held = outbox.record_outcome(engine, reply, outcome)
    if not held:  # the lease ran out mid-attempt and another claimer took the row over
        log.warning(
            "outbox row %s: attempt %s outlived its lease; its outcome was not recorded", reply.outbox_id, reply.attempt
        )
    return int(outcome["status"] == "sent" and held)


def retry(engine: Engine, *, outbox_id: int) -> None:
    """Put a failed delivery back in the queue (the agent's "retry" button); a row in flight is left alone."""
    outbox.retry(engine, outbox_id=outbox_id)


class Courier:
    """The process's delivery worker: a background thread that delivers due outbox rows, woken by every
    Send (`notify`) and otherwise looking every `poll_s` seconds. Any number may run, in any number of
    processes: `claim` keeps each attempt to one of them."""

    def __init__(self, engine: Engine, *, send: Transport | None, max_attempts: int, poll_s: float = POLL_S) -> None:
        self._engine, self._send, self._max_attempts, self._poll_s = engine, send, max_attempts, poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Courier:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="assist-courier", daemon=True)
            self._thread.start()
        return self

    def notify(self) -> None:
        """A reply was queued: deliver now rather than at the next look."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                deliver_due(self._engine, send=self._send, max_attempts=self._max_attempts)
            except Exception:  # the database is away: try again at the next look
                log.exception("delivering the outbox failed")
            self._wake.wait(self._poll_s)
