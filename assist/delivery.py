"""Handing sent replies out: an outbox row always; SMTP and/or an HMAC-signed webhook when configured.

Delivery runs after the reply is committed, so a mail server outage never loses a reply: failed
attempts are retried with exponential backoff (1, 2, 4 ... minutes, capped at an hour) until
`delivery_max_attempts`, then marked failed and shown in the workspace for a manual retry.
"""

from __future__ import annotations

import json
import re
import secrets
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

import httpx
from sqlalchemy import Engine, select

from assist.config import Settings
from assist.mail_headers import clean_header, is_plain_address
from assist.signing import signature
from assist.store.db import session_scope
from assist.store.models import OutboxRow, utcnow

Transport = Callable[[OutboxRow], None]  # raises on failure
MAX_BACKOFF = timedelta(hours=1)

_DOMAIN = re.compile(r"^[A-Za-z0-9.-]{1,200}$")


def channel(settings: Settings) -> str:
    if settings.smtp_host:
        return "smtp"
    if settings.webhook_url:
        return "webhook"
    return "none"


def transport(settings: Settings) -> Transport | None:
    """The configured way out, or None when replies are only recorded (exported by the helpdesk)."""
    if settings.smtp_host:
        return lambda row: _smtp(settings, row)
    if settings.webhook_url:
        return lambda row: _webhook(settings, row)
    return None


def _smtp(settings: Settings, row: OutboxRow) -> None:
    message = reply_email(settings, row)
    assert settings.smtp_host is not None
    smtp_class = smtplib.SMTP_SSL if settings.smtp_port == 465 else smtplib.SMTP
    with smtp_class(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_port != 465 and smtp.has_extn("starttls"):
            smtp.starttls()
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        smtp.send_message(message, to_addrs=[str(message["To"])])  # only ever the customer


def reply_email(settings: Settings, row: OutboxRow) -> EmailMessage:
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
    message["Message-ID"] = clean_header(row.message.external_id or new_message_id(settings.smtp_from))
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


def _webhook(settings: Settings, row: OutboxRow) -> None:
    assert settings.webhook_url is not None
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
    response = httpx.post(settings.webhook_url, content=body, headers=headers, timeout=10)
    response.raise_for_status()


def deliver_due(engine: Engine, *, send: Transport | None, max_attempts: int, now: datetime | None = None) -> int:
    """Try every outbox row that is due; returns how many were delivered now."""
    now = now or utcnow()
    with session_scope(engine) as session:
        due = list(
            session.scalars(
                select(OutboxRow.id).where(
                    OutboxRow.status.in_(["pending", "retrying"]), OutboxRow.next_attempt_at <= now
                )
            )
        )
    delivered = 0
    for outbox_id in due:
        with session_scope(engine) as session:
            row = session.get(OutboxRow, outbox_id, with_for_update=True)
            if row is None or row.status not in ("pending", "retrying"):
                continue  # another worker took it
            if send is None:
                row.status = "recorded"
                continue
            row.attempts += 1
            try:
                send(row)
            except Exception as e:
                row.last_error = f"{type(e).__name__}: {str(e)[:500]}"
                if row.attempts >= max_attempts:
                    row.status = "failed"
                else:
                    row.status = "retrying"
                    row.next_attempt_at = now + min(MAX_BACKOFF, timedelta(minutes=2 ** (row.attempts - 1)))
            else:
                row.status, row.sent_at, row.last_error = "sent", now, ""
                delivered += 1
    return delivered


def retry(engine: Engine, *, outbox_id: int) -> None:
    """Put a failed delivery back in the queue (the agent's "retry" button)."""
    with session_scope(engine) as session:
        row = session.get_one(OutboxRow, outbox_id)
        row.status, row.next_attempt_at = "pending", utcnow()
