"""What every arrival passes before anything is written: `admit` turns a channel's values (a file's row,
an HTTP request, a mail) into one typed `Arrival`, or refuses them with what to correct.

Free text is made storable (`text.clean`: lone surrogates, NUL and controls replaced, and counted), the
address and the ticket id follow their one rule (`identifiers`), the time is parsed and kept in its
window (`times`), and card numbers are masked (`masking`: never stored as typed). A message's identity
(`Arrival.key`) is the sender's message id, else a digest of parsed values (the moment, not how a file
wrote it; the body as masked), so a file re-exported with other date spellings adds nothing.
`intake.take_in` stores what `admit` returns, exactly once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from assist.domain import Channel, ImportField, TicketStatus
from assist.errors import ValidationError
from assist.identifiers import check_external_id, normalise_email
from assist.masking import CARDS_ONLY, MaskRules, add_counts, mask
from assist.sensitive_numbers import NumberKind
from assist.store import limits
from assist.text import clean, is_blank
from assist.times import arrival_time, parse_time, utcnow

# What the database holds, read from its columns (assist/store/limits.py); checked before writing, so a row is
# refused in plain words. Status and time are raw text before they are mapped and parsed, so their bounds are
# the reader's own. (The external id and the e-mail address are checked by their own rule, in
# assist/identifiers.py.)
LIMITS = {
    ImportField.SUBJECT: limits.SUBJECT,
    ImportField.CUSTOMER_NAME: limits.CUSTOMER_NAME,
    ImportField.MESSAGE_ID: limits.MESSAGE_ID,
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


def normal_label(name: str) -> str:
    """A column name or status as compared: lower case, runs of spaces, "_" and "-" as one space."""
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


@dataclass(frozen=True)
class Arrival:
    """One customer message as it will be stored: every value cleaned and checked by `admit`."""

    customer_email: str
    body: str
    key: str  # the message's identity on its ticket: a second arrival with it is "unchanged"
    external_id: str | None = None
    subject: str = ""
    customer_name: str = ""
    created: datetime | None = None
    status: TicketStatus = TicketStatus.NEW
    channel: Channel = Channel.EMAIL  # how the customer wrote; a reply goes out the same way
    earlier_keys: tuple[str, ...] = ()  # the key an earlier version stored for the same message
    replaced: int = 0  # characters replaced by `clean` in the free text
    # How many numbers of each kind were masked in the body and the subject (the audit log says so).
    masked: Mapping[NumberKind, int] = dataclasses.field(default_factory=dict)


def admit(
    values: Mapping[ImportField, str],
    *,
    max_chars: int,
    now: datetime | None = None,
    masking: MaskRules = CARDS_ONLY,
    channel: Channel = Channel.EMAIL,
) -> Arrival:
    """The one check every arrival passes before anything is written (imports, the HTTP intake and the
    mailbox call it through `take_in`): free text cleaned (`text.clean`), card numbers (and what `masking`
    adds) masked in the body and the subject, the e-mail address and the external id by their one rule
    (`identifiers`), the time parsed and kept in its window (`times`).

    Raises:
        ValidationError: what to correct, in plain words.
    """
    # Emptiness is judged on what the sender wrote: a body of controls becomes U+FFFD below, which shows.
    blank = {field for field, value in values.items() if is_blank(value)}
    cleaned = {field: clean(value) for field, value in values.items() if field not in _IDENTIFIERS}
    text = {field: c.text.strip() for field, c in cleaned.items()}
    as_typed = text.get(ImportField.BODY, "")
    masked = {f: mask(text[f], rules=masking) for f in _MASKED if f in text}
    text |= {f: m.text for f, m in masked.items()}
    _check_lengths(text, max_chars=max_chars)
    email = normalise_email(values.get(ImportField.CUSTOMER_EMAIL, ""))
    body = text.get(ImportField.BODY, "")
    if ImportField.BODY in blank or not body:
        raise ValidationError("the message body is empty.")
    raw_id = values.get(ImportField.EXTERNAL_ID, "").strip()
    external_id = check_external_id(raw_id) if raw_id else None
    created = arrival_time(parse_time(text.get(ImportField.CREATED, "")), now=now or utcnow())
    status = STATUS_MAP.get(normal_label(text.get(ImportField.STATUS, "") or "new"), TicketStatus.NEW)
    given = values.get(ImportField.MESSAGE_ID, "").strip()
    key = message_id_key(given) if given else _content_key(external_id, created, body)
    # Only looked up, never stored: the key a row stored before masking existed (its body as typed).
    unmasked = _content_key(external_id, created, as_typed)
    earlier = () if given else tuple({unmasked, _earlier_content_key(values)} - {key})
    return Arrival(
        customer_email=email,
        body=body,
        key=key,
        external_id=external_id,
        subject="" if ImportField.SUBJECT in blank else text.get(ImportField.SUBJECT, ""),
        customer_name="" if ImportField.CUSTOMER_NAME in blank else text.get(ImportField.CUSTOMER_NAME, ""),
        created=created,
        status=status,
        channel=channel,
        earlier_keys=earlier,
        replaced=sum(c.replaced for field, c in cleaned.items() if field is not ImportField.MESSAGE_ID),
        masked=add_counts(*(m.counts for m in masked.values())),
    )


# Free text a customer typed that is stored and shown (the name is left alone: digits there are no card).
_MASKED = (ImportField.BODY, ImportField.SUBJECT)


# Checked by their own rule on the raw value: an id or address is refused, never repaired (two different
# bad ids would otherwise become one). The message id is hashed when it needs repair (`message_id_key`).
_IDENTIFIERS = (ImportField.EXTERNAL_ID, ImportField.CUSTOMER_EMAIL)


def _check_lengths(text: Mapping[ImportField, str], *, max_chars: int) -> None:
    """Every field against what the database can hold, before anything is written."""
    for field, value in text.items():
        limit = max_chars if field is ImportField.BODY else LIMITS.get(field)
        if limit is not None and len(value) > limit:
            raise ValidationError(
                f"{field.value} is {len(value):,} characters; the limit is {limit:,}. Shorten it, then import again."
            )


def message_id_key(given: str) -> str:
    """A sender's message id as stored: as it is when it can be, else a digest of exactly what was sent
    (two different broken ids stay two messages)."""
    cleaned = clean(given.strip())
    if not cleaned.replaced and not is_blank(cleaned.text):
        return cleaned.text
    return "sha256:" + hashlib.sha256(given.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _content_key(external_id: str | None, created: datetime | None, body: str) -> str:
    """Without a message id: a digest of the parsed values (the moment, not how the export wrote it), so
    the same message exported twice in other date formats is one message."""
    moment = created.isoformat() if created is not None else ""
    raw = "\x1f".join((external_id or "", moment, body))
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _earlier_content_key(values: Mapping[ImportField, str]) -> str:
    """The key versions before 2026-12 stored (a digest of the raw date text), so a file imported then is
    still "unchanged" when imported again."""
    fields = (ImportField.EXTERNAL_ID, ImportField.CREATED, ImportField.BODY)
    raw = "\x1f".join(values.get(f, "").strip() for f in fields)
    return "sha256:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:40]
