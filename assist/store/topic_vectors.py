"""Each ticket's topic vector (its opening, embedded), stored once so later tickets compare without
re-embedding; and the openings of tickets that have none yet."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from assist.domain import AuthorRole
from assist.store.models import MessageRow, TicketRow, TicketTopicRow


def stored(session: Session, ticket_ids: Sequence[int]) -> dict[int, npt.NDArray[np.float32]]:
    """The stored vectors of those of `ticket_ids` that have one."""
    rows = session.scalars(select(TicketTopicRow).where(TicketTopicRow.ticket_id.in_(ticket_ids)))
    return {row.ticket_id: np.frombuffer(row.vector, dtype=np.float32) for row in rows}


def keep(session: Session, ticket_id: int, vector: npt.NDArray[np.float32]) -> None:
    """Store the ticket's vector unless it has one (a ticket's opening never changes)."""
    if session.get(TicketTopicRow, ticket_id) is None:
        session.add(TicketTopicRow(ticket_id=ticket_id, vector=np.asarray(vector, dtype=np.float32).tobytes()))


def openings(session: Session, ticket_ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """(ticket id, subject, first customer message) of each of `ticket_ids`."""
    first_message = (
        select(MessageRow.body)
        .where(MessageRow.ticket_id == TicketRow.id, MessageRow.author_role == AuthorRole.CUSTOMER.value)
        .order_by(MessageRow.id)
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(select(TicketRow.id, TicketRow.subject, first_message).where(TicketRow.id.in_(ticket_ids)))
    return [(ticket_id, subject, body or "") for ticket_id, subject, body in rows]
