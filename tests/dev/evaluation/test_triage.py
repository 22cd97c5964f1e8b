from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from assist.dev.evaluation.triage import evaluate, read_examples, split
from assist.embeddings import Embedder
from assist.errors import ValidationError

pytestmark = pytest.mark.model

ROWS = [
    ("my card was charged twice", "billing"),
    ("double charge on invoice", "billing"),
    ("refund my payment", "billing"),
    ("charged two times this month", "billing"),
    ("invoice paid twice", "billing"),
    ("cannot log in to my account", "account"),
    ("password reset link broken", "account"),
    ("locked out after 2fa", "account"),
    ("sign in does not work", "account"),
    ("forgot my password", "account"),
]


def test_evaluation_reports_accuracy_f1_latency_and_the_baseline(embedder: Embedder) -> None:
    frame = pd.DataFrame(ROWS * 3, columns=["text", "label"])
    train, test = split(frame, test_fraction=0.2, seed=1)
    result = evaluate(train=train, test=test, embedder=embedder, baseline="tfidf")
    assert result["n"] == len(test) == 6
    assert result["accuracy"] == 1.0  # the test rows repeat training texts: anything less is a bug
    assert result["tfidf"]["accuracy"] == 1.0
    assert result["p50_ms"] > 0 and result["labels"] == 2


def test_read_examples_needs_text_and_label(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("body,intent\nhello,x\n")
    with pytest.raises(ValidationError, match="text,label"):
        read_examples(path)
