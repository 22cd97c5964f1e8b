"""Triage quality: the product's classifier (embeddings + TF-IDF) on labelled text, optionally next to a
TF-IDF + logistic regression baseline trained on the same rows."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from assist.dev.bench.timing import summary_ms
from assist.dev.scores import classification_scores
from assist.embeddings import Embedder
from assist.errors import ValidationError
from assist.triage.classifier import TextClassifier

LATENCY_SAMPLE = 200


def read_examples(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, usecols=["text", "label"], dtype=str, keep_default_na=False)
    except (ValueError, OSError) as e:
        raise ValidationError(f"{path}: expected a CSV with columns text,label ({e}).") from e
    return frame[(frame["text"].str.strip() != "") & (frame["label"].str.strip() != "")].reset_index(drop=True)


def split(frame: pd.DataFrame, *, test_fraction: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(frame, test_size=test_fraction, stratify=frame["label"], random_state=seed)
    return train.reset_index(drop=True), test.reset_index(drop=True)


def evaluate(
    *, train: pd.DataFrame, test: pd.DataFrame, embedder: Embedder, baseline: str | None = None
) -> dict[str, Any]:
    train_texts, test_texts = train["text"].tolist(), test["text"].tolist()
    classifier = TextClassifier().fit(train_texts, train["label"].tolist(), embedder.encode(train_texts))
    probs = classifier.predict_proba(test_texts, embedder.encode(test_texts))
    predicted = [classifier.labels[i] for i in probs.argmax(axis=1)]
    timings = []
    for text in test_texts[:LATENCY_SAMPLE]:  # one ticket at a time, as the pipeline does
        started = time.perf_counter()
        classifier.predict_proba([text], embedder.encode([text]))
        timings.append(time.perf_counter() - started)
    scores = classification_scores(test["label"].tolist(), predicted)
    result: dict[str, Any] = {
        "accuracy": scores["accuracy"],
        "macro_f1": scores["macro_f1"],
        "n": scores["n"],
        "p50_ms": summary_ms(timings)["p50_ms"],
        "train_rows": len(train),
        "labels": len(classifier.labels),
    }
    if baseline == "tfidf":
        result["tfidf"] = _tfidf_baseline(train, test)
    return result


def _tfidf_baseline(train: pd.DataFrame, test: pd.DataFrame) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    model = LogisticRegression(C=10.0, max_iter=2000).fit(vectorizer.fit_transform(train["text"]), train["label"])
    timings = []
    for text in test["text"].tolist()[:LATENCY_SAMPLE]:
        started = time.perf_counter()
        model.predict(vectorizer.transform([text]))
        timings.append(time.perf_counter() - started)
    predicted = model.predict(vectorizer.transform(test["text"])).tolist()
    scores = classification_scores(test["label"].tolist(), predicted)
    return {
        "accuracy": scores["accuracy"],
        "macro_f1": scores["macro_f1"],
        "n": scores["n"],
        "p50_ms": summary_ms(timings)["p50_ms"],
    }
