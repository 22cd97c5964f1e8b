"""When are two customers asking the same question? On a `text,label` CSV of customer questions by intent
(BANKING77: many customers, 77 intents), each question's nearest other question by the product's sentence encoder,
and how often it has the same label, by cosine band. It measures `drafting.reuse.SAME_QUESTION`: from that cosine
the closest earlier ticket is taken to have asked this ticket's question.

    bands       per cosine band: questions whose nearest neighbour falls in it, and the share with the same label
    from        for each candidate threshold: questions at or above it, and the share with the same label
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

import numpy as np

from assist.embeddings import Embedder
from assist.errors import ValidationError

EDGES = (-1.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0001)
THRESHOLDS = (0.8, 0.85, 0.9, 0.95)


def evaluate(data: Path, embedder: Embedder) -> dict[str, Any]:
    with data.open(encoding="utf-8", newline="") as f:
        rows = [(r["text"], r["label"]) for r in csv.DictReader(f) if r.get("text") and r.get("label")]
    if len(rows) < 2:
        raise ValidationError(f"{data} holds fewer than two text,label rows: give a CSV with a header text,label.")
    vectors = embedder.encode([t for t, _ in rows])
    labels = np.asarray([label for _, label in rows])
    nearest, cosine = _nearest(vectors)
    same = labels[nearest] == labels
    bands = []
    for low, high in itertools.pairwise(EDGES):
        members = (cosine >= low) & (cosine < high)
        name = f"< {high:.2f}" if low < 0 else f"{low:.2f}-{min(high, 1.0):.2f}"
        bands.append(_share(name, members, same))
    return {
        "questions": len(rows),
        "labels": len(set(labels.tolist())),
        "bands": bands,
        "from": [_share(f">= {t:.2f}", cosine >= t, same) for t in THRESHOLDS],
    }


def _nearest(vectors: np.ndarray, block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Each row's nearest other row by cosine (the encoder's vectors are unit length), in blocks to bound memory."""
    nearest = np.empty(len(vectors), dtype=np.int64)
    cosine = np.empty(len(vectors), dtype=np.float32)
    for start in range(0, len(vectors), block):
        scores = vectors[start : start + block] @ vectors.T
        scores[np.arange(len(scores)), np.arange(start, start + len(scores))] = -np.inf  # not itself
        nearest[start : start + len(scores)] = scores.argmax(axis=1)
        cosine[start : start + len(scores)] = scores.max(axis=1)
    return nearest, cosine


def _share(band: str, members: np.ndarray, same: np.ndarray) -> dict[str, Any]:
    count = int(members.sum())
    return {"cosine": band, "questions": count, "same_label": round(float(same[members].mean()), 4) if count else None}
