"""Is an earlier ticket about the same thing as this one? Compared by meaning (MiniLM embeddings of each
ticket's opening: subject + first customer message), not only by an exact intent label, so "webhooks stopped
arriving" a month ago counts as history for "webhook signature doesn't match" today.

Thresholds were read off the demo topics' wordings (cosine of ticket openings, see docs/evaluation.md):
the same topic written differently has a median of 0.71 (25th percentile 0.58); tickets of the same
category about different things a median of 0.23 (95th percentile 0.48); unrelated tickets 0.14
(95th percentile 0.34).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from assist.domain import AuthorRole, TicketDetail
from assist.store.models import MessageRow, TicketRow, TicketTopicRow

SAME_TOPIC = 0.6  # this similar counts whatever the category
SAME_TOPIC_IN_CATEGORY = 0.45  # this similar counts within the same category
MAX_CHARS = 1000

Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]


def topic_text(subject: str, first_message: str) -> str:
    return f"{subject}\n{first_message}"[:MAX_CHARS]


def ticket_topic_text(ticket: TicketDetail) -> str:
    first = next((m.body for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER), "")
    return topic_text(ticket.subject, first)


def _pack(vector: npt.NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def _unpack(data: bytes) -> npt.NDArray[np.float32]:
    return np.frombuffer(data, dtype=np.float32)


@dataclass(frozen=True)
class TopicMatch:
    """The current ticket's topic vector, and how to embed earlier tickets that have none stored yet."""

    ticket_id: int
    vector: npt.NDArray[np.float32]
    embed: Embed

    def remember(self, session: Session) -> None:
        """Store this ticket's vector (once) so later tickets compare with it without re-embedding."""
        if session.get(TicketTopicRow, self.ticket_id) is None:
            session.add(TicketTopicRow(ticket_id=self.ticket_id, vector=_pack(self.vector)))

    def similar(self, session: Session, ticket_ids: Sequence[int]) -> dict[int, float]:
        """Cosine similarity of each earlier ticket's opening to this ticket's (computed and stored if missing)."""
        stored = {
            row.ticket_id: _unpack(row.vector)
            for row in session.scalars(select(TicketTopicRow).where(TicketTopicRow.ticket_id.in_(ticket_ids)))
        }
        missing = [i for i in ticket_ids if i not in stored]
        if missing:
            first_message = (
                select(MessageRow.body)
                .where(MessageRow.ticket_id == TicketRow.id, MessageRow.author_role == AuthorRole.CUSTOMER.value)
                .order_by(MessageRow.id)
                .limit(1)
                .scalar_subquery()
            )
            rows = session.execute(
                select(TicketRow.id, TicketRow.subject, first_message).where(TicketRow.id.in_(missing))
            ).all()
            vectors = self.embed([topic_text(subject, body or "") for _, subject, body in rows])
            for (ticket_id, _, _), vector in zip(rows, vectors, strict=True):
                stored[ticket_id] = vector
                session.add(TicketTopicRow(ticket_id=ticket_id, vector=_pack(vector)))
        return {i: float(v @ self.vector) for i, v in stored.items()}

    @staticmethod
    def same_issue(similarity: float, *, same_category: bool) -> bool:
        return similarity >= SAME_TOPIC or (same_category and similarity >= SAME_TOPIC_IN_CATEGORY)
