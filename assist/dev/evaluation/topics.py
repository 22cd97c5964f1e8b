"""How well "the same issue" (assist/topics.py) separates tickets that ask the same question from those that
do not, on a workspace whose tickets carry their question as the intent label (the demo workspace does: one
intent per wording). Every pair of ticket openings is compared by the product's own topic text and embedder.

    same_recall    share of pairs asking the same question that count as the same issue
    same_category  share of pairs of one category asking different things that count as the same issue
    unrelated      share of pairs of different categories that count as the same issue
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from assist.embeddings import Embedder
from assist.store.db import session_scope
from assist.store.models import TicketRow
from assist.store.tickets import ticket_detail
from assist.topics import SAME_TOPIC, ticket_topic_text

THRESHOLDS = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def evaluate(engine: Engine, embedder: Embedder) -> dict[str, Any]:
    with session_scope(engine) as session:
        ids = list(session.scalars(select(TicketRow.id).order_by(TicketRow.id)))
        tickets = [ticket_detail(session, ticket_id=i) for i in ids]
        labels = dict(session.execute(select(TicketRow.id, TicketRow.intent)).tuples().all())
    vectors = embedder.encode([ticket_topic_text(t) for t in tickets])
    same, same_category, unrelated = [], [], []
    for i, j in itertools.combinations(range(len(tickets)), 2):
        a, b = tickets[i], tickets[j]
        similarity = float(vectors[i] @ vectors[j])
        if labels.get(a.id) and labels.get(a.id) == labels.get(b.id):
            same.append(similarity)
        elif a.category == b.category:
            same_category.append(similarity)
        else:
            unrelated.append(similarity)

    def share(values: list[float], threshold: float) -> float:
        return round(float(np.mean(np.asarray(values) >= threshold)), 4) if values else 0.0

    return {
        "tickets": len(tickets),
        "pairs": {"same": len(same), "same_category": len(same_category), "unrelated": len(unrelated)},
        "threshold": SAME_TOPIC,
        "by_threshold": {
            str(t): {
                "same_recall": share(same, t),
                "same_category": share(same_category, t),
                "unrelated": share(unrelated, t),
            }
            for t in THRESHOLDS
        },
    }
