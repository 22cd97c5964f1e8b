"""Header injection through a stored subject (issue 31, finding 18).

An RFC 2047 encoded Subject carrying CRLF + "Bcc:" was stored as the ticket's subject; every reply on that
ticket then failed for good (Python's `email` refuses a header value with a line break). One function,
`mail_headers.clean_header`, now cleans every header value on the way in and on the way out: the reply
reaches a real SMTP server (a small one the test starts) with exactly one Subject and nothing injected.
"""

from __future__ import annotations

import re
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from assist.config import Settings
from assist.delivery import deliver_due, reply_email, transport
from assist.domain import OutgoingReply
from assist.mail_headers import clean_header
from assist.mail_in import poll
from assist.store import outbox, session_scope
from assist.store.models import MessageRow, OutboxRow, TicketRow
from assist.ticket_actions import deliveries, send_reply
from tests.factories import make_actor, make_customer, make_ticket
from tests.test_mail_in import deliver

INJECTED_SUBJECT = "=?utf-8?q?Refund_please=0D=0ABcc:_attacker@evil.test=0D=0AX-Injected:_yes?="


class _Sink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept mail: records the envelope recipients and the message."""

    received: ClassVar[list[tuple[list[str], bytes]]] = []

    def handle(self) -> None:
        recipients: list[str] = []
        self.wfile.write(b"220 sink ready\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                type(self).received.append((recipients, data))
                recipients = []
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"RCPT":
                recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # EHLO, HELO, MAIL, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp() -> Iterator[Settings]:
    _Sink.received = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Sink)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Settings(smtp_host="127.0.0.1", smtp_port=server.server_address[1], smtp_from="support@lumen.app")
    server.shutdown()
    server.server_close()


def _reply(engine: Engine, ticket_id: int, settings: Settings) -> str:
    with session_scope(engine) as session:
        agent = make_actor(session, role="agent")
        version = session.get_one(TicketRow, ticket_id).version
    sent = send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=version,
        text="Your refund is on its way.",
        draft_id=None,
        actor=agent,
        resolve=False,
        settings=settings,
    )
    deliver_due(engine, send=transport(settings), max_attempts=3)  # the courier's work: a Send only queues
    return deliveries(engine, ticket_id=ticket_id)[sent.message_id].status


def _only_header_lines(data: bytes) -> list[str]:
    head = data.split(b"\r\n\r\n", 1)[0].decode()
    return [line for line in head.split("\r\n") if line and not line[0].isspace()]


def test_a_reply_on_a_ticket_whose_mailed_subject_carried_crlf_bcc_is_delivered_clean(
    imap: Settings, smtp: Settings, engine: Engine
) -> None:
    raw = (
        f"From: Rita <rita@example.com>\r\nSubject: {INJECTED_SUBJECT}\r\nMessage-ID: <r1@example.com>\r\n\r\n"
        "Where is my refund?\r\n"
    ).encode()
    deliver(imap, raw)
    (ticket_id,) = poll(engine, imap).created
    with session_scope(engine) as session:
        subject = session.get_one(TicketRow, ticket_id).subject
    assert subject == "Refund please Bcc: attacker@evil.test X-Injected: yes"  # one line of text

    assert _reply(engine, ticket_id, smtp) == "sent"

    ((recipients, data),) = _Sink.received
    assert recipients == ["rita@example.com"]
    names = [line.split(":", 1)[0].lower() for line in _only_header_lines(data)]
    assert names.count("subject") == 1 and "bcc" not in names and "x-injected" not in names
    message = message_from_bytes(data, policy=policy.default)
    assert message["Subject"] == f"Re: Refund please Bcc: attacker@evil.test X-Injected: yes [#{ticket_id}]"


def test_a_subject_stored_with_line_breaks_by_another_channel_is_cleaned_on_the_way_out(
    smtp: Settings, sqlite_engine: Engine
) -> None:
    with session_scope(sqlite_engine) as session:  # as an import or an older version may have stored it
        ticket = make_ticket(session, customer=make_customer(session, email="sol@example.com"))
        ticket.subject = "Invoice\r\nBcc: attacker@evil.test\u2028X-Injected: yes\x00"
        ticket_id = ticket.id

    assert _reply(sqlite_engine, ticket_id, smtp) == "sent"

    ((recipients, data),) = _Sink.received
    names = [line.split(":", 1)[0].lower() for line in _only_header_lines(data)]
    assert recipients == ["sol@example.com"] and names.count("subject") == 1
    assert "bcc" not in names and "x-injected" not in names


def test_a_stored_address_holding_an_encoded_word_is_never_mailed_to_the_address_it_decodes_to(
    smtp: Settings, sqlite_engine: Engine
) -> None:
    """Re-probe of issue 31: `=?utf-8?q?ceo?=@victimcorp.example` (stored before addresses were checked for encoded
    words) was shown as one address while the reply's envelope went to ceo@victimcorp.example."""
    with session_scope(sqlite_engine) as session:  # as an older version may have stored it
        customer = make_customer(session, email="sol@example.com")
        customer.email = "=?utf-8?q?ceo?=@victimcorp.example"
        ticket_id = make_ticket(session, customer=customer).id

    assert _reply(sqlite_engine, ticket_id, smtp) != "sent"
    assert _Sink.received == []


@settings(max_examples=80, deadline=None)
@given(
    subject=st.text(st.characters(exclude_categories=[]), max_size=400),  # every code point, lone surrogates too
    in_reply_to=st.text(st.characters(exclude_categories=[]), max_size=120),
    recipient_padding=st.sampled_from(["", " ", "\r\n", "\t"]),
)
def test_any_stored_subject_or_reference_makes_a_valid_reply_with_one_subject(
    subject: str, in_reply_to: str, recipient_padding: str
) -> None:
    row = OutgoingReply(
        outbox_id=1,
        ticket_id=7,
        message_id=1,
        attempt=1,
        channel="smtp",
        recipient=f"{recipient_padding}kim@example.com{recipient_padding}",
        subject=subject,
        body="Hello.",
        message_key="<assist.abc@lumen.app>",
        in_reply_to=in_reply_to or None,
    )
    data = reply_email(Settings(smtp_from="support@lumen.app"), row).as_bytes(policy=policy.SMTP)
    names = [line.split(":", 1)[0].lower() for line in _only_header_lines(data)]
    assert sorted(names) == sorted(
        ["from", "to", "subject", "message-id", "content-type", "content-transfer-encoding", "mime-version"]
        + (["in-reply-to", "references"] if clean_header(in_reply_to) else [])
    )
    parsed = message_from_bytes(data, policy=policy.default)
    assert parsed["To"] == "kim@example.com" and str(parsed["Subject"]).endswith("[#7]")


def test_every_reply_gets_a_fresh_random_message_id_kept_with_it(sqlite_engine: Engine) -> None:
    with session_scope(sqlite_engine) as session:
        ticket_id = make_ticket(session).id
    _reply(sqlite_engine, ticket_id, Settings(smtp_host=None, webhook_url=None, smtp_from="help@acme.test"))
    with session_scope(sqlite_engine) as session:
        (reply,) = session.scalars(select(MessageRow).where(MessageRow.author_role == "agent")).all()
        outbox_id = session.scalars(select(OutboxRow.id)).one()
        reply_out = outbox.outgoing(session, outbox_id=outbox_id)
        assert reply.external_id is not None
        assert re.fullmatch(r"<assist\.[A-Za-z0-9_-]{24}@acme\.test>", reply.external_id)  # 144 random bits
        assert reply_email(Settings(smtp_from="help@acme.test"), reply_out)["Message-ID"] == reply.external_id
