"""Delivery: outbox always, webhook with an HMAC signature, retries with backoff, failures kept."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, select

from assist.config import Settings
from assist.delivery import deliver_due, retry, transport, way_out
from assist.domain import Channel
from assist.signing import signature
from assist.store import session_scope
from assist.store.models import OutboxRow
from assist.ticket_actions import deliveries, send_reply
from assist.times import utcnow
from tests.conftest import SlowSmtp
from tests.factories import make_actor, make_ticket


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[str]:
    _Hook.received, _Hook.status = [], 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/replies"
    server.shutdown()


def _send(engine: Engine, settings: Settings, *, came_by: Channel = Channel.EMAIL) -> int:
    with session_scope(engine) as session:
        ticket = make_ticket(session, channel=came_by)
        agent = make_actor(session)
        ticket_id, version = ticket.id, ticket.version
    send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=version,
        text="Here is the fix.",
        draft_id=None,
        actor=agent,
        resolve=False,
        settings=settings,
    )
    return ticket_id


def test_webhook_delivery_is_signed_with_hmac_sha256(sqlite_engine: Engine, hook: str) -> None:
    settings = Settings(webhook_url=hook, webhook_secret=SecretStr("s3cret"), smtp_host=None)
    ticket_id = _send(sqlite_engine, settings)
    assert deliver_due(sqlite_engine, send=transport(settings), max_attempts=3) == 1  # the courier's work
    ((headers, body),) = _Hook.received
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Assist-Signature"] == expected == signature("s3cret", body)
    assert json.loads(body)["body"] == "Here is the fix."
    (delivery,) = deliveries(sqlite_engine, ticket_id=ticket_id).values()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_failures_retry_with_backoff_then_fail_and_are_never_lost(sqlite_engine: Engine, hook: str) -> None:
    _Hook.status = 503
    settings = Settings(webhook_url=hook, smtp_host=None, delivery_max_attempts=3)
    ticket_id = _send(sqlite_engine, settings)
    (delivery,) = deliveries(sqlite_engine, ticket_id=ticket_id).values()
    assert (delivery.status, delivery.attempts) == ("pending", 0)  # queued: the Send itself delivers nothing
    send = transport(settings)
    assert deliver_due(sqlite_engine, send=send, max_attempts=3) == 0  # the first attempt fails
    (delivery,) = deliveries(sqlite_engine, ticket_id=ticket_id).values()
    assert (delivery.status, delivery.attempts) == ("retrying", 1)
    assert "503" in delivery.last_error
    assert deliver_due(sqlite_engine, send=send, max_attempts=3) == 0  # not due yet: backoff
    with session_scope(sqlite_engine) as session:
        row = session.scalars(select(OutboxRow)).one()
        first_wait = row.next_attempt_at - utcnow()
        assert timedelta(seconds=30) < first_wait <= timedelta(minutes=1)
    later = utcnow() + timedelta(minutes=2)
    deliver_due(sqlite_engine, send=send, max_attempts=3, now=later)
    deliver_due(sqlite_engine, send=send, max_attempts=3, now=later + timedelta(minutes=5))
    (delivery,) = deliveries(sqlite_engine, ticket_id=ticket_id).values()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    _Hook.status = 200
    retry(sqlite_engine, outbox_id=delivery.outbox_id)
    assert deliver_due(sqlite_engine, send=send, max_attempts=3) == 1
    assert deliveries(sqlite_engine, ticket_id=ticket_id)[delivery.message_id].status == "sent"
    assert len(_Hook.received) == 4


def test_a_reply_goes_out_the_way_the_ticket_came_in(sqlite_engine: Engine, hook: str, smtp: int) -> None:
    """Issue 37: the way out was one global choice (SMTP if set), so a chat ticket's reply would have been mailed.
    A chat ticket is answered on the chat endpoint, an e-mail ticket by mail (a local SMTP server); nothing is
    rerouted later."""
    settings = Settings(
        smtp_host="127.0.0.1", smtp_port=smtp, smtp_from="help@lumen.app", chat_reply_url=hook, webhook_url=None
    )
    chat = _send(sqlite_engine, settings, came_by=Channel.CHAT)
    email = _send(sqlite_engine, settings, came_by=Channel.EMAIL)
    assert deliver_due(sqlite_engine, send=transport(settings), max_attempts=3) == 2
    ((_, body),) = _Hook.received
    (mail,) = SlowSmtp.received
    assert json.loads(body)["ticket_id"] == chat
    assert f"[#{email}]".encode() in mail and f"[#{chat}]".encode() not in mail
    assert [d.status for d in deliveries(sqlite_engine, ticket_id=email).values()] == ["sent"]
    # Without a chat endpoint or a webhook, a chat reply is recorded for the helpdesk, never mailed instead.
    only_mail = Settings(smtp_host="127.0.0.1", smtp_port=smtp, chat_reply_url=None, webhook_url=None)
    recorded = _send(sqlite_engine, only_mail, came_by=Channel.CHAT)
    assert [d.status for d in deliveries(sqlite_engine, ticket_id=recorded).values()] == ["recorded"]


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        (
            {"smtp_host": "mail", "webhook_url": "https://hd/hook", "chat_reply_url": "https://chat/r"},
            {"email": "smtp", "web": "smtp", "phone": "smtp", "chat": "chat"},
        ),
        (
            {"smtp_host": "mail", "webhook_url": "https://hd/hook", "chat_reply_url": None},
            {"email": "smtp", "web": "smtp", "phone": "smtp", "chat": "webhook"},
        ),
        (
            {"smtp_host": "mail", "webhook_url": None, "chat_reply_url": None},
            {"email": "smtp", "web": "smtp", "phone": "smtp", "chat": "none"},
        ),  # a chat is never mailed
        (
            {"smtp_host": None, "webhook_url": None, "chat_reply_url": "https://chat/r"},
            {"email": "none", "web": "none", "phone": "none", "chat": "chat"},
        ),  # nor an e-mail put in a chat
    ],
)
def test_each_channel_leaves_by_the_first_configured_way_that_answers_it(
    configured: dict[str, str | None], expected: dict[str, str]
) -> None:
    settings = Settings(**configured)  # type: ignore[arg-type]
    assert {channel.value: way_out(settings, channel) for channel in Channel} == expected
