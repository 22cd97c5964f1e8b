"""The HTTP intake, over a real database: signatures, replays, limits, validation, and exactly-once retries."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from pydantic import ValidationError as SchemaError
from sqlalchemy import Engine, func, select

from assist.config import Settings
from assist.errors import ConfigError
from assist.intake_api import NewMessage, create_app
from assist.signing import signature, timestamped
from assist.store import session_scope
from assist.store.models import MessageRow, TicketRow

SECRET = "helpdesk-shared-secret"
TICKET = {
    "external_id": "ZD-1001",
    "customer_email": "ana@example.com",
    "customer_name": "Ana Lima",
    "subject": "Export fails",
    "body": "The CSV export stops at 50%.",
    "message_id": "zd-msg-1",
}


@pytest.fixture
def announced() -> list[int]:
    return []


@pytest.fixture
def client(engine: Engine, announced: list[int]) -> TestClient:
    settings = Settings(intake_secret=SecretStr(SECRET), intake_max_bytes=4096)
    return TestClient(create_app(engine, settings, announce=lambda _ticket_id: announced.append(1)))


def post(client: TestClient, path: str, payload: Any, *, at: float | None = None, key: str = SECRET, **headers: str):  # type: ignore[no-untyped-def]
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    stamp = str(int(at if at is not None else time.time()))
    signed = {
        "X-Assist-Timestamp": stamp,
        "X-Assist-Signature": signature(key, timestamped(stamp, unquote(urlsplit(path).path), body)),
    }
    return client.post(path, content=body, headers={"Content-Type": "application/json", **signed, **headers})


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(TicketRow)) or 0,
            session.scalar(select(func.count()).select_from(MessageRow)) or 0,
        )


def test_a_signed_ticket_is_created_and_the_worker_is_told(
    client: TestClient, engine: Engine, announced: list[int]
) -> None:
    response = post(client, "/api/tickets", TICKET)
    assert response.status_code == 201 and response.json()["outcome"] == "created"
    with session_scope(engine) as session:
        ticket = session.get_one(TicketRow, response.json()["ticket_id"])
        assert (ticket.external_id, ticket.subject, ticket.customer.email) == (
            "ZD-1001",
            "Export fails",
            "ana@example.com",
        )
    assert announced == [1]


def test_a_ticket_keeps_the_channel_it_came_by_and_an_unknown_one_is_refused(
    client: TestClient, engine: Engine
) -> None:
    """Issue 37: every HTTP arrival was stored as an e-mail, so a chat ticket's reply would have been mailed."""
    chat = post(client, "/api/tickets", {**TICKET, "external_id": "ZD-2001", "channel": "chat"})
    mailed = post(client, "/api/tickets", {**TICKET, "external_id": "ZD-2002", "message_id": "zd-msg-2"})
    fax = post(client, "/api/tickets", {**TICKET, "external_id": "ZD-2003", "channel": "fax"})
    with session_scope(engine) as session:
        assert session.get_one(TicketRow, chat.json()["ticket_id"]).channel == "chat"
        assert session.get_one(TicketRow, mailed.json()["ticket_id"]).channel == "email"  # the default
    assert fax.status_code == 422 and "channel" in fax.text
    assert counts(engine) == (2, 2)


def test_attachments_and_the_sent_time_arrive_typed_and_are_listed_under_the_message(
    client: TestClient, engine: Engine
) -> None:
    """Issue 37: a request's attachments were dropped (the intake had no field for them) and its time travelled as
    text. Now the request is an `Arrival` like a mail: its files are listed under the body, as a mail's are, on
    a new ticket and on a follow-up, and its time is the moment it names."""
    files = [{"name": "invoice-0042.pdf", "size": 2048}, {"name": "screen\u0000shot.png", "size": 3 * 1024 * 1024}]
    ticket = {**TICKET, "attachments": files, "created_at": "2026-12-01T09:30:00+01:00"}
    created = post(client, "/api/tickets", ticket)
    assert created.status_code == 201, created.text
    ticket_id = created.json()["ticket_id"]
    follow_up = {"customer_email": "ana@example.com", "body": "Here is the log.", "message_id": "zd-msg-9"}
    follow_up["attachments"] = [{"name": f"export-{n}.log", "size": 10} for n in range(25)]
    assert post(client, "/api/tickets/ZD-1001/messages", follow_up).status_code == 201
    with pytest.raises(SchemaError, match="at most 1000 items"):  # within the byte limit or not, refused
        NewMessage.model_validate({**follow_up, "attachments": [{"name": "a", "size": 1}] * 1001})
    with session_scope(engine) as session:
        first, second = session.get_one(TicketRow, ticket_id).messages
        assert first.body == (
            "The CSV export stops at 50%.\n\n[Attachments: invoice-0042.pdf (2 KB), screen\ufffdshot.png (3.0 MB)]"
        )
        assert first.created_at.isoformat() == "2026-12-01T08:30:00+00:00"
        assert second.body.startswith("Here is the log.\n\n[Attachments: export-0.log (10 B), ")
        assert second.body.endswith("export-19.log (10 B) and 5 more]")


def test_a_retried_request_does_not_create_a_second_ticket(
    client: TestClient, engine: Engine, announced: list[int]
) -> None:
    first = post(client, "/api/tickets", TICKET)
    again = post(client, "/api/tickets", TICKET)
    assert again.json() == {"ticket_id": first.json()["ticket_id"], "outcome": "unchanged"}
    assert counts(engine) == (1, 1) and announced == [1]


def test_a_retry_of_the_same_signed_request_is_safe_when_there_is_no_message_id(
    client: TestClient, engine: Engine
) -> None:
    message = {"customer_email": "ana@example.com", "body": "Any news?"}
    post(client, "/api/tickets", TICKET)
    sent = time.time()  # a retry of the same signed bytes; the Idempotency-Key, unsigned, decides nothing
    first = post(client, "/api/tickets/ZD-1001/messages", message, at=sent, **{"Idempotency-Key": "evt-77"})
    again = post(client, "/api/tickets/ZD-1001/messages", message, at=sent, **{"Idempotency-Key": "evt-78"})
    assert (first.json()["outcome"], again.json()["outcome"]) == ("appended", "unchanged")
    assert counts(engine) == (1, 2)


def test_unsigned_badly_signed_and_replayed_requests_are_refused(client: TestClient, engine: Engine) -> None:
    unsigned = client.post("/api/tickets", json=TICKET)
    assert unsigned.status_code == 401 and "X-Assist-Signature" in unsigned.json()["detail"]
    wrong_key = post(client, "/api/tickets", TICKET, key="not-the-secret")
    assert wrong_key.status_code == 401 and "does not match" in wrong_key.json()["detail"]
    replayed = post(client, "/api/tickets", TICKET, at=time.time() - 3600)
    assert replayed.status_code == 401 and "the limit is 300 s" in replayed.json()["detail"]
    body = json.dumps(TICKET).encode()
    stamp = str(int(time.time()))
    tampered = client.post(
        "/api/tickets",
        content=body.replace(b"Export fails", b"Refund now!!"),
        headers={
            "X-Assist-Timestamp": stamp,
            "X-Assist-Signature": signature(SECRET, timestamped(stamp, "/api/tickets", body)),
        },
    )
    assert tampered.status_code == 401
    assert counts(engine) == (0, 0)


def test_oversized_and_malformed_bodies_are_refused_with_what_to_fix(client: TestClient, engine: Engine) -> None:
    huge = post(client, "/api/tickets", {**TICKET, "body": "x" * 5000})
    assert huge.status_code == 413 and "4,096 bytes" in huge.json()["detail"]
    broken = post(client, "/api/tickets", b"{not json")
    assert broken.status_code == 422
    missing = post(client, "/api/tickets", {"external_id": "ZD-2"})
    assert missing.status_code == 422 and any("customer_email" in p for p in missing.json()["detail"])
    bad_email = post(client, "/api/tickets", {**TICKET, "customer_email": "not an email"})
    assert bad_email.status_code == 422 and "not an email address" in bad_email.json()["detail"]
    assert counts(engine) == (0, 0)


def test_a_message_for_an_unknown_ticket_is_a_404_that_says_what_to_do(client: TestClient) -> None:
    response = post(client, "/api/tickets/ZD-404/messages", {"customer_email": "ana@example.com", "body": "hi"})
    assert response.status_code == 404 and "POST /api/tickets" in response.json()["detail"]


def test_health_and_docs(client: TestClient) -> None:
    post(client, "/api/tickets", TICKET)
    assert client.get("/healthz").json() == {"status": "ok", "preparing": 1}
    spec = client.get("/openapi.json").json()
    schema = spec["paths"]["/api/tickets"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "external_id" in schema["properties"]
    assert client.get("/docs").status_code == 200


def test_serving_without_a_secret_is_refused(engine: Engine) -> None:
    with pytest.raises(ConfigError, match="INTAKE_SECRET"):
        create_app(engine, Settings(intake_secret=None))
