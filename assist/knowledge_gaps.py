"""Knowledge gaps: tickets the knowledge base could not answer, grouped into topics by meaning,
so an admin sees which article to write next."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel

from assist.embeddings import DIMENSIONS, Embedder
from assist.topics import topic_text

DISTANCE = 0.55  # cosine distance within which tickets count as one topic (MiniLM: paraphrases ~0.2-0.5)


class GapTopic(BaseModel):
    label: str  # the most central ticket's subject
    tickets: int
    examples: tuple[str, ...]
    ticket_ids: tuple[int, ...]


def gap_topics(candidates: pd.DataFrame, *, embedder: Embedder, max_examples: int = 3) -> list[GapTopic]:
    """Cluster `gap_candidates` rows (ticket_id, subject, preview, and optionally `vector`: the ticket's stored
    topic embedding) into topics, largest first.

    Only tickets without a stored vector are embedded: a change of the dashboard's dates embedded up to 300
    tickets again (3-11 s on two cores), though preparing each ticket had already embedded its opening."""
    if candidates.empty:
        return []
    vectors = np.zeros((len(candidates), DIMENSIONS), dtype=np.float32)
    stored = candidates["vector"] if "vector" in candidates else pd.Series([None] * len(candidates))
    missing = []
    for i, v in enumerate(stored):
        if v is None:
            missing.append(i)
        else:
            vectors[i] = np.frombuffer(v, dtype=np.float32)
    if missing:
        subjects, previews = candidates["subject"], candidates["preview"]
        vectors[missing] = embedder.encode([topic_text(subjects.iloc[i], previews.iloc[i]) for i in missing])
    if len(candidates) == 1:
        labels = np.zeros(1, dtype=int)
    else:
        from sklearn.cluster import AgglomerativeClustering

        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=DISTANCE
        ).fit_predict(vectors)
    found = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        centre = vectors[members].mean(axis=0)
        order = members[np.argsort(-(vectors[members] @ centre))]
        found.append(
            GapTopic(
                label=str(candidates["subject"].iloc[order[0]]),
                tickets=len(members),
                examples=tuple(str(candidates["preview"].iloc[i])[:200] for i in order[:max_examples]),
                ticket_ids=tuple(int(candidates["ticket_id"].iloc[i]) for i in order),
            )
        )
    return sorted(found, key=lambda t: (-t.tickets, t.label))
