"""What every arrival passes before anything is written. Each channel (a file's row, an HTTP request, a mail)
builds one typed `Arrival` (its channel, ids, customer, subject, body, message id, sent time as a datetime,
attachments); `admit` checks it into what is stored (`Admitted`), or refuses it with what to correct.

Free text is made storable (`text.clean`: lone surrogates, NUL and controls replaced, and counted), attachments
are listed under the body (`fit`), the address and the ticket id follow their one rule (`identifiers`), the time
is kept in its window (`times`), and card numbers are masked (`masking`: never stored as typed). A message's
identity (`Admitted.key`) is the sender's message id, else a digest of parsed values (the moment, not how a file
wrote it; the body as masked), so a file re-exported with other date spellings adds nothing.
`intake.take_in` stores what `admit` returns exactly once: a new ticket, or a follow-up on the ticket its external
id names; a mail that joins a thread passes `admit` too, then `intake.append_from_customer`.

A new channel builds an `Arrival` and calls `take_in`: nothing here changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
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
from assist.times import arrival_time, utcnow

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


@dataclass(frozen=True)
class Attachment:
    """A file that came with a message: listed with the message, never stored or opened."""

    name: str
    size: int  # bytes, decoded


@dataclass(frozen=True)
class Arrival:
    """One customer message as a channel received it, typed: what a file's row, an HTTP request and a mail all
    become before `admit` checks it. Nothing here is trusted yet."""

    channel: Channel  # how the customer wrote; a new ticket keeps it, and its replies go out the same way
    customer_email: str
    body: str
    external_id: str = ""  # the helpdesk's ticket id ("" when the channel has none)
    subject: str = ""
    customer_name: str = ""
    message_id: str = ""  # the sender's id of this message ("": identified by its content)
    sent_at: datetime | None = None  # when the customer sent it; None: when it arrived
    status: TicketStatus = TicketStatus.NEW  # an export's ticket status
    attachments: tuple[Attachment, ...] = ()  # listed under the message
    attachments_unread: int = 0  # more parts than the reader counts: "and N more"
    shorten: bool = False  # the sender cannot be asked again (mail): a long body is cut with a note, not refused
    shortened: bool = False  # the channel already cut the text (a mail part over the reader's limit)
    earlier_key: str = ""  # the identity a version before 2026-12 stored for the same row (imports)


@dataclass(frozen=True)
class Admitted:
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
    arrival: Arrival,
    *,
    max_chars: int,
    now: datetime | None = None,
    masking: MaskRules = CARDS_ONLY,
) -> Admitted:
    """The one check every arrival passes before anything is written (imports, the HTTP intake and the
    mailbox, new tickets and follow-ups): free text cleaned (`text.clean`), card numbers (and what `masking`
    adds) masked in the body and the subject, attachments listed under the body, the e-mail address and the
    external id by their one rule (`identifiers`), the time kept in its window (`times`).

    Raises:
        ValidationError: what to correct, in plain words.
    """
    a = arrival
    listed = bool(a.attachments or a.attachments_unread)
    # Emptiness is judged on what the sender wrote: a body of controls becomes U+FFFD below, which shows.
    if is_blank(a.body) and not listed:
        raise ValidationError("the message body is empty.")
    raw_body = a.body
    if a.shorten and len(raw_body) > max_chars + _CUT_MARGIN:  # never clean or mask megabytes that are cut away
        raw_body = raw_body[: max_chars + _CUT_MARGIN]
    cleaned = {
        ImportField.BODY: clean(raw_body),
        ImportField.SUBJECT: clean(a.subject),
        ImportField.CUSTOMER_NAME: clean(a.customer_name),
    }
    text = {field: c.text.strip() for field, c in cleaned.items()}
    as_typed = text[ImportField.BODY]
    masked = {f: mask(text[f], rules=masking) for f in _MASKED}
    text |= {f: m.text for f, m in masked.items()}
    extra_counts = []  # numbers masked outside the body and the subject (attachment names)
    if listed or a.shorten:
        # Masked first: a cut through a card number must not leave its digits behind unmasked.
        files = [Attachment(_one_line(f.name)[:ATTACHMENT_NAME_CHARS] or "unnamed", f.size) for f in a.attachments]
        listing = mask(attachment_list(files, more=a.attachments_unread), rules=masking)  # a name can hold a card
        extra_counts.append(listing.counts)
        body = text[ImportField.BODY]
        # A channel that can ask its sender again (a file, a request) is never cut: too long is refused below.
        text[ImportField.BODY] = (
            fit(body, listing.text, max_chars=max_chars, cut=a.shortened, length=max(len(body), len(a.body)))
            if a.shorten
            else f"{body}\n\n{listing.text}".strip()
        )
    if a.shorten:  # a mail is never refused for its length: its one-line fields are cut to what is stored
        for field in (ImportField.SUBJECT, ImportField.CUSTOMER_NAME):
            text[field] = text[field][: LIMITS[field]]
    body = text[ImportField.BODY]
    _check_lengths(text | {ImportField.MESSAGE_ID: a.message_id.strip()}, max_chars=max_chars)
    email = normalise_email(a.customer_email)
    if not body:
        raise ValidationError("the message body is empty.")
    external_id = check_external_id(a.external_id.strip()) if a.external_id.strip() else None
    created = arrival_time(a.sent_at, now=now or utcnow())
    given = a.message_id.strip()
    key = message_id_key(given) if given else _content_key(external_id, created, body)
    # Only looked up, never stored: the key a row stored before masking existed (its body as typed).
    unmasked = _content_key(external_id, created, as_typed)
    earlier = () if given else tuple({unmasked, *([a.earlier_key] if a.earlier_key else [])} - {key})
    return Admitted(
        customer_email=email,
        body=body,
        key=key,
        external_id=external_id,
        subject="" if is_blank(a.subject) else text[ImportField.SUBJECT],
        customer_name="" if is_blank(a.customer_name) else text[ImportField.CUSTOMER_NAME],
        created=created,
        status=a.status,
        channel=a.channel,
        earlier_keys=earlier,
        replaced=sum(c.replaced for c in cleaned.values()),
        masked=add_counts(*(m.counts for m in masked.values()), *extra_counts),
    )


ATTACHMENTS_LISTED = 20
ATTACHMENT_NAME_CHARS = 255  # of each name listed
# A mail longer than its limit is cut before it is cleaned and masked, keeping this much more than is stored
# (more than any number with separators spans, so what is stored is masked as a whole).
_CUT_MARGIN = 1_000


def attachment_list(attachments: list[Attachment], *, more: int) -> str:
    """The line that lists a message's attachments: names and sizes up to ATTACHMENTS_LISTED, then "and N more"
    (`more`: parts that were counted but not read); "" when there are none."""
    listed = [f"{a.name} ({_size(a.size)})" for a in attachments[:ATTACHMENTS_LISTED]]
    rest = len(attachments) - len(listed) + more
    return f"[Attachments: {', '.join(listed)}{f' and {rest:,} more' if rest else ''}]" if listed or rest else ""


def fit(body: str, listing: str, *, max_chars: int, cut: bool = False, length: int | None = None) -> str:
    """`body` and the list of its attachments within `max_chars`: the body cut with a visible
    "[message shortened: N characters]" note when it is too long (or was already cut: `cut`); `length`: how long
    the message was, when `body` is already a part of it."""
    tail = f"\n\n{listing}" if listing else ""
    if len(body) + len(tail) <= max_chars and not cut:
        return (body + tail).strip()
    note = f"[message shortened: {'more than ' if cut else ''}{length or len(body):,} characters]"
    room = max_chars - len(tail) - len(note) - 2
    if room <= 0:  # a tiny limit: the note and as much of the list as fits
        return f"{note}{tail}"[:max_chars].strip()
    return f"{body[:room].rstrip()}\n\n{note}{tail}".strip()


def _one_line(name: str) -> str:
    """An attachment's name on one line: a name with line breaks could fake a line of the message."""
    return " ".join(clean(name).text.split())


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


# Free text a customer typed that is stored and shown (the name is left alone: digits there are no card).
_MASKED = (ImportField.BODY, ImportField.SUBJECT)


def _check_lengths(text: Mapping[ImportField, str], *, max_chars: int) -> None:
    """Every field against what the database can hold, before anything is written."""
    for field, value in text.items():
        limit = max_chars if field is ImportField.BODY else LIMITS.get(field)
        if limit is not None and len(value) > limit:
            raise ValidationError(
                f"{field.value} is {len(value):,} characters; the limit is {limit:,}. Shorten it, then send it again."
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
