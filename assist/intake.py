"""Ticket intake from helpdesk exports (CSV or JSON): new tickets, and follow-ups by external id.

Column names of the common exports (Zendesk, Freshdesk, Help Scout, plain CSV) are recognised; any
mapping can be given explicitly. Each row is its own transaction, so one bad row is reported and
the others still land.

Every arrival (a file's row, the HTTP intake, the mailbox) is an `arrival.Arrival` its channel built; `take_in`
checks it (`arrival.admit`) and stores it exactly once. A row stored with replaced characters is reported too.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import PurePath
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assist.arrival import LIMITS, Admitted, Arrival, admit
from assist.domain import AuthorRole, Channel, ImportField, ImportReport, RowError, TicketStatus, User
from assist.errors import AssistError, SessionEndedError, ValidationError
from assist.masking import CARDS_ONLY, MaskRules
from assist.masking import record as record_masking
from assist.store import arrivals, experiments, limits
from assist.store.actors import check_session, current_actor, require
from assist.store.db import session_scope
from assist.store.status import transition
from assist.store.tickets import add_message, create_ticket
from assist.text import clean, clean_text, replaced_note
from assist.times import parse_time

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
STATUS_MAP = {  # an export's status words
    "new": TicketStatus.NEW,
    "open": TicketStatus.NEW,
    "pending": TicketStatus.AWAITING_CUSTOMER,
    "awaiting customer": TicketStatus.AWAITING_CUSTOMER,
    "on hold": TicketStatus.AWAITING_CUSTOMER,
    "solved": TicketStatus.RESOLVED,
    "closed": TicketStatus.RESOLVED,
    "resolved": TicketStatus.RESOLVED,
}


def normal_label(name: str) -> str:
    """A column name or status as compared: lower case, runs of spaces, "_" and "-" as one space."""
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


MAX_JSON_DEPTH = 64  # a helpdesk export nests a handful of levels; json.loads recurses once per level
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


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
            text = data.decode("utf-8-sig")
            _refuse_deep_json(name, text)
            parsed = json.loads(text)
            rows = parsed.get("tickets", parsed) if isinstance(parsed, dict) else parsed
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ValidationError(f'{name}: expected a list of ticket objects (or {{"tickets": [...]}}).')
            rows = [{str(k): "" if v is None else str(v) for k, v in r.items()} for r in rows]
        else:
            raise ValidationError(f"{name}: upload a .csv or .json export.")
    # ValueError: undecodable bytes, broken JSON, and numbers longer than int() reads (4,300 digits).
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise ValidationError(f"{name}: the file cannot be read as {suffix[1:].upper()} ({e}).") from e
    if not rows:
        raise ValidationError(f"{name}: no rows found.")
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"{name}: {len(rows):,} rows; import at most {MAX_ROWS:,} at a time.")
    # Column names are shown and mapped before any row is taken in: cleaned here; the values by `admit`.
    return [{clean_text(str(k)): str(v) for k, v in r.items()} for r in rows]


def _refuse_deep_json(name: str, text: str) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH before parsing: json.loads recurses once per level, and
    100,000 levels raised RecursionError. Strings are skipped (brackets inside them do not nest)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = 0
    for ch in brackets:
        depth += 1 if ch in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise ValidationError(
                f"{name}: the JSON is nested more than {MAX_JSON_DEPTH} levels deep; export the tickets as a flat "
                "list of objects."
            )


def guess_mapping(columns: Sequence[str]) -> dict[ImportField, str]:
    """Map our fields to the export's columns by their usual names."""
    by_name = {normal_label(c): c for c in columns}
    mapping: dict[ImportField, str] = {}
    for field, names in KNOWN_COLUMNS.items():
        for name in names:
            if name in by_name and by_name[name] not in mapping.values():
                mapping[field] = by_name[name]
                break
    return mapping


def arrival_from_row(values: Mapping[ImportField, str]) -> Arrival:
    """An export's row as an `Arrival`: its date text parsed (`times.parse_time`), its status words mapped.

    Raises:
        ValidationError: a date that cannot be read, or a date or status longer than any export writes.
    """
    read = {field: clean(values.get(field, "")).text.strip() for field in (ImportField.CREATED, ImportField.STATUS)}
    for field, value in read.items():
        if len(value) > LIMITS[field]:
            raise ValidationError(
                f"{field.value} is {len(value):,} characters; the limit is {LIMITS[field]:,}. Correct it, then "
                "import again."
            )
    return Arrival(
        channel=Channel.EMAIL,  # a helpdesk export does not say; its tickets' replies go out by e-mail
        customer_email=values.get(ImportField.CUSTOMER_EMAIL, ""),
        body=values.get(ImportField.BODY, ""),
        external_id=values.get(ImportField.EXTERNAL_ID, ""),
        subject=values.get(ImportField.SUBJECT, ""),
        customer_name=values.get(ImportField.CUSTOMER_NAME, ""),
        message_id=values.get(ImportField.MESSAGE_ID, ""),
        sent_at=parse_time(read[ImportField.CREATED]),
        status=STATUS_MAP.get(normal_label(read[ImportField.STATUS] or "new"), TicketStatus.NEW),
        earlier_key=_earlier_content_key(values),
    )


def _earlier_content_key(values: Mapping[ImportField, str]) -> str:
    """The key versions before 2026-12 stored (a digest of the raw date text), so a file imported then is
    still "unchanged" when imported again."""
    fields = (ImportField.EXTERNAL_ID, ImportField.CREATED, ImportField.BODY)
    raw = "\x1f".join(values.get(f, "").strip() for f in fields)
    return "sha256:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def import_rows(
    engine: Engine,
    rows: Sequence[Mapping[str, str]],
    *,
    mapping: Mapping[ImportField, str],
    actor: User,
    max_chars: int,
    now: datetime | None = None,
    masking: MaskRules = CARDS_ONLY,
    holdout_percent: int = 0,
) -> ImportReport:
    """Each row is taken in (`admit`, then stored exactly once) or reported with the reason; a row stored
    with replaced characters is also listed in `warnings`. `holdout_percent` is the standing holdout
    (`store.experiments.assign_arm`)."""
    require(actor, action="import tickets")
    check_session(engine, actor=actor)  # before the rows: a signed-out session imports nothing
    missing = [f.value for f in REQUIRED if f not in mapping]
    if missing:
        raise ValidationError(f"Map a column to {', '.join(missing)} before importing.")
    outcomes: dict[str, list[int]] = {"created": [], "appended": [], "unchanged": []}
    errors: list[RowError] = []
    warnings: list[RowError] = []
    for n, row in enumerate(rows, start=1):
        values = {field: str(row.get(column, "")) for field, column in mapping.items()}
        try:
            admitted = admit(arrival_from_row(values), max_chars=max_chars, now=now, masking=masking)
            ticket_id, outcome = store_admitted(
                engine, admitted, actor=actor.email, max_chars=max_chars, by=actor, holdout_percent=holdout_percent
            )
        except SessionEndedError:
            raise  # not a fault of the row: the importer was signed out
        except AssistError as e:  # one bad row is reported; the rest still land
            errors.append(RowError(row=n, error=str(e)))
            continue
        outcomes[outcome].append(ticket_id)
        if admitted.replaced:
            warnings.append(RowError(row=n, error=replaced_note(admitted.replaced)))
    return ImportReport(
        created=tuple(outcomes["created"]),
        appended=tuple(outcomes["appended"]),
        unchanged=tuple(outcomes["unchanged"]),
        errors=tuple(errors),
        warnings=tuple(warnings),
    )


def take_in(
    engine: Engine,
    arrival: Arrival,
    *,
    actor: str,
    max_chars: int,
    now: datetime | None = None,
    masking: MaskRules = CARDS_ONLY,
    holdout_percent: int = 0,
) -> tuple[int, str]:
    """One message a channel received, checked (`admit`, which masks card numbers) and stored exactly once: a new
    ticket that keeps the arrival's channel, or a follow-up on the ticket its external id names. Returns (ticket
    id, "created" | "appended" | "unchanged")."""
    return store_admitted(
        engine,
        admit(arrival, max_chars=max_chars, now=now, masking=masking),
        actor=actor,
        max_chars=max_chars,
        holdout_percent=holdout_percent,
    )


def store_admitted(
    engine: Engine,
    arrival: Admitted,
    *,
    actor: str,
    max_chars: int,
    by: User | None = None,
    holdout_percent: int = 0,
) -> tuple[int, str]:
    """What `admit` returned, stored exactly once (`take_in` without checking again: an import row, a mail checked
    for its thread already). `by` is the signed-in person importing, re-checked in the row's own transaction; None
    for the product's own channels (mail, the HTTP intake), which `actor` names. A new ticket gets its arm of the
    running experiment, or of the standing holdout of `holdout_percent` (`store.experiments.assign_arm`)."""

    def write(session: Session) -> tuple[int, str]:
        if by is not None:
            current_actor(session, by)
        return _import_one(session, arrival, actor=actor, max_chars=max_chars, holdout_percent=holdout_percent)

    return exactly_once(engine, write)


def exactly_once(engine: Engine, write: Callable[[Session], T]) -> T:
    """`write` in one transaction. When a concurrent writer of the same arrival commits first, the unique
    external ids refuse ours; `write` then runs once more, finds what the other stored and says "unchanged"."""
    try:
        with session_scope(engine) as session:
            return write(session)
    except IntegrityError:
        with session_scope(engine) as session:
            return write(session)


def _import_one(
    session: Any, arrival: Admitted, *, actor: str, max_chars: int, holdout_percent: int
) -> tuple[int, str]:
    email, external_id = arrival.customer_email, arrival.external_id
    existing = arrivals.ticket_with_external_id(session, external_id) if external_id else None
    if existing is not None:
        if existing.customer.email.lower() != email:
            raise ValidationError(f"ticket {external_id} belongs to another customer; check the external id.")
        return existing.id, append_from_customer(session, existing.id, arrival, actor=actor, max_chars=max_chars)
    keys = [arrival.key, *arrival.earlier_keys]
    if external_id is None:  # no ticket id to find it by: the same message of the same customer is enough
        seen = arrivals.ticket_of_customer_message(session, email=email, keys=keys)
        if seen is not None:
            return seen, "unchanged"
    name = arrival.customer_name or email.split("@")[0].replace(".", " ").title()
    customer = arrivals.customer_for(session, email=email, name=name[: limits.CUSTOMER_NAME])
    ticket = create_ticket(
        session,
        customer=customer,
        subject=arrival.subject,
        body=arrival.body,
        actor=actor,
        channel=arrival.channel,
        external_id=external_id,
        created_at=arrival.created,
        max_chars=max_chars,
        message_external_id=arrival.key,
    )
    if arrival.status is not TicketStatus.NEW:
        transition(session, ticket=ticket, to=arrival.status, actor=actor, reason="imported status", at=arrival.created)
    session.flush()
    if arrival.status is TicketStatus.NEW:  # a ticket worked elsewhere first would skew both arms' times
        experiments.assign_arm(session, ticket, standing_percent=holdout_percent)
    record_masking(session, ticket_id=ticket.id, counts=arrival.masked, actor=actor)
    return ticket.id, "created"


def append_from_customer(session: Any, ticket_id: int, message: Admitted, *, actor: str, max_chars: int) -> str:
    """The customer wrote again on `ticket_id` (caller's transaction; `message` passed `admit`): "appended" (a
    resolved ticket reopens, one awaiting them moves on), or "unchanged" when a message with its key is already
    on the ticket (no second message, no reopening)."""
    ticket = arrivals.ticket_by_id(session, ticket_id)
    if arrivals.message_on_ticket(session, ticket_id=ticket.id, keys=[message.key, *message.earlier_keys]):
        return "unchanged"
    add_message(
        session,
        ticket=ticket,
        role=AuthorRole.CUSTOMER,
        body=message.body,
        actor=actor,
        at=message.created,
        max_chars=max_chars,
        external_id=message.key,
    )
    record_masking(session, ticket_id=ticket.id, counts=message.masked, actor=actor)
    status = TicketStatus(ticket.status)
    if status is TicketStatus.RESOLVED:
        transition(session, ticket=ticket, to=TicketStatus.REOPENED, actor=actor, reason="customer wrote again")
    elif status is TicketStatus.AWAITING_CUSTOMER:
        transition(session, ticket=ticket, to=TicketStatus.PROCESSING, actor=actor, reason="customer replied")
    return "appended"
