"""Migration 0016: card numbers stored before masking existed are masked, and the audit log says so."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Engine, select

from assist.domain import AuthorRole
from assist.store import downgrade, session_scope, upgrade
from assist.store.models import AuditEventRow, MessageRow, TicketRow
from assist.store.tickets import add_message
from tests.factories import make_customer, make_ticket
from tests.test_masking import NOT_CARDS

MIGRATION = Path(__file__).parents[2] / "assist" / "store" / "migrations" / "versions" / "0016_mask_card_numbers.py"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mask_card_numbers", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rows_stored_before_masking_are_masked_on_upgrade(engine: Engine) -> None:
    with session_scope(engine) as session:  # stored as versions before masking stored them: as typed
        ticket = make_ticket(
            session,
            customer=make_customer(session),
            subject="Card 4242 4242 4242 4242 charged twice",
            body="card 4242-4242-4242-4242, order 1234567890123456, call me at +1 415 555 0100",
        )
        add_message(session, ticket=ticket, role=AuthorRole.NOTE, body="Her card: 5555555555554444", actor="a@x")
        ticket_id = ticket.id
    downgrade(engine, "0014")
    upgrade(engine)
    with session_scope(engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        bodies = session.scalars(select(MessageRow.body).order_by(MessageRow.id)).all()
        events = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id)).all()
        assert ticket.subject == "Card [card ending 4242] charged twice"
        assert ticket.preview.startswith("card [card ending 4242], order 1234567890123456, call me at +1 415")
        assert bodies == [
            "card [card ending 4242], order 1234567890123456, call me at +1 415 555 0100",
            "Her card: [card ending 4444]",
        ]
        logged = [json.dumps(e.detail) for e in events]
        assert not any("42424242" in line or "55555555" in line for line in logged)  # the creation's subject too
        masked = [e for e in events if e.action == "message.masked"]
        assert {(e.entity_type, e.entity_id) for e in masked} == {("ticket", str(ticket_id))}
        assert any(f"masked 1 card number in a message of ticket #{ticket_id}" in e.detail["summary"] for e in masked)
    upgrade(engine)  # a second run finds nothing more


@pytest.mark.parametrize("text", NOT_CARDS)
def test_the_migrations_frozen_rule_leaves_what_is_not_a_card_number(text: str) -> None:
    assert _migration().mask_cards(text) == (text, 0)


def test_the_migrations_frozen_rule_masks_plain_spellings() -> None:
    mask_cards = _migration().mask_cards
    assert mask_cards("4242 4242 4242 4242 / 3782-822463-10005 / 5555.5555.5555.4444") == (
        "[card ending 4242] / [card ending 0005] / [card ending 4444]",
        3,
    )


def test_a_message_keyed_by_a_digest_of_its_body_is_rekeyed_and_a_reimport_still_finds_it(engine: Engine) -> None:
    from datetime import UTC, datetime

    from assist.arrival import _content_key
    from assist.intake import guess_mapping, import_rows, read_rows
    from assist.users import OPERATOR

    body, created = "Refund to card 4242 4242 4242 4242 please", datetime(2026, 10, 1, 9, tzinfo=UTC)
    old_key = _content_key("Z-1", created, body)  # what an import before masking stored
    with session_scope(engine) as session:
        ticket = make_ticket(
            session, customer=make_customer(session, email="dana@acme.example"), body=body, created_at=created
        )
        ticket.external_id, ticket.messages[0].external_id = "Z-1", old_key
    downgrade(engine, "0014")
    upgrade(engine)
    with session_scope(engine) as session:
        key = session.scalars(select(MessageRow.external_id)).one()
    assert key != old_key and key.startswith("sha256:")  # no digest of the number is left to try candidates on
    rows = read_rows(
        "export.csv",
        f"ID,Body,Email,Created\nZ-1,{body},dana@acme.example,2026-10-01 09:00\n".encode(),
        max_bytes=10_000,
    )
    report = import_rows(engine, rows, mapping=guess_mapping(list(rows[0])), actor=OPERATOR, max_chars=5000)
    assert report.unchanged and not report.appended and not report.created
