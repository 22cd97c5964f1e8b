"""Triage: category and intent with probabilities for a ticket text.

A classifier learned from labelled tickets when one has been trained (`python -m assist train
triage`), else a zero-shot guess of the category from descriptions. The ticket text's embedding
is passed in when the caller already has it, so triage adds no encoder pass.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine

from assist.domain import Category, Triage, TriageMethod
from assist.embeddings import Embedder
from assist.errors import ValidationError
from assist.triage.classifier import TextClassifier
from assist.triage.zero_shot import ZeroShotCategories

MIN_PER_LABEL = 3
EMBED_STEP = 64  # examples per progress step
MIN_LABELS = 2


@dataclass(frozen=True)
class Example:
    text: str
    category: Category
    intent: str | None = None


class Triager:
    def __init__(self, *, embedder: Embedder, model_path: Path | None = None) -> None:
        self.embedder = embedder
        self.zero_shot = ZeroShotCategories(embedder)
        self.classifier: TextClassifier | None = None
        self.intent_category: dict[str, Category] = {}
        if model_path is not None and model_path.exists():
            self.classifier = TextClassifier.load(model_path)
            self.intent_category = _read_mapping(model_path)

    def classify(self, text: str, *, vector: npt.NDArray[np.float32] | None = None) -> Triage:
        vec = vector if vector is not None else self.embedder.encode_one(text)
        if self.classifier is None:
            return self._zero_shot(vec)
        probs = self.classifier.predict_proba([text], vec[None, :])[0]
        labels = self.classifier.labels
        order = np.argsort(-probs)
        alternatives = tuple((labels[i], round(float(probs[i]), 4)) for i in order[1:4])
        if not self.intent_category:  # trained on categories only
            best = labels[order[0]]
            return Triage(
                category=Category(best),
                category_confidence=round(float(probs[order[0]]), 4),
                intent=None,
                intent_confidence=0.0,
                alternatives=alternatives,
                method=TriageMethod.LEARNED,
            )
        by_category: defaultdict[Category, float] = defaultdict(float)
        for label, p in zip(labels, probs, strict=True):
            by_category[self.intent_category[label]] += float(p)
        category = max(by_category, key=by_category.__getitem__)
        return Triage(
            category=category,
            category_confidence=round(min(1.0, by_category[category]), 4),
            intent=labels[order[0]],  # named only when confident enough: see Triage
            intent_confidence=round(float(probs[order[0]]), 4),
            alternatives=alternatives,
            method=TriageMethod.LEARNED,
        )

    def _zero_shot(self, vector: npt.NDArray[np.float32]) -> Triage:
        probs = self.zero_shot.predict_proba(vector[None, :])[0]
        order = np.argsort(-probs)
        categories = self.zero_shot.categories
        return Triage(
            category=categories[order[0]],
            category_confidence=round(float(probs[order[0]]), 4),
            intent=None,
            intent_confidence=0.0,
            alternatives=tuple((categories[i].value, round(float(probs[i]), 4)) for i in order[1:]),
            method=TriageMethod.ZERO_SHOT,
        )


def train(
    examples: Sequence[Example],
    *,
    embedder: Embedder,
    target: Path,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, int]:
    """Fit on intents when the examples have them (category follows from the intent), else on categories.

    Raises:
        ValidationError: too few labels to learn from; the zero-shot fallback keeps working meanwhile.
    """
    use_intent = all(e.intent for e in examples)
    labels = [str(e.intent) if use_intent else e.category.value for e in examples]
    counts = Counter(labels)
    usable = {label for label, n in counts.items() if n >= MIN_PER_LABEL}
    kept = [(e, label) for e, label in zip(examples, labels, strict=True) if label in usable]
    if len(usable) < MIN_LABELS:
        raise ValidationError(
            f"Only {len(kept)} usable labelled examples ({len(usable)} labels with at least {MIN_PER_LABEL} each). "
            "Label more tickets; until then triage uses the zero-shot category fallback."
        )
    texts = [e.text for e, _ in kept]
    parts = []
    for start in range(0, len(texts), EMBED_STEP):
        parts.append(embedder.encode(texts[start : start + EMBED_STEP]))
        if progress is not None:
            progress(min(len(texts), start + EMBED_STEP), len(texts), "Embedding examples")
    classifier = TextClassifier().fit(texts, [label for _, label in kept], np.concatenate(parts))
    classifier.save(target)
    mapping: dict[str, Category] = {}
    if use_intent:
        for intent in usable:
            mapping[intent] = Counter(e.category for e, label in kept if label == intent).most_common(1)[0][0]
    _write_mapping(target, mapping)
    return {"examples": len(kept), "labels": len(usable), "dropped": len(examples) - len(kept)}


def _mapping_path(model_path: Path) -> Path:
    return model_path.with_suffix(".categories.tsv")


def _write_mapping(model_path: Path, mapping: dict[str, Category]) -> None:
    _mapping_path(model_path).write_text("".join(f"{i}\t{c.value}\n" for i, c in sorted(mapping.items())), "utf-8")


def _read_mapping(model_path: Path) -> dict[str, Category]:
    path = _mapping_path(model_path)
    if not path.exists():
        return {}
    rows = (line.split("\t") for line in path.read_text("utf-8").splitlines() if line.strip())
    return {intent: Category(category) for intent, category in rows}


def examples_from_csv(path: Path) -> list[Example]:
    """`text,label[,category]`: label is a category, or an intent with its category in `category`."""
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, OSError) as e:
        raise ValidationError(f"{path}: cannot read the CSV ({e}).") from e
    if not {"text", "label"} <= set(frame.columns):
        raise ValidationError(f"{path}: needs columns text,label (and category when labels are intents).")
    categories = {c.value for c in Category}
    if set(frame["label"]) <= categories:
        return [Example(text=t, category=Category(c)) for t, c in zip(frame["text"], frame["label"], strict=True)]
    if "category" not in frame.columns or not set(frame["category"]) <= categories:
        raise ValidationError(
            f"{path}: labels are intents, so a category column ({', '.join(sorted(categories))}) is needed too."
        )
    return [
        Example(text=t, category=Category(c), intent=i)
        for t, i, c in zip(frame["text"], frame["label"], frame["category"], strict=True)
    ]


def examples_from_store(engine: Engine) -> list[Example]:
    """Resolved tickets that carry a category (and intent): the workspace's own labelled history."""
    from assist.store.answered import resolved_with_category
    from assist.store.db import session_scope

    with session_scope(engine) as session:
        rows = resolved_with_category(session)
    return [
        Example(text=f"{subject}\n{body}", category=Category(category), intent=intent)
        for subject, body, category, intent in rows
    ]
