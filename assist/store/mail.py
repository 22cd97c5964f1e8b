"""Mail repository: the tickets a mail cites, and the quarantine of mails that could not be stored."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from assist.domain import AuthorRole, QuarantinedMail
from assist.errors import NotFoundError
from assist.store.models import MailCursorRow, MailQuarantineRow, MessageRow, TicketRow
from assist.store.tickets import add_message
from assist.times import utcnow

MAX_CITED = 20  # tickets one Message-ID can name (the same id on several tickets is rare, never many)


@dataclass(frozen=True)
class CitedTicket:
    """A ticket a mail cites, with the address of the customer it belongs to."""

    id: int
    customer_email: str


def tickets_holding(session: Session, message_id: str) -> list[CitedTicket]:
    """The tickets with a message stored under this Message-ID: a customer's mail, or one of our replies
    (`delivery.new_message_id`); oldest ticket first."""
    ids = session.scalars(
        select(MessageRow.ticket_id)
        .where(MessageRow.external_id == message_id)
        .distinct()
        .order_by(MessageRow.ticket_id)
        .limit(MAX_CITED)
    ).all()
    return [cited for ticket_id in ids if (cited := ticket_numbered(session, ticket_id)) is not None]


def ticket_numbered(session: Session, ticket_id: int) -> CitedTicket | None:
    """The ticket with this id (a `[#123]` subject tag), if there is one."""
    ticket = session.get(TicketRow, ticket_id)
    return CitedTicket(ticket.id, ticket.customer.email) if ticket is not None else None


def quarantine(
    session: Session, *, digest: str, mailbox: str, uid: int, sender: str, subject: str, reason: str, raw: bytes
) -> int:
    """Keep a mail that could not be stored; the same bytes again update the reason, never a second row."""
    row = session.scalar(select(MailQuarantineRow).where(MailQuarantineRow.digest == digest))
    if row is None:
        row = MailQuarantineRow(
            digest=digest, mailbox=mailbox, uid=uid, sender=sender, subject=subject, reason=reason, raw=raw
        )
        session.add(row)
        session.flush()
    else:
        row.reason = reason
    return row.id


def waiting(session: Session, *, limit: int = 200) -> list[QuarantinedMail]:
    """Quarantined mails not yet stored by a retry, newest first."""
    rows = session.execute(
        select(MailQuarantineRow, func.length(MailQuarantineRow.raw))
        .options(defer(MailQuarantineRow.raw))  # the list needs the size, not megabytes of mail
        .where(MailQuarantineRow.resolved_at.is_(None))
        .order_by(MailQuarantineRow.quarantined_at.desc(), MailQuarantineRow.id.desc())
        .limit(limit)
    ).all()
    return [
        QuarantinedMail(
            id=row.id,
            quarantined_at=row.quarantined_at,
            mailbox=row.mailbox,
            uid=row.uid,
            sender=row.sender,
            subject=row.subject,
            reason=row.reason,
            size=size or 0,
            attempts=row.attempts,
        )
        for row, size in rows
    ]


def held(session: Session, quarantine_id: int) -> MailQuarantineRow:
    row = session.get(MailQuarantineRow, quarantine_id)
    if row is None or row.resolved_at is not None:
        raise NotFoundError(f"No quarantined mail #{quarantine_id} waits for a retry; reload the list.")
    return row


def retried(session: Session, quarantine_id: int, *, ticket_id: int | None, reason: str) -> None:
    """Record a retry: stored on `ticket_id`, or failed again for `reason`."""
    row = session.get_one(MailQuarantineRow, quarantine_id)
    row.attempts += 1
    row.retried_at = utcnow()
    if ticket_id is not None:
        row.resolved_at, row.ticket_id = row.retried_at, ticket_id
    else:
        row.reason = reason


def customer_of_external_id(session: Session, external_id: str) -> str | None:
    """The address of the customer whose ticket holds this external id, if one does."""
    ticket = session.scalar(select(TicketRow).where(TicketRow.external_id == external_id))
    return ticket.customer.email if ticket is not None else None


def add_note_once(session: Session, *, ticket_id: int, key: str, body: str, actor: str) -> None:
    """An internal note on the ticket, unless one with this key is there already."""
    if session.scalar(select(MessageRow.id).where(MessageRow.ticket_id == ticket_id, MessageRow.external_id == key)):
        return
    ticket = session.get_one(TicketRow, ticket_id)
    add_message(session, ticket=ticket, role=AuthorRole.NOTE, body=body, actor=actor, external_id=key)


def mail_cursor(session: Session, *, mailbox: str, validity: int) -> int:
    """The last UID read from the mailbox; 0 when none was, or the mailbox's UIDVALIDITY changed."""
    row = session.get(MailCursorRow, mailbox)
    return row.last_uid if row is not None and row.uidvalidity == validity else 0


def advance_mail_cursor(session: Session, *, mailbox: str, validity: int, uid: int) -> None:
    row = session.get(MailCursorRow, mailbox)
    if row is None:
        session.add(MailCursorRow(mailbox=mailbox, uidvalidity=validity, last_uid=uid))
    else:
        row.uidvalidity, row.last_uid = validity, max(uid, row.last_uid if row.uidvalidity == validity else 0)
