"""One raw e-mail as the parts a ticket needs, read without trusting anything in it.

Headers go through `mail_headers` (decoded with a charset fallback, cleaned of line breaks, the sender
read by address and not by display name), the parts through `mail_mime` (no recursion, nesting and
part counts capped), the words through `mail_text` (bounded quote finding). `InboundMail.arrival` is the mail
as the `Arrival` every intake builds, which `arrival.admit` shortens (never refuses) and lists attachments of.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from assist.arrival import Arrival, Attachment
from assist.domain import Channel
from assist.mail_headers import clean_header, decode_words, message_ids, raw_text, sender_of, unfold
from assist.mail_mime import read_headers, read_mime
from assist.mail_text import html_text, newest_words
from assist.store import limits


@dataclass(frozen=True)
class InboundMail:
    message_id: str
    sender: str  # the From address, normalised; "" when the mail names none
    sender_certain: bool  # From is plainly one mailbox: only then may the mail join an existing ticket
    name: str
    subject: str  # one line, decoded, cleaned (`mail_headers.clean_header`)
    words: str  # the newest words as written: quoted history and signature cut, nothing shortened
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]  # newest first
    sent_at: datetime | None  # the Date header, believable or not
    attachments: tuple[Attachment, ...] = ()
    attachments_unread: int = 0  # parts past the reader's cap: counted, not read
    text_cut: bool = False  # the text part was over the reader's limit and was cut before decoding

    def arrival(self, *, external_id: str = "", sent_at: datetime | None = None) -> Arrival:
        """The mail as the channel-neutral `Arrival` every intake builds; `sent_at` is the Date header once the
        caller judged it believable (a wrong clock must not refuse the customer's message)."""
        return Arrival(
            channel=Channel.EMAIL,
            customer_email=self.sender,
            body=self.words or ("" if self.attachments or self.attachments_unread else "(no text)"),
            external_id=external_id,
            subject=self.subject,
            customer_name=self.name,
            message_id=self.message_id,
            sent_at=sent_at,
            attachments=self.attachments,
            attachments_unread=self.attachments_unread,
            shorten=True,  # a sender cannot be asked to shorten a mail: it is cut with a visible note
            shortened=self.text_cut,
        )


def parse(raw: bytes) -> InboundMail:
    """One RFC 5322 message as the parts a ticket needs (its words as long as the reader read them: `admit`
    shortens them to what a ticket holds).

    Raises:
        UnreadableMailError: parts nested deeper than any mail program writes (the poll quarantines it).
    """
    parts = read_mime(raw)
    sender = sender_of(parts.header("From"))
    text = parts.plain if parts.plain is not None else html_text(parts.html) if parts.html is not None else ""
    found = message_ids(parts.header("Message-ID"))
    message_id = found[0] if found else f"<sha256.{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id>"
    return InboundMail(
        message_id=message_id[: limits.MESSAGE_ID],
        sender=sender.address,
        sender_certain=sender.certain and parts.count("From") == 1,  # two From headers: never joins a ticket
        name=sender.name,
        subject=decode_words(parts.header("Subject"), limit=limits.SUBJECT),
        words=newest_words(text),
        in_reply_to=message_ids(parts.header("In-Reply-To")),
        references=tuple(reversed(message_ids(parts.header("References")))),
        sent_at=_date(parts.header("Date")),
        attachments=tuple(parts.attachments),
        attachments_unread=parts.unread,
        text_cut=parts.text_cut,
    )


def summary(raw: bytes) -> tuple[str, str]:
    """(sender, subject) of a mail for the quarantine list, as far as they can be read; never raises."""
    try:
        parts = read_headers(raw[:200_000])
        return sender_of(parts.header("From")).address, decode_words(parts.header("Subject"), limit=limits.SUBJECT)
    except Exception:  # the quarantine must record even a mail nothing can be read from
        return "", ""


def _date(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(clean_header(raw_text(unfold(value)))[:200])
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
