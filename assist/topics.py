"""Is an earlier ticket about the same issue as this one? Compared by meaning (MiniLM embeddings of each
ticket's opening: subject + first customer message without greeting and signature), not by a shared intent
label or category: "my refund hasn't arrived" asked again in other words is the same issue; "webhook signature
doesn't match" is not the same issue as last month's "webhooks stopped arriving".

One threshold, read off the demo workspace's 327 ticket openings (the demo has one question per wording, so "same
question" is known; the measurement is in docs/evaluation.md): at a cosine of 0.6, 93 % of pairs asking the same
question count as the same issue, against 1.7 % of pairs of the same category asking different things and 0.1 % of
unrelated pairs. The looser line it replaces (0.45 within a category) counted 7.7 % of different questions of a
category as the same issue: a customer's first question about webhook signatures was greeted as a repeat of last
month's disabled endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from assist.domain import AuthorRole, TicketDetail
from assist.drafting.message_text import content
from assist.store import topic_vectors

SAME_TOPIC = 0.6  # this similar is the same issue
MAX_CHARS = 1000

Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]


def topic_text(subject: str, first_message: str) -> str:
    """The ticket's opening without greeting and signature (for a one-message ticket, the same text retrieval
    searches with, so it is embedded once)."""
    return f"{subject}\n{content(first_message)}"[:MAX_CHARS]


def ticket_topic_text(ticket: TicketDetail) -> str:
    first = next((m.body for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER), "")
    return topic_text(ticket.subject, first)


@dataclass(frozen=True)
class TopicMatch:
    """The current ticket's topic vector, and how to embed earlier tickets that have none stored yet."""

    ticket_id: int
    vector: npt.NDArray[np.float32]
    embed: Embed

    @classmethod
    def of(
        cls, session: Session, ticket: TicketDetail, *, embed: Embed, known: Mapping[str, npt.NDArray[np.float32]]
    ) -> TopicMatch:
        """The ticket's stored vector, else its opening embedded: read from `known` (texts the caller embedded
        already: a one-message ticket's opening is the text retrieval searched with) or by `embed`. A ticket is
        assisted again on each new message; its opening never changes, so it is embedded once. The stored vectors
        do not record the rules that read the opening (`topic_text`, `message_text.content`): a change to those
        rules empties `ticket_topics` in its migration, and every vector is embedded again on first use."""
        vector = topic_vectors.stored(session, [ticket.id]).get(ticket.id)
        if vector is None:
            text = ticket_topic_text(ticket)
            vector = known[text] if text in known else embed([text])[0]
        return cls(ticket_id=ticket.id, vector=vector, embed=embed)

    def remember(self, session: Session) -> None:
        """Store this ticket's vector (once) so later tickets compare with it without re-embedding."""
        topic_vectors.keep(session, self.ticket_id, self.vector)

    def similar(self, session: Session, ticket_ids: Sequence[int]) -> dict[int, float]:
        """Cosine similarity of each earlier ticket's opening to this ticket's (computed and stored if missing)."""
        stored = topic_vectors.stored(session, ticket_ids)
        missing = [i for i in ticket_ids if i not in stored]
        if missing:
            rows = topic_vectors.openings(session, missing)
            vectors = self.embed([topic_text(subject, body) for _, subject, body in rows])
            for (ticket_id, _, _), vector in zip(rows, vectors, strict=True):
                stored[ticket_id] = vector
                topic_vectors.keep(session, ticket_id, vector)
        return {i: float(v @ self.vector) for i, v in stored.items()}

    @staticmethod
    def same_issue(similarity: float) -> bool:
        return similarity >= SAME_TOPIC
