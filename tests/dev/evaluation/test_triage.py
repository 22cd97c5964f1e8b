from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from assist.dev.evaluation.intents import evaluate as evaluate_intents
from assist.dev.evaluation.triage import evaluate, read_examples, split
from assist.domain import INTENT_MIN_CONFIDENCE
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


def test_the_intent_threshold_is_the_one_measured_on_the_demo_workspace(
    embedder: Embedder, demo_workspace: Engine
) -> None:
    """INTENT_MIN_CONFIDENCE is what `eval triage --from-db` measures on the demo workspace: re-measure (and
    update its comment) when the demo tickets or the classifier change."""
    result = evaluate_intents(demo_workspace, embedder)
    assert (result["resolved"], result["open"]) == (244, 83)
    assert result["lowest_threshold"] == INTENT_MIN_CONFIDENCE
    for reading in ("held_out", "open"):
        curve = result["by_threshold"][reading]
        assert curve[str(INTENT_MIN_CONFIDENCE)]["precision"] >= 0.9 > curve["0.0"]["precision"]
        assert curve[str(INTENT_MIN_CONFIDENCE)]["coverage"] >= 0.5
