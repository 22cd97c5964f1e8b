"""card numbers stored before masking existed are masked: messages, subjects, previews, drafts, replies, the
outbox, CSAT comments, quarantined subjects and audit details keep `[card ending 4242]`, never the number

Frozen: the rule below is a copy, not an import of `assist.masking` (which may change later and would then
rewrite history differently on each database). It reads plain spellings (digits with spaces, dashes or dots
between them); what arrives from now on is read by `assist.sensitive_numbers`, which also sees through
Unicode look-alikes.

Revision ID: 0016
Revises: 0017
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "migration:0016"
BATCH = 500
_CARD = re.compile(r"(?<![\w.-])\d(?:[ .\-]?\d){12,18}(?![\w-]|\.\d)")
# (table, its text columns, the column naming the ticket or None, what a row is in the audit log's words)
_TEXTS: tuple[tuple[str, tuple[str, ...], str | None, str], ...] = (
    ("messages", ("body",), "ticket_id", "a message"),
    ("tickets", ("subject", "preview"), "id", "the subject"),
    ("drafts", ("text",), "ticket_id", "a draft"),
    ("replies", ("draft_text", "sent_text"), "ticket_id", "a sent reply"),
    ("outbox", ("subject", "body"), "ticket_id", "an outgoing mail"),
    ("csat_responses", ("comment",), "ticket_id", "a survey comment"),
    ("mail_quarantine", ("subject",), None, "a quarantined mail"),
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _card(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and len(set(digits)) > 1 and _luhn(digits)


def mask_cards(text: str) -> tuple[str, int]:
    """`text` with each card number as `[card ending 4242]`, and how many there were."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        digits = re.sub(r"\D", "", match.group(0))
        if not _card(digits):
            return match.group(0)
        count += 1
        return f"[card ending {digits[-4:]}]"

    return _CARD.sub(replace, text), count


def _mask_json(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return mask_cards(value)
    if isinstance(value, dict):
        pairs = {k: _mask_json(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, sum(n for _, n in pairs.values())
    if isinstance(value, list):
        items = [_mask_json(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    return value, 0


def upgrade() -> None:
    bind = op.get_bind()
    audit = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity_type", sa.String),
        sa.column("entity_id", sa.String),
        sa.column("detail", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    events: list[dict[str, Any]] = []
    now = datetime.now(UTC)

    def note(entity_type: str, entity_id: object, count: int, where: str) -> None:
        noun = "card number" if count == 1 else "card numbers"
        events.append(
            {
                "actor": ACTOR,
                "action": "message.masked",
                "entity_type": entity_type,
                "entity_id": str(entity_id),
                "detail": {"summary": f"masked {count} {noun} in {where} (stored before masking)", "card": count},
                "created_at": now,
            }
        )

    for name, columns, ticket_column, what in _TEXTS:
        table = sa.table(name, sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in columns))
        if name == "messages":
            table.append_column(sa.column("external_id", sa.String))
        if ticket_column not in (None, "id"):
            table.append_column(sa.column(ticket_column, sa.Integer))
        for row in _rows(bind, table):
            changed: dict[str, str] = {}
            count = 0
            for column in columns:
                value = row._mapping[column]
                if value and sum(ch.isdigit() for ch in value) >= 13:
                    masked, n = mask_cards(value)
                    if n:
                        changed[column], count = masked, count + n
            if changed:
                if name == "messages":
                    changed |= _new_key(bind, row.id, old=row.body, new=changed["body"])
                bind.execute(sa.update(table).where(table.c.id == row.id).values(**changed))
                if ticket_column is None:
                    note(name, row.id, count, f"{what} (#{row.id})")
                else:
                    ticket_id = row._mapping[ticket_column] if ticket_column != "id" else row.id
                    note("ticket", ticket_id, count, f"{what} of ticket #{ticket_id}")
    # Audit details quote what was stored (a ticket's subject on creation): masked the same way, and not noted
    # once more (the masking of the subject itself was).
    for row in _rows(bind, audit):
        detail, n = _mask_json(row.detail)
        if n:
            bind.execute(sa.update(audit).where(audit.c.id == row.id).values(detail=detail))
    if events:
        bind.execute(sa.insert(audit), events)


def _content_key(external_id: str | None, moment: str, body: str) -> str:
    # A copy of `arrival._content_key` as of this revision: an arrival without a message id is keyed by this digest.
    raw = "\x1f".join((external_id or "", moment, body))
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _new_key(bind: Any, message_id: int, *, old: str, new: str) -> dict[str, str]:
    """A message keyed by a digest of its body (an import without message ids) is keyed by its masked body: a
    digest of the number next to its last four digits would let anyone recover it by trying the few candidates.
    The same file imported again still finds it (imports now key the masked body the same way)."""
    row = bind.execute(
        sa.text(
            "SELECT m.external_id, m.created_at, m.ticket_id, t.external_id AS ticket_external_id "
            "FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.id = :id"
        ),
        {"id": message_id},
    ).one()
    if not (row.external_id or "").startswith("sha256:"):
        return {}
    created = row.created_at if isinstance(row.created_at, datetime) else datetime.fromisoformat(str(row.created_at))
    created = created.replace(tzinfo=UTC) if created.tzinfo is None else created.astimezone(UTC)
    moment = created.isoformat()
    if row.external_id == _content_key(row.ticket_external_id, "", old):  # imported without a time
        moment = ""
    key = _content_key(row.ticket_external_id, moment, new)
    taken = bind.execute(
        sa.text("SELECT 1 FROM messages WHERE ticket_id = :t AND external_id = :k"), {"t": row.ticket_id, "k": key}
    ).first()
    if taken:  # the same masked words at the same moment on this ticket: still one key per message
        key = _content_key(str(message_id), moment, key)
    # Any other digest (of a broken Message-ID, or of a raw date text in versions before 2026-12) is replaced too:
    # which one it is cannot be told, and the number must not survive in it.
    return {"external_id": key}


def _rows(bind: Any, table: Any) -> Any:
    """Every row, a batch at a time (keyset by id), so a large table is never held in memory at once."""
    after = 0
    while True:
        batch = bind.execute(sa.select(table).where(table.c.id > after).order_by(table.c.id).limit(BATCH)).all()
        if not batch:
            return
        yield from batch
        after = batch[-1].id


def downgrade() -> None:
    pass  # the numbers are gone by design; nothing to restore
