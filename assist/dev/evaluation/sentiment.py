"""Sentiment quality on a labelled CSV, optionally next to the VADER lexicon baseline.

A `text,tone,frustration` file (messages written to a company's support) is scored on both readings
the product shows: tone (per-class and macro recall, ECE of the top label) and the frustration the
inbox and the escalation policy read (`analyze` on the message alone: AUROC and ECE). Any other file
is `text,label`:

Labels are negative/neutral/positive; a file with only negative/positive is scored as binary
(the model's choice between its negative and positive probabilities; VADER's compound sign).
With `positive=LABEL` any labels are accepted: the file is read as LABEL vs the rest and ranked by
the product's dissatisfaction probability (P(negative or complaint): the customer sounds unhappy or
reports something that went wrong); a 3-class file also gets the 3-class figures.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from assist.dev.bench.timing import summary_ms
from assist.dev.scores import binary_scores, classification_scores, per_class_recall, top_label_ece
from assist.dev.training.sentiment import read_labelled, read_text_label
from assist.dev.training.support_style import read_support
from assist.drafting.confidence import expected_calibration_error
from assist.drafting.message_text import without_signature
from assist.errors import ValidationError
from assist.sentiment.analyze import analyze, dissatisfaction
from assist.sentiment.artifact import LABELS
from assist.sentiment.model import SentimentModel

LATENCY_SAMPLE = 200  # single-message timings; the scores use every row


def evaluate(
    *, data: Path, model: SentimentModel, baseline: str | None = None, positive: str | None = None
) -> dict[str, Any]:
    if _columns(data) >= {"tone", "frustration"}:
        if positive:
            raise ValidationError(
                f"{data}: --positive is for text,label files; this one is scored on tone and frustration."
            )
        return _support_style(data, model, baseline)
    frame = _read_any(data, positive) if positive else read_labelled(data)
    texts, gold = frame["text"].tolist(), frame["label"].tolist()
    probs = model.predict(texts)
    result: dict[str, Any] = {"data": data.name, "model": model.name}
    if positive:
        wanted = positive.strip().lower()
        result["positive"] = wanted
        result.update(binary_scores([g == wanted for g in gold], [dissatisfaction(p) for p in probs]))
    three_class = set(gold) <= set(LABELS) and len(set(gold)) == 3
    binary = set(gold) <= {"negative", "positive"}
    if three_class or (binary and not positive):
        predicted = [_binary(p[0], p[2]) if binary else LABELS[int(p[:3].argmax())] for p in probs]
        scores = classification_scores(gold, predicted)
        if three_class:
            scores["ece"] = top_label_ece(probs[:, :3].tolist(), [LABELS.index(g) for g in gold])
        result.update({"binary": binary, **scores} if not positive else {"three_class": scores})
    timings = []
    for text in texts[:LATENCY_SAMPLE]:
        started = time.perf_counter()
        model.predict_one(text)
        timings.append(time.perf_counter() - started)
    result.update(summary_ms(timings))
    if baseline == "vader":
        result["vader"] = _vader(texts, gold, binary, positive.strip().lower() if positive else None)
    return result


def _columns(path: Path) -> set[str]:
    try:
        return set(pd.read_csv(path, nrows=0).columns)
    except (ValueError, OSError) as e:
        raise ValidationError(f"{path}: not a readable CSV ({e}).") from e


def _support_style(data: Path, model: SentimentModel, baseline: str | None) -> dict[str, Any]:
    frame = read_support(data)
    texts, tone, frustrated = frame["text"].tolist(), frame["tone"].tolist(), (frame["frustration"] == 1).tolist()
    probs = model.predict(texts)
    predicted = [LABELS[int(p[:3].argmax())] for p in probs]
    frustration = [  # as the product reads it: the signals without the signature (`pipeline._sentiment`)
        analyze(row, text=without_signature(text), model=model.name).frustration
        for row, text in zip(probs, texts, strict=True)
    ]
    result: dict[str, Any] = {
        "data": data.name,
        "model": model.name,
        "tone": {
            **classification_scores(tone, predicted),
            "per_class_recall": per_class_recall(tone, predicted),
            "ece": top_label_ece(probs[:, :3].tolist(), [LABELS.index(t) for t in tone]),
        },
        "frustration": {
            **binary_scores(frustrated, frustration),
            "ece": round(expected_calibration_error(frustration, frustrated), 4),
        },
    }
    if baseline == "vader":
        compounds, _ = _vader_compounds(texts)
        guessed = [_vader_tone(c) for c in compounds]
        result["vader"] = {
            "tone": {**classification_scores(tone, guessed), "per_class_recall": per_class_recall(tone, guessed)},
            "frustration": binary_scores(frustrated, [-c for c in compounds]),  # the more negative, the likelier
        }
    return result


def _read_any(path: Path, positive: str) -> pd.DataFrame:
    frame = read_text_label(path)
    if positive.strip().lower() not in set(frame["label"]):
        raise ValidationError(f"{path}: no row is labelled '{positive}'; its labels are {sorted(set(frame['label']))}.")
    return frame


def _binary(negative: float, positive: float) -> str:
    return "negative" if negative >= positive else "positive"


def _vader(texts: list[str], gold: list[str], binary: bool, positive: str | None) -> dict[str, Any]:
    compounds, timings = _vader_compounds(texts)
    if positive:  # the more negative the compound, the likelier the positive label
        return {**binary_scores([g == positive for g in gold], [-c for c in compounds]), **summary_ms(timings)}
    if binary:
        predicted = ["positive" if c >= 0 else "negative" for c in compounds]
        return {**classification_scores(gold, predicted), **summary_ms(timings)}
    predicted = [_vader_tone(c) for c in compounds]
    return {
        **classification_scores(gold, predicted),
        "per_class_recall": per_class_recall(gold, predicted),
        **summary_ms(timings),
    }


def _vader_compounds(texts: list[str]) -> tuple[list[float], list[float]]:
    """VADER's compound score (-1..1) of each text, and the seconds each took."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    compounds, timings = [], []
    for text in texts:
        started = time.perf_counter()
        compounds.append(analyzer.polarity_scores(text)["compound"])
        timings.append(time.perf_counter() - started)
    return compounds, timings


def _vader_tone(compound: float) -> str:
    """The thresholds VADER's authors recommend."""
    return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
