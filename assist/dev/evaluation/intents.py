"""How often a shown intent label is right, by the triage model's intent confidence, on a workspace whose
tickets carry their question as the intent label (the demo workspace does: one intent per wording).

Two readings, both through the product's own training (`assist.triage.train`, which drops intents with too
few examples, as `make run` does):

    held_out  resolved tickets, k-fold: trained on the other folds, read on this one
    open      the open tickets (every status but resolved), read on their retrieval query, as the pipeline
              triages them, by a model trained on all resolved tickets

For each threshold: coverage (share of tickets that would show an intent) and precision (share of shown
intents that are the ticket's own). `lowest_threshold` is the lowest one at which precision reaches
`target` on both readings.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from assist.drafting.thread import retrieval_query
from assist.embeddings import Embedder
from assist.store.db import session_scope
from assist.store.models import TicketRow
from assist.store.tickets import ticket_detail
from assist.triage import Example, examples_from_store, train
from assist.triage.classifier import TextClassifier

THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(20))


@dataclass(frozen=True)
class Reading:
    gold: str
    predicted: str
    confidence: float


def evaluate(
    engine: Engine, embedder: Embedder, *, folds: int = 5, seed: int = 13, target: float = 0.9
) -> dict[str, Any]:
    from sklearn.model_selection import KFold

    examples = examples_from_store(engine)
    held_out: list[Reading] = []
    for fit, check in KFold(n_splits=folds, shuffle=True, random_state=seed).split(examples):
        held_out += _read(
            [examples[i] for i in fit],
            [examples[i].text for i in check],
            [str(examples[i].intent) for i in check],
            embedder,
        )
    with session_scope(engine) as session:
        rows = session.execute(
            select(TicketRow.id, TicketRow.intent).where(TicketRow.status != "resolved", TicketRow.intent.is_not(None))
        ).all()
        queries = [retrieval_query(ticket_detail(session, ticket_id=ticket_id)) for ticket_id, _ in rows]
    opened = _read(examples, queries, [str(intent) for _, intent in rows], embedder)
    curves = {"held_out": _curve(held_out), "open": _curve(opened)}
    lowest = next(
        (t for t in THRESHOLDS if all(curve[str(t)]["precision"] >= target for curve in curves.values())), None
    )
    return {
        "resolved": len(examples),
        "open": len(opened),
        "folds": folds,
        "target_precision": target,
        "lowest_threshold": lowest,
        "at_lowest": {name: curve[str(lowest)] for name, curve in curves.items()} if lowest is not None else None,
        "by_threshold": curves,
    }


def _read(fit: Sequence[Example], texts: Sequence[str], gold: Sequence[str], embedder: Embedder) -> list[Reading]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "triage.skops"
        train(fit, embedder=embedder, target=path)
        classifier = TextClassifier.load(path)
    probs = classifier.predict_proba(texts, embedder.encode(list(texts)))
    best = probs.argmax(axis=1)
    return [
        Reading(gold=g, predicted=classifier.labels[b], confidence=float(p[b]))
        for g, b, p in zip(gold, best, probs, strict=True)
    ]


def _curve(readings: Sequence[Reading]) -> dict[str, dict[str, float | int]]:
    confidence = np.array([r.confidence for r in readings])
    right = np.array([r.gold == r.predicted for r in readings])
    curve: dict[str, dict[str, float | int]] = {}
    for t in THRESHOLDS:
        shown = confidence >= t
        curve[str(t)] = {
            "shown": int(shown.sum()),
            "coverage": round(float(shown.mean()), 4),
            # Nothing shown is never wrong.
            "precision": round(float(right[shown].mean()), 4) if shown.any() else 1.0,
        }
    return curve
