"""Issue 31 · 7, 15, 16, 17 and 4 over HTTP: the signed intake against replays, odd ids, look-alike
addresses, impossible dates and generated hostile bodies (FastAPI's TestClient over a real database)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from sqlalchemy import Engine, func, select

from assist.config import Settings
from assist.signing import signature, timestamped
from assist.store import session_scope
from assist.store.models import CustomerRow, MessageRow, TicketRow

SECRET = "helpdesk-shared-secret"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture
def client(engine: Engine) -> TestClient:
    from assist.intake_api import create_app

    settings_ = Settings(intake_secret=SecretStr(SECRET), intake_max_bytes=16_384)
    return TestClient(create_app(engine, settings_, clock=NOW.timestamp))


def send(client: TestClient, path: str, payload: Any, *, stamp: float | None = None, **headers: str) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    at = str(int(NOW.timestamp() if stamp is None else stamp))
    signed = {
        "X-Assist-Timestamp": at,
        "X-Assist-Signature": signature(SECRET, timestamped(at, unquote(urlsplit(path).path), body)),
    }
    return client.post(path, content=body, headers={"Content-Type": "application/json", **signed, **headers})


def count(engine: Engine, model: Any) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def ticket(external_id: str = "ZD-1", **fields: Any) -> dict[str, Any]:
    return {"external_id": external_id, "customer_email": "ana@example.com", "body": "Export fails", **fields}


# 7 · a captured request replayed within the window with a new Idempotency-Key was stored each time --------


def test_a_captured_follow_up_replayed_with_new_idempotency_keys_is_stored_once(
    client: TestClient, engine: Engine
) -> None:
    assert send(client, "/api/tickets", ticket()).status_code == 201
    follow_up = {"customer_email": "ana@example.com", "body": "Any news?"}
    first = send(client, "/api/tickets/ZD-1/messages", follow_up, **{"Idempotency-Key": "evt-1"})
    assert first.json()["outcome"] == "appended"
    for n in range(5):  # the same signed bytes, a fresh unsigned header each time
        replay = send(client, "/api/tickets/ZD-1/messages", follow_up, **{"Idempotency-Key": f"forged-{n}"})
        assert replay.status_code == 201 and replay.json()["outcome"] == "unchanged"
    assert count(engine, MessageRow) == 2


def test_a_captured_ticket_replayed_with_new_idempotency_keys_adds_no_follow_ups(
    client: TestClient, engine: Engine
) -> None:
    for n in range(6):
        response = send(client, "/api/tickets", ticket(), **{"Idempotency-Key": f"k-{n}"})
        assert response.json()["outcome"] == ("created" if n == 0 else "unchanged")
    assert count(engine, MessageRow) == 1


def _replayed(client: TestClient, path: str, body: bytes, signed_for: str) -> Any:
    """The signed bytes of a request to `signed_for`, sent unchanged to `path`."""
    at = str(int(NOW.timestamp()))
    headers = {"X-Assist-Timestamp": at, "X-Assist-Signature": signature(SECRET, timestamped(at, signed_for, body))}
    return client.post(path, content=body, headers={"Content-Type": "application/json", **headers})


@pytest.mark.parametrize("signed_for", ["/api/tickets/ZD-1/messages", "/api/tickets"])
def test_signed_bytes_replayed_to_another_url_are_refused(client: TestClient, engine: Engine, signed_for: str) -> None:
    """Re-probe of finding 7: the signature covered only timestamp and body, so a captured follow-up for one ticket
    (or a new ticket's body) sent to another ticket's follow-up URL was appended and reopened that ticket."""
    send(client, "/api/tickets", ticket())
    send(client, "/api/tickets", ticket(external_id="ZD-2"))
    payload = {"customer_email": "ana@example.com", "body": "Please cancel everything.", "external_id": "ZD-9"}
    replay = _replayed(client, "/api/tickets/ZD-2/messages", json.dumps(payload).encode(), signed_for)
    assert replay.status_code == 401 and "URL path" in replay.json()["detail"]
    assert count(engine, MessageRow) == 2


@pytest.mark.parametrize("stamp", ["9" * 400, "1" * 13, "-1", "1.5e9", "0x65f0a000"])
def test_a_timestamp_that_is_not_unix_seconds_is_refused_not_a_server_error(client: TestClient, stamp: str) -> None:
    body = json.dumps(ticket()).encode()
    headers = {
        "X-Assist-Timestamp": stamp,
        "X-Assist-Signature": signature(SECRET, timestamped(stamp, "/api/tickets", body)),
    }
    response = client.post("/api/tickets", content=body, headers={"Content-Type": "application/json", **headers})
    assert response.status_code == 401 and "Unix seconds" in response.json()["detail"]


def test_a_message_signed_again_later_is_a_new_message_unless_it_names_its_message_id(
    client: TestClient, engine: Engine
) -> None:
    send(client, "/api/tickets", ticket())
    said_twice = {"customer_email": "ana@example.com", "body": "Hello?"}
    assert send(client, "/api/tickets/ZD-1/messages", said_twice).json()["outcome"] == "appended"
    later = send(client, "/api/tickets/ZD-1/messages", said_twice, stamp=NOW.timestamp() + 60)
    assert later.json()["outcome"] == "appended"  # the customer really wrote the same words again
    with_id = {**said_twice, "message_id": "zd-c-7"}
    send(client, "/api/tickets/ZD-1/messages", with_id)
    resigned = send(client, "/api/tickets/ZD-1/messages", with_id, stamp=NOW.timestamp() + 60)
    assert resigned.json()["outcome"] == "unchanged"  # a helpdesk's retry names its message id


# 15 · an external id with "/" was stored, and its follow-ups always answered 404 --------------------------


@pytest.mark.parametrize("external_id", ["acme/77", "a/b/messages", "/lead", "ZD#9?x=1", "返金-12", "a\\b"])
def test_a_ticket_whose_id_holds_a_slash_or_other_url_characters_gets_its_follow_ups(
    client: TestClient, engine: Engine, external_id: str
) -> None:
    assert send(client, "/api/tickets", ticket(external_id)).json()["outcome"] == "created"
    path = f"/api/tickets/{quote(external_id, safe='')}/messages"
    response = send(client, path, {"customer_email": "ana@example.com", "body": "Still broken"})
    assert response.status_code == 201 and response.json()["outcome"] == "appended"
    assert count(engine, TicketRow) == 1 and count(engine, MessageRow) == 2


@pytest.mark.parametrize("external_id", ["A B", "A\u200b1", "50%", "..", "A\nB", "A\x00B"])
def test_an_id_that_cannot_round_trip_is_refused_on_both_routes(client: TestClient, external_id: str) -> None:
    refused = send(client, "/api/tickets", ticket(external_id))
    assert refused.status_code == 422 and "external id" in refused.json()["detail"]
    if external_id != "..":  # a client resolves ".." as a path segment before the request leaves
        path = f"/api/tickets/{quote(external_id, safe='')}/messages"
        follow_up = send(client, path, {"customer_email": "ana@example.com", "body": "hi"})
        if "\n" in external_id:  # the route's pattern does not match a line break: no such ticket
            assert follow_up.status_code == 404
        else:
            assert follow_up.status_code == 422 and "external id" in follow_up.json()["detail"]


ID_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)


@FUZZ
@given(external_id=ID_TEXT)
@example(external_id="\r")  # was created without an id that its follow-ups could use
def test_every_external_id_the_intake_accepts_can_be_addressed_by_its_follow_up_route(
    client: TestClient, engine: Engine, external_id: str
) -> None:
    created = send(client, "/api/tickets", ticket(external_id, message_id=f"m-{external_id!r}"[:200]))
    assert created.status_code in (201, 422), created.text
    if created.status_code == 422:
        return
    path = f"/api/tickets/{quote(external_id.strip(), safe='')}/messages"
    follow_up = {"customer_email": "ana@example.com", "body": "again", "message_id": f"f-{external_id!r}"[:200]}
    response = send(client, path, follow_up)
    assert response.status_code == 201 and response.json()["ticket_id"] == created.json()["ticket_id"], response.text


# 16 · an address ending in a newline made a look-alike customer -------------------------------------------


def test_an_address_with_a_trailing_newline_or_capitals_is_the_same_customer(
    client: TestClient, engine: Engine
) -> None:
    send(client, "/api/tickets", ticket("E-1"))
    same = send(client, "/api/tickets", {**ticket("E-2"), "customer_email": "Ana@Example.COM\n"})
    assert same.json()["outcome"] == "created"
    with session_scope(engine) as session:
        assert list(session.scalars(select(CustomerRow.email))) == ["ana@example.com"]
    inside = send(client, "/api/tickets", {**ticket("E-3"), "customer_email": "ana@exa\nmple.com"})
    assert inside.status_code == 422 and "inside" in inside.json()["detail"]


@pytest.mark.parametrize(
    "look_alike", ["ａｎａ@example.com", "ana@ｅｘａｍｐｌｅ.com", "𝐚na@example.com", "Ana@Example.COM"]
)
def test_an_address_in_look_alike_letters_is_the_same_customer(
    client: TestClient, engine: Engine, look_alike: str
) -> None:
    """Re-probe of finding 16: full-width and mathematical letters made a second customer beside ana@."""
    send(client, "/api/tickets", ticket("E-1"))
    assert send(client, "/api/tickets", {**ticket("E-2"), "customer_email": look_alike}).status_code == 201
    with session_scope(engine) as session:
        assert list(session.scalars(select(CustomerRow.email))) == ["ana@example.com"]


def test_an_address_holding_a_mime_encoded_word_is_refused(client: TestClient, engine: Engine) -> None:
    """Re-probe: `=?utf-8?q?ceo?=@victimcorp.example` was stored, and mail software decoded the reply's To to
    another address."""
    refused = send(client, "/api/tickets", {**ticket("E-1"), "customer_email": "=?utf-8?q?ceo?=@victimcorp.example"})
    assert refused.status_code == 422 and "encoded word" in refused.json()["detail"]
    assert count(engine, TicketRow) == 0


# 17 · created_at in 9999 or 1970 was accepted ---------------------------------------------------------


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2026-11-03T10:00:00Z"])
def test_a_created_at_outside_the_window_around_the_clock_is_refused(
    client: TestClient, engine: Engine, when: str
) -> None:
    response = send(client, "/api/tickets", ticket(created_at=when))
    assert response.status_code == 422 and "outside the accepted window" in response.json()["detail"]
    assert send(client, "/api/tickets", ticket(created_at="2026-11-03T08:00:00Z")).status_code == 201
    assert count(engine, TicketRow) == 1


# 4 · generated hostile bodies: every request is stored or refused with a reason, never a 500 ----------------

JSON_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(["\x00", "\x1b[2J", "\u2800", " ", "\r\n", "a@b.io\n"]),
)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), JSON_TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(JSON_TEXT, inner, max_size=3)),
    max_leaves=8,
)


def _mostly(draw: st.DrawFn, good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
    """Mostly a value a helpdesk sends, sometimes a hostile one, so both outcomes are exercised."""
    return draw(good) if draw(st.integers(0, 9)) < 7 else draw(bad)


@st.composite
def hostile_tickets(draw: st.DrawFn) -> bytes:
    odd = st.one_of(JSON_TEXT, JSON_VALUES)
    payload: dict[str, Any] = {
        "external_id": _mostly(draw, st.sampled_from(["H-1", "H-2", "h/3", " H-4\n"]), odd),
        "customer_email": _mostly(draw, st.sampled_from(["ana@example.com", " Ana@Example.com\n"]), odd),
        "body": _mostly(draw, JSON_TEXT.map(lambda t: f"Where is my refund? {t}"), odd),
    }
    for name in ("subject", "customer_name", "message_id", "created_at"):
        if draw(st.booleans()):
            good = st.sampled_from(["2026-10-01T09:00:00Z", "2026-10-01"]) if name == "created_at" else JSON_TEXT
            payload[name] = _mostly(draw, good, st.one_of(odd, st.sampled_from(["9999-12-31", "2026-02-30"])))
    text = json.dumps(payload)
    if draw(st.integers(0, 3)) == 3:  # what Python's own encoder never writes: lone surrogates, deep nesting
        hostile = draw(st.sampled_from(['"\\ud800"', '"a\\udc80\\u0000"', "[" * 3000 + "]" * 3000]))
        text = text.replace('"customer_email"', f'"x": {hostile}, "customer_email"', 1)
    return text.encode()


@FUZZ
@given(body=hostile_tickets())
def test_every_generated_request_is_stored_or_refused_with_a_reason(
    client: TestClient, engine: Engine, body: bytes
) -> None:
    before = count(engine, MessageRow)
    response = send(client, "/api/tickets", body)
    assert response.status_code in (201, 413, 422), response.text
    stored = response.status_code == 201 and response.json()["outcome"] != "unchanged"
    assert count(engine, MessageRow) == before + stored
