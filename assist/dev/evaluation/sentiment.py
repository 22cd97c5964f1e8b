"""Sentiment quality on a labelled CSV (`text,label`), optionally next to the VADER lexicon baseline.

Labels are negative/neutral/positive; a file with only negative/positive is scored as binary
(the model's choice between its negative and positive probabilities; VADER's compound sign).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from assist.dev.bench.timing import summary_ms
from assist.dev.scores import classification_scores
from assist.dev.training.sentiment import read_labelled
from assist.sentiment.artifact import LABELS
from assist.sentiment.model import SentimentModel

LATENCY_SAMPLE = 200  # single-message timings; the scores use every row


def evaluate(*, data: Path, model: SentimentModel, baseline: str | None = None) -> dict[str, Any]:
    frame = read_labelled(data)
    texts, gold = frame["text"].tolist(), frame["label"].tolist()
    binary = set(gold) <= {"negative", "positive"}
    probs = model.predict(texts)
    predicted = [_binary(p[0], p[2]) if binary else LABELS[int(p.argmax())] for p in probs]
    timings = []
    for text in texts[:LATENCY_SAMPLE]:
        started = time.perf_counter()
        model.predict_one(text)
        timings.append(time.perf_counter() - started)
    result: dict[str, Any] = {
        "data": data.name,
        "binary": binary,
        "model": model.name,
        **classification_scores(gold, predicted),
        **summary_ms(timings),
    }
    if baseline == "vader":
        result["vader"] = _vader(texts, gold, binary)
    return result


def _binary(negative: float, positive: float) -> str:
    return "negative" if negative >= positive else "positive"


def _vader(texts: list[str], gold: list[str], binary: bool) -> dict[str, Any]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    predicted, timings = [], []
    for text in texts:
        started = time.perf_counter()
        compound = analyzer.polarity_scores(text)["compound"]
        timings.append(time.perf_counter() - started)
        if binary:
            predicted.append("positive" if compound >= 0 else "negative")
        else:  # the thresholds VADER's authors recommend
            predicted.append("positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral")
    return {**classification_scores(gold, predicted), **summary_ms(timings)}
