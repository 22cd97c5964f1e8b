from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select

from assist.domain import ImportField
from assist.errors import ValidationError
from assist.intake import guess_mapping, import_rows, read_rows
from assist.store import session_scope
from assist.store.models import MessageRow, TicketRow
from assist.users import OPERATOR

ZENDESK = (
    "Ticket ID,Subject,Description,Requester email,Requester name,Created at,Status\n"
    "Z-1,Refund missing,My refund never arrived.,dana@acme.example,Dana Reyes,2026-10-01 09:00,open\n"
    "Z-2,Login,I cannot sign in,not-an-email,Bob,2026-10-02,open\n"
    "Z-3,Export,,eve@acme.example,Eve,2026-10-03,open\n"
    "Z-4,Invoice,Where is my invoice?,eve@acme.example,Eve,yesterday-ish,open\n"
    "Z-5,Old,Fixed already,sam@acme.example,Sam,2026-09-01,solved\n"
)


def _import(engine: Engine, name: str, data: bytes) -> object:
    rows = read_rows(name, data, max_bytes=1_000_000)
    return import_rows(engine, rows, mapping=guess_mapping(list(rows[0])), actor=OPERATOR, max_chars=5000)


def test_zendesk_columns_are_recognised() -> None:
    columns = ZENDESK.splitlines()[0].split(",")
    assert guess_mapping(columns) == {
        ImportField.EXTERNAL_ID: "Ticket ID",
        ImportField.SUBJECT: "Subject",
        ImportField.BODY: "Description",
        ImportField.CUSTOMER_EMAIL: "Requester email",
        ImportField.CUSTOMER_NAME: "Requester name",
        ImportField.CREATED: "Created at",
        ImportField.STATUS: "Status",
    }


def test_import_reports_bad_rows_and_keeps_the_good_ones(engine: Engine) -> None:
    report = _import(engine, "export.csv", ZENDESK.encode())
    assert len(report.created) == 2  # type: ignore[attr-defined]
    assert [(e.row, e.error.split(" ")[0]) for e in report.errors] == [  # type: ignore[attr-defined]
        (2, "'not-an-email'"),
        (3, "the"),
        (4, "'yesterday-ish'"),
    ]
    with session_scope(engine) as session:
        statuses = dict(session.execute(select(TicketRow.external_id, TicketRow.status)).all())
    assert statuses == {"Z-1": "new", "Z-5": "resolved"}


def test_follow_up_appends_to_its_ticket_and_reopens_a_resolved_one(engine: Engine) -> None:
    _import(engine, "export.csv", ZENDESK.encode())
    follow_up = json.dumps(
        {
            "tickets": [
                {
                    "id": "Z-5",
                    "email": "sam@acme.example",
                    "body": "It broke again.",
                    "created": "2026-10-05T10:00:00Z",
                },
                {"id": "Z-1", "email": "mallory@evil.example", "body": "hijack"},
            ]
        }
    ).encode()
    report = _import(engine, "more.json", follow_up)
    assert len(report.appended) == 1  # type: ignore[attr-defined]
    assert "belongs to another customer" in report.errors[0].error  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        ticket = session.scalars(select(TicketRow).where(TicketRow.external_id == "Z-5")).one()
        assert ticket.status == "reopened"
        bodies = session.scalars(
            select(MessageRow.body).where(MessageRow.ticket_id == ticket.id).order_by(MessageRow.id)
        ).all()
        assert bodies == ["Fixed already", "It broke again."]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.csv", b"", "cannot be read|no rows"),
        ("x.json", b"{not json", "cannot be read"),
        ("x.json", b'{"a": 1}', "list of ticket objects"),
        ("x.xlsx", b"PK", "upload a .csv or .json"),
    ],
)
def test_unreadable_files_are_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        read_rows(name, data, max_bytes=1_000_000)


def test_a_mapping_without_body_or_email_is_refused(engine: Engine) -> None:
    with pytest.raises(ValidationError, match="Map a column to body"):
        import_rows(engine, [{"x": "y"}], mapping={}, actor=OPERATOR, max_chars=100)
