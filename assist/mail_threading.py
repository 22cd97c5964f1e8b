"""Which ticket a mail joins. `thread_of` is the one decision every mail goes through.

A mail may join a ticket it cites (by In-Reply-To, by References, or by a `[#123]` tag in the subject)
only when its sender is that ticket's customer (`may_join`): Message-IDs are no secret (a customer's own
id is seen by everyone they copy, and ours used to be `<assist.<ticket>.<n>@...>`), so citing one proves
nothing. Anything else becomes a new ticket that says which tickets it referred to (`refers_note`),
so the agent sees the link without the stranger's words landing in someone else's thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from assist.mail_headers import address_key
from assist.mail_parse import InboundMail
from assist.store.mail import CitedTicket, ticket_numbered, tickets_holding

_TAG = re.compile(r"\[#([0-9]{1,9})\]")  # within an INTEGER: a longer number is not one of our ids
MAX_TAGS = 5


@dataclass(frozen=True)
class Citation:
    ticket_id: int
    via: str  # "In-Reply-To" | "References" | "the subject tag"


@dataclass(frozen=True)
class Threading:
    ticket_id: int | None  # the ticket the mail joins; None: it starts a new one
    refused: tuple[Citation, ...] = ()  # tickets it cites but may not join


def thread_of(session: Session, mail: InboundMail) -> Threading:
    """The first cited ticket the sender may join, else None with every ticket it cited."""
    refused: dict[int, Citation] = {}
    for via, tickets in _cited(session, mail):
        for ticket in tickets:
            if may_join(ticket, mail):
                return Threading(ticket_id=ticket.id)
            refused.setdefault(ticket.id, Citation(ticket_id=ticket.id, via=via))
    return Threading(ticket_id=None, refused=tuple(refused.values()))


def may_join(ticket: CitedTicket, mail: InboundMail) -> bool:
    """The mail plainly comes from an address the ticket already has (its customer's)."""
    return mail.sender_certain and address_key(mail.sender) in addresses(ticket)


def addresses(ticket: CitedTicket) -> set[str]:
    """The addresses a ticket knows as its own: its customer's (the only one stored today)."""
    return {address_key(ticket.customer_email)}


def note_for(mail: InboundMail, refused: tuple[Citation, ...]) -> str | None:
    """The intake's internal note on a new ticket: which tickets it referred to but could not join, and
    a sender that is not plainly one address. None when there is nothing to say."""
    said: list[str] = []
    if refused:
        cited = ", ".join(f"#{c.ticket_id} (by {c.via})" for c in refused)
        said.append(
            f"Refers to {cited}, but came from {mail.sender or 'no address'}, not from that ticket's customer, "
            "so it was opened as a new ticket."
        )
    if not mail.sender_certain:
        said.append(
            "Its From header is not plainly one address (several addresses, or a malformed one), so it "
            f"was filed under {mail.sender}."
        )
    if not said:
        return None
    return " ".join([*said, "Check who wrote before sharing anything from another ticket."])


def _cited(session: Session, mail: InboundMail) -> Iterator[tuple[str, list[CitedTicket]]]:
    """The tickets the mail cites, header by header, read only as far as needed."""
    for message_id in mail.in_reply_to:
        yield "In-Reply-To", tickets_holding(session, message_id)
    for message_id in mail.references:
        if message_id not in mail.in_reply_to:
            yield "References", tickets_holding(session, message_id)
    for tag in _TAG.findall(mail.subject)[:MAX_TAGS]:
        yield "the subject tag", _tagged(session, tag)


def _tagged(session: Session, tag: str) -> list[CitedTicket]:
    ticket = ticket_numbered(session, int(tag))
    return [ticket] if ticket is not None else []
