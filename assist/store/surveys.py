"""CSAT as stored: the survey tokens (each used once) and the ratings, from the survey page or an import."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assist.store.models import CsatRow, SurveyTokenRow, TicketRow
from assist.store.tickets import parse_ticket_id
from assist.times import utcnow

TokenState = Literal["open", "used", "invalid"]


def add_token(session: Session, *, nonce: str, ticket_id: int) -> None:
    session.add(SurveyTokenRow(nonce=nonce, ticket_id=ticket_id))


def token_state(session: Session, *, nonce: str, ticket_id: int) -> TokenState:
    row = session.get(SurveyTokenRow, nonce)
    if row is None or row.ticket_id != ticket_id:
        return "invalid"
    return "used" if row.used_at is not None else "open"


def claim_token(session: Session, *, nonce: str, ticket_id: int) -> TokenState:
    """Use the token, once: a conditional UPDATE claims it atomically, so a replay (or a double click) finds it
    used. Returns "open" when this call claimed it."""
    claimed = session.execute(
        update(SurveyTokenRow)
        .where(SurveyTokenRow.nonce == nonce, SurveyTokenRow.ticket_id == ticket_id, SurveyTokenRow.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount  # type: ignore[attr-defined]
    if claimed == 1:
        return "open"
    return "used" if session.get(SurveyTokenRow, nonce) is not None else "invalid"


def ticket_subject(session: Session, ticket_id: int) -> str:
    return session.get_one(TicketRow, ticket_id).subject


def add_rating(
    session: Session,
    *,
    ticket_id: int,
    score: int,
    comment: str,
    source: Literal["survey", "import"],
    responded_at: datetime | None = None,
    import_key: str | None = None,
) -> None:
    row = CsatRow(ticket_id=ticket_id, score=score, comment=comment, source=source, import_key=import_key)
    if responded_at is not None:
        row.responded_at = responded_at
    session.add(row)


def imported_before(session: Session, keys: Sequence[str]) -> bool:
    """A rating with one of these import keys is stored."""
    return session.scalar(select(CsatRow.id).where(CsatRow.import_key.in_(keys))) is not None


def ticket_for_reference(session: Session, reference: str) -> int | None:
    """The ticket a CSAT file names: by the helpdesk's id, else by our #id."""
    ticket_id = session.scalar(select(TicketRow.id).where(TicketRow.external_id == reference))
    number = parse_ticket_id(reference)
    if ticket_id is None and number is not None:
        ticket_id = session.scalar(select(TicketRow.id).where(TicketRow.id == number))
    return int(ticket_id) if ticket_id is not None else None
