"""Fit the draft-confidence model on questions written for the demo topics (not the eval set)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from assist.demo import content as demo_content
from assist.dev.evaluation.retrieval import LabelledQuery, temporary_knowledge_base
from assist.drafting.confidence import COEFFICIENTS, FEATURES, expected_calibration_error, features
from assist.embeddings import Embedder
from assist.triage import Triager

KB_DOCS = Path(__file__).parents[3] / "kb_docs"


def calibration_queries() -> list[LabelledQuery]:
    """Ticket-like texts for every demo topic, built the way the pipeline builds its query
    (subject + the customer's words; a short follow-up carries the first message as context)."""
    moods = list(demo_content.OPENINGS)
    rows = []
    for t in demo_content.TOPICS:
        for n, problem in enumerate(t.problems):
            opening = demo_content.OPENINGS[moods[n % len(moods)]][n % 3].format(problem=problem)
            rows.append((f"{t.subjects[n % len(t.subjects)]}\n{opening}", t))
            rows.append((problem, t))
        for follow_up in t.follow_ups:
            rows.append((f"{t.subjects[0]}\n{t.problems[0]}\n{follow_up}", t))
    return [LabelledQuery(text, topic.article, frozenset({topic.article, *topic.also})) for text, topic in rows]


def fit(*, embedder: Embedder | None = None, target: Path = COEFFICIENTS) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    embedder = embedder or Embedder()
    triager = Triager(embedder=embedder)  # the zero-shot fallback: what a fresh workspace has
    queries = calibration_queries()
    xs, ys = [], []
    with tempfile.TemporaryDirectory() as tmp:
        kb = temporary_knowledge_base(KB_DOCS, Path(tmp), embedder=embedder)
        for q in queries:
            vector = embedder.encode_one(q.query)
            hits = kb.search(q.query, k=5, query_vector=vector)
            x = features(hits, triager.classify(q.query, vector=vector).category)
            if x is not None:
                xs.append(x)
                ys.append(hits[0].article_id in q.accepted)  # several articles can answer a topic
        kb.engine.dispose()
    model = LogisticRegression(C=1.0).fit(xs, ys)
    probabilities = model.predict_proba(xs)[:, 1].tolist()
    report = {
        "weights": dict(zip(FEATURES, (round(float(w), 4) for w in model.coef_[0]), strict=True)),
        "bias": round(float(model.intercept_[0]), 4),
        "fitted_on": f"{len(xs)} demo-topic questions (assist/demo/content.py)",
        "top1_accuracy": round(sum(ys) / len(ys), 4),
        "train_ece": expected_calibration_error(probabilities, ys),
    }
    target.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
