"""Draft confidence: the probability that the draft is grounded in the right article.

A logistic model over retrieval evidence: the top article's score, its margin over the runner-up,
whether the dense and BM25 retrievers both ranked it first, and whether its category agrees with
triage. Fitted by `python -m assist train confidence` on questions written for the demo topics
(assist/demo/content.py), then checked for calibration (expected calibration error) on the separate
labelled set in tests/data by `python -m assist eval retrieval`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assist.domain import Category, Hit

COEFFICIENTS = Path(__file__).with_name("confidence.json")
NO_EVIDENCE = 0.02
FEATURES = ("top_score", "margin", "retrievers_agree", "category_agrees")


def features(hits: Sequence[Hit], category: Category | None) -> list[float] | None:
    if not hits:
        return None
    top = hits[0]
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    return [
        top.score,
        top.score - runner_up,
        1.0 if top.dense_rank == 1 and top.bm25_rank == 1 else 0.0,
        1.0 if category is not None and top.category == category.value else 0.0,
    ]


@dataclass(frozen=True)
class ConfidenceModel:
    weights: tuple[float, ...]
    bias: float

    @classmethod
    def load(cls, path: Path = COEFFICIENTS) -> ConfidenceModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(weights=tuple(float(data["weights"][f]) for f in FEATURES), bias=float(data["bias"]))

    def probability(self, hits: Sequence[Hit], category: Category | None) -> float:
        x = features(hits, category)
        if x is None:
            return NO_EVIDENCE
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return round(1.0 / (1.0 + math.exp(-z)), 4)


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], *, bins: int = 10) -> float:
    """Weighted mean gap between confidence and accuracy over equal-width confidence bins."""
    total = len(confidences)
    if not total:
        return 0.0
    error = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [i for i, c in enumerate(confidences) if low <= c < high or (b == bins - 1 and c == 1.0)]
        if members:
            accuracy = sum(correct[i] for i in members) / len(members)
            mean_conf = sum(confidences[i] for i in members) / len(members)
            error += len(members) / total * abs(accuracy - mean_conf)
    return round(error, 4)
