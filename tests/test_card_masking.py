"""Card numbers are masked on every arrival path before anything is stored; the audit log says so, never the number."""

from __future__ import annotations

import json
import time
from urllib.parse import unquote, urlsplit

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, select

from assist.arrival import _content_key
from assist.config import Settings
from assist.intake import guess_mapping, import_rows, read_rows
from assist.intake_api import create_app
from assist.mail_in import receive
from assist.masking import MaskRules
from assist.signing import signature, timestamped
from assist.store import session_scope
from assist.store.models import AuditEventRow, MailQuarantineRow, MessageRow, TicketRow
from assist.users import OPERATOR

CARD = "4242 4242 4242 4242"
DIGITS = "424242424242"  # any eight-plus of the card's digits in a row would be a leak; its last four are kept
TYPED = f"My card {CARD} was charged twice, call me at +1 415 555 0100"


def _stored(engine: Engine, ticket_id: int) -> tuple[str, str, str, list[str]]:
    """The subject, preview, every message body and every audit detail of the ticket, as stored."""
    with session_scope(engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        bodies = session.scalars(select(MessageRow.body).where(MessageRow.ticket_id == ticket_id)).all()
        audit = session.scalars(select(AuditEventRow)).all()
        return (
            ticket.subject,
            ticket.preview,
            "\n".join(bodies),
            [f"{e.action} {json.dumps(e.detail)}" for e in audit],
        )


def _assert_masked(engine: Engine, ticket_id: int, *, counts: tuple[str, ...]) -> None:
    """Never the card's digits in what is stored; one audit event per message that was masked ("masked 2 card
    numbers": `counts` holds each one's plural ending)."""
    subject, preview, bodies, audit = _stored(engine, ticket_id)
    for text in (subject, preview, bodies, *audit):
        assert DIGITS not in text.replace(" ", "").replace("-", ""), text
    assert "[card ending 4242]" in bodies and "[card ending 4242]" in preview
    masked = [a for a in audit if a.startswith("message.masked ")]
    assert len(masked) == len(counts), audit
    assert all(f"card number{s} in a message of ticket #{ticket_id}" in m for m, s in zip(masked, counts, strict=True))


def test_an_imported_row_and_its_follow_up_are_stored_masked(engine: Engine) -> None:
    csv = (
        "Ticket ID,Subject,Description,Requester email,Created at\n"
        f'Z-1,Charged twice on {CARD},"{TYPED}",dana@acme.example,2026-10-01 09:00\n'
        f"Z-1,,Still waiting. Card was 4242-4242-4242-4242,dana@acme.example,2026-10-02 09:00\n"
    )
    rows = read_rows("export.csv", csv.encode(), max_bytes=100_000)
    report = import_rows(engine, rows, mapping=guess_mapping(list(rows[0])), actor=OPERATOR, max_chars=5000)
    assert report.created and report.appended and not report.errors
    _assert_masked(engine, report.created[0], counts=("s", ""))  # the first in its subject and its body
    subject, *_ = _stored(engine, report.created[0])
    assert subject == "Charged twice on [card ending 4242]"
    with session_scope(engine) as session:  # the message's key digests the masked body, never the number
        first = session.scalars(select(MessageRow).order_by(MessageRow.id)).first()
        assert first is not None
        assert first.external_id == _content_key("Z-1", first.created_at, TYPED.replace(CARD, "[card ending 4242]"))
    again = import_rows(engine, rows, mapping=guess_mapping(list(rows[0])), actor=OPERATOR, max_chars=5000)
    assert len(again.unchanged) == 2  # the masked message is still "the same message" on a re-import


def test_a_ticket_over_the_http_intake_is_stored_masked_and_phones_too_when_set(engine: Engine) -> None:
    settings = Settings(intake_secret=SecretStr("s" * 32), mask_phone_numbers=True)
    client = TestClient(create_app(engine, settings, announce=lambda _ticket_id: None))
    body = json.dumps(
        {"external_id": "ZD-9", "customer_email": "ana@example.com", "subject": "Refund", "body": TYPED}
    ).encode()
    stamp = str(int(time.time()))
    path = "/api/tickets"
    sig = signature("s" * 32, timestamped(stamp, unquote(urlsplit(path).path), body))
    response = client.post(
        path,
        content=body,
        headers={"Content-Type": "application/json", "X-Assist-Timestamp": stamp, "X-Assist-Signature": sig},
    )
    assert response.status_code == 201, response.text
    ticket_id = response.json()["ticket_id"]
    _, _, bodies, audit = _stored(engine, ticket_id)
    assert bodies == "My card [card ending 4242] was charged twice, call me at [phone ending 0100]"
    assert not any("415" in a or "0100" in a.split("summary")[0] for a in audit)
    assert any("masked 1 card number and 1 phone number in a message of ticket" in a for a in audit)


def _mail(message_id: str, body: str, *, subject: str = "Refund", reply_to: str = "") -> bytes:
    headers = f"From: Vera <vera@example.com>\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n"
    if reply_to:
        headers += f"In-Reply-To: {reply_to}\r\n"
    return (headers + "\r\n" + body + "\r\n").encode()


def test_a_mail_and_its_threaded_reply_are_stored_masked(sqlite_engine: Engine) -> None:
    first = receive(
        sqlite_engine, _mail("<v1@example.com>", TYPED, subject=f"card {CARD}"), mailbox="m", uid=1, max_chars=20_000
    )
    assert first.outcome == "created" and first.ticket_id is not None
    reply = _mail("<v2@example.com>", "Again: 4242424242424242", subject="Re: card", reply_to="<v1@example.com>")
    second = receive(sqlite_engine, reply, mailbox="m", uid=2, max_chars=20_000)
    assert (second.outcome, second.ticket_id) == ("appended", first.ticket_id)
    _assert_masked(sqlite_engine, first.ticket_id, counts=("s", ""))
    _, _, bodies, _ = _stored(sqlite_engine, first.ticket_id)
    assert "+1 415 555 0100" in bodies  # phone numbers stay unless MASK_PHONE_NUMBERS is set


def test_a_quarantined_mail_lists_its_subject_masked(sqlite_engine: Engine) -> None:
    raw = b"Subject: card " + CARD.encode() + b"\r\nMessage-ID: <q1@example.com>\r\n\r\nNo sender.\r\n"
    received = receive(sqlite_engine, raw, mailbox="m", uid=3, max_chars=20_000, masking=MaskRules())
    assert received.outcome == "quarantined"
    with session_scope(sqlite_engine) as session:
        assert session.scalars(select(MailQuarantineRow.subject)).one() == "card [card ending 4242]"
