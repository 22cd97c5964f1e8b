"""Handing sent replies out: an outbox row always; SMTP and/or an HMAC-signed webhook when configured.

Delivery runs after the reply is committed, so a mail server outage never loses a reply: failed
attempts are retried with exponential backoff (1, 2, 4 ... minutes, capped at an hour) until
`delivery_max_attempts`, then marked failed and shown in the workspace for a manual retry.
"""

from __future__ import annotations

import json
import re
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

import httpx
from sqlalchemy import Engine, select

from assist.config import Settings
from assist.signing import signature
from assist.store.db import session_scope
from assist.store.models import OutboxRow, utcnow

Transport = Callable[[OutboxRow], None]  # raises on failure
MAX_BACKOFF = timedelta(hours=1)

_REPLY_ID = re.compile(r"^<assist\.(\d+)\.\d+@")


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
        smtp.send_message(message)


def reply_email(settings: Settings, row: OutboxRow) -> EmailMessage:
    """The reply as an email in the customer's thread (In-Reply-To / References their last mail)."""
    message = EmailMessage()
    message["From"], message["To"] = settings.smtp_from, row.recipient
    message["Subject"] = f"Re: {row.subject} [#{row.ticket_id}]"  # the tag threads a reply with stripped headers
    message["Message-ID"] = reply_message_id(row.ticket_id, row.message_id, settings.smtp_from)
    if row.in_reply_to:
        message["In-Reply-To"] = row.in_reply_to
        message["References"] = row.in_reply_to
    message.set_content(row.body)
    return message


def reply_message_id(ticket_id: int, message_id: int, sender: str) -> str:
    """Our replies' Message-ID names the ticket, so the customer's answer finds it (`ticket_of_reply`)."""
    return f"<assist.{ticket_id}.{message_id}@{sender.rpartition('@')[2] or 'assist.local'}>"


def ticket_of_reply(message_id: str) -> int | None:
    """The ticket named by one of our replies' Message-IDs (`reply_message_id`); None for any other."""
    ours = _REPLY_ID.match(message_id)
    return int(ours.group(1)) if ours else None


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
