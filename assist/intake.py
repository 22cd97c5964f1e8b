"""Ticket intake from helpdesk exports (CSV or JSON): new tickets, and follow-ups by external id.

Column names of the common exports (Zendesk, Freshdesk, Help Scout, plain CSV) are recognised; any
mapping can be given explicitly. Each row is its own transaction, so one bad row is reported and
the others still land.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assist.domain import AuthorRole, Channel, ImportField, ImportReport, RowError, TicketStatus, User
from assist.errors import AssistError, ValidationError
from assist.lifecycle import transition
from assist.store.db import session_scope
from assist.store.models import CustomerRow, MessageRow, TicketRow
from assist.store.tickets import add_message, create_ticket
from assist.users import require

T = TypeVar("T")
MAX_ROWS = 50_000
KNOWN_COLUMNS: dict[ImportField, tuple[str, ...]] = {
    ImportField.EXTERNAL_ID: ("external id", "id", "ticket id", "ticket", "number", "conversation id", "reference"),
    ImportField.SUBJECT: ("subject", "title", "summary"),
    ImportField.BODY: ("body", "description", "message", "text", "comment", "content", "preview"),
    ImportField.CUSTOMER_EMAIL: (
        "customer email",
        "email",
        "requester email",
        "requester",
        "from",
        "contact email",
        "customer",
    ),
    ImportField.CUSTOMER_NAME: ("customer name", "name", "requester name", "contact name", "full name"),
    ImportField.CREATED: ("created", "created at", "date", "created date", "opened", "timestamp"),
    ImportField.STATUS: ("status", "state"),
    ImportField.MESSAGE_ID: ("message id", "comment id", "event id", "message-id"),
}
REQUIRED = (ImportField.BODY, ImportField.CUSTOMER_EMAIL)
# What the database holds (assist/store/models.py); checked before writing, so a row is refused in plain words.
LIMITS = {
    ImportField.EXTERNAL_ID: 100,
    ImportField.SUBJECT: 300,
    ImportField.CUSTOMER_EMAIL: 320,
    ImportField.CUSTOMER_NAME: 200,
    ImportField.MESSAGE_ID: 200,
    ImportField.STATUS: 40,
    ImportField.CREATED: 60,
}
STATUS_MAP = {
    "new": TicketStatus.NEW,
    "open": TicketStatus.NEW,
    "pending": TicketStatus.AWAITING_CUSTOMER,
    "awaiting customer": TicketStatus.AWAITING_CUSTOMER,
    "on hold": TicketStatus.AWAITING_CUSTOMER,
    "solved": TicketStatus.RESOLVED,
    "closed": TicketStatus.RESOLVED,
    "resolved": TicketStatus.RESOLVED,
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _normal(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


def read_rows(name: str, data: bytes, *, max_bytes: int) -> list[dict[str, str]]:
    """Rows of a CSV or JSON export as string dictionaries."""
    if len(data) > max_bytes:
        raise ValidationError(f"{name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit.")
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
            rows = frame.to_dict(orient="records")
        elif suffix == ".json":
            parsed = json.loads(data.decode("utf-8-sig"))
            rows = parsed.get("tickets", parsed) if isinstance(parsed, dict) else parsed
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ValidationError(f'{name}: expected a list of ticket objects (or {{"tickets": [...]}}).')
            rows = [{str(k): "" if v is None else str(v) for k, v in r.items()} for r in rows]
        else:
            raise ValidationError(f"{name}: upload a .csv or .json export.")
    except (UnicodeDecodeError, json.JSONDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise ValidationError(f"{name}: the file cannot be read as {suffix[1:].upper()} ({e}).") from e
    if not rows:
        raise ValidationError(f"{name}: no rows found.")
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"{name}: {len(rows):,} rows; import at most {MAX_ROWS:,} at a time.")
    return [{str(k): str(v) for k, v in r.items()} for r in rows]


def guess_mapping(columns: Sequence[str]) -> dict[ImportField, str]:
    """Map our fields to the export's columns by their usual names."""
    by_name = {_normal(c): c for c in columns}
    mapping: dict[ImportField, str] = {}
    for field, names in KNOWN_COLUMNS.items():
        for name in names:
            if name in by_name and by_name[name] not in mapping.values():
                mapping[field] = by_name[name]
                break
    return mapping


def import_rows(
    engine: Engine,
    rows: Sequence[Mapping[str, str]],
    *,
    mapping: Mapping[ImportField, str],
    actor: User,
    max_chars: int,
) -> ImportReport:
    require(actor, action="import tickets")
    missing = [f.value for f in REQUIRED if f not in mapping]
    if missing:
        raise ValidationError(f"Map a column to {', '.join(missing)} before importing.")
    outcomes: dict[str, list[int]] = {"created": [], "appended": [], "unchanged": []}
    errors: list[RowError] = []
    for n, row in enumerate(rows, start=1):
        values = {field: str(row.get(column, "")).strip() for field, column in mapping.items()}
        try:
            ticket_id, outcome = take_in(engine, values, actor=actor.email, max_chars=max_chars)
            outcomes[outcome].append(ticket_id)
        except AssistError as e:  # one bad row is reported; the rest still land
            errors.append(RowError(row=n, error=str(e)))
    return ImportReport(
        created=tuple(outcomes["created"]),
        appended=tuple(outcomes["appended"]),
        unchanged=tuple(outcomes["unchanged"]),
        errors=tuple(errors),
    )


def _check(values: dict[ImportField, str], *, max_chars: int) -> None:
    """Every field against what the database can hold, before anything is written."""
    for field, text in values.items():
        if "\x00" in text:
            raise ValidationError(f"{field.value} contains a NUL character; remove it and import the row again.")
        limit = max_chars if field is ImportField.BODY else LIMITS.get(field)
        if limit is not None and len(text) > limit:
            raise ValidationError(
                f"{field.value} is {len(text):,} characters; the limit is {limit:,}. Shorten it, then import again."
            )


def message_key(values: dict[ImportField, str]) -> str:
    """The row's message id: the export's own, else a digest of ticket, time and text (the same row imported
    twice has the same key)."""
    if values.get(ImportField.MESSAGE_ID):
        return values[ImportField.MESSAGE_ID]
    raw = "\x1f".join(values.get(f, "") for f in (ImportField.EXTERNAL_ID, ImportField.CREATED, ImportField.BODY))
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def take_in(engine: Engine, values: dict[ImportField, str], *, actor: str, max_chars: int) -> tuple[int, str]:
    """One ticket or follow-up, exactly once: (ticket id, "created" | "appended" | "unchanged")."""
    _check(values, max_chars=max_chars)
    return exactly_once(engine, lambda session: _import_one(session, values, actor=actor, max_chars=max_chars))


def exactly_once(engine: Engine, write: Callable[[Session], T]) -> T:
    """`write` in one transaction. When a concurrent writer of the same arrival commits first, the unique
    external ids refuse ours; `write` then runs once more, finds what the other stored and says "unchanged"."""
    try:
        with session_scope(engine) as session:
            return write(session)
    except IntegrityError:
        with session_scope(engine) as session:
            return write(session)


def _import_one(session: Any, values: dict[ImportField, str], *, actor: str, max_chars: int) -> tuple[int, str]:
    email = values.get(ImportField.CUSTOMER_EMAIL, "").lower()
    if not _EMAIL.match(email):
        raise ValidationError(f"'{email[:80]}' is not an email address.")
    body = values.get(ImportField.BODY, "")
    if not body:
        raise ValidationError("the message body is empty.")
    created = _when(values.get(ImportField.CREATED, ""))
    external_id = values.get(ImportField.EXTERNAL_ID) or None
    existing = session.scalar(select(TicketRow).where(TicketRow.external_id == external_id)) if external_id else None
    key = message_key(values)
    if existing is not None:
        if existing.customer.email.lower() != email:
            raise ValidationError(f"ticket {external_id} belongs to another customer; check the external id.")
        outcome = append_from_customer(
            session, existing, body=body, key=key, actor=actor, at=created, max_chars=max_chars
        )
        return existing.id, outcome
    customer = session.scalar(select(CustomerRow).where(CustomerRow.email == email))
    if customer is None:
        name = values.get(ImportField.CUSTOMER_NAME) or email.split("@")[0].replace(".", " ").title()
        customer = CustomerRow(name=name[:200], email=email)
        session.add(customer)
        session.flush()
    ticket = create_ticket(
        session,
        customer=customer,
        subject=values.get(ImportField.SUBJECT, ""),
        body=body,
        actor=actor,
        channel=Channel.EMAIL,
        external_id=external_id,
        created_at=created,
        max_chars=max_chars,
        message_external_id=key,
    )
    wanted = STATUS_MAP.get(_normal(values.get(ImportField.STATUS, "") or "new"), TicketStatus.NEW)
    if wanted is not TicketStatus.NEW:
        transition(session, ticket=ticket, to=wanted, actor=actor, reason="imported status", at=created)
    session.flush()
    return ticket.id, "created"


def append_from_customer(
    session: Any, ticket: TicketRow, *, body: str, key: str, actor: str, at: datetime | None, max_chars: int
) -> str:
    """The customer wrote again: "appended" (a resolved ticket reopens, one awaiting them moves on), or
    "unchanged" when a message with this key is already on the ticket (no second message, no reopening)."""
    seen = session.scalar(select(MessageRow.id).where(MessageRow.ticket_id == ticket.id, MessageRow.external_id == key))
    if seen is not None:
        return "unchanged"
    add_message(
        session,
        ticket=ticket,
        role=AuthorRole.CUSTOMER,
        body=body,
        actor=actor,
        at=at,
        max_chars=max_chars,
        external_id=key,
    )
    status = TicketStatus(ticket.status)
    if status is TicketStatus.RESOLVED:
        transition(session, ticket=ticket, to=TicketStatus.REOPENED, actor=actor, reason="customer wrote again")
    elif status is TicketStatus.AWAITING_CUSTOMER:
        transition(session, ticket=ticket, to=TicketStatus.PROCESSING, actor=actor, reason="customer replied")
    return "appended"


def _when(text: str) -> datetime | None:
    if not text:
        return None
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError) as e:
        raise ValidationError(f"'{text[:40]}' is not a date; use ISO dates like 2026-03-31 14:05.") from e
    if pd.isna(stamp):
        return None
    moment: datetime = stamp.to_pydatetime()
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
