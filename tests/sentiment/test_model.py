"""The shipped sentiment model, loaded for real from the repository and the packaged base."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assist.dev.evaluation.sentiment import evaluate
from assist.errors import ConfigError
from assist.sentiment import SentimentModel
from assist.sentiment.artifact import DELTA, SHIPPED

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel()


def test_shipped_artifact_is_small_enough_to_commit() -> None:
    assert (SHIPPED / DELTA).stat().st_size < 25_000_000


@pytest.mark.parametrize(
    ("negative", "positive"),
    [
        ("This is the worst service I have ever used, nothing works.", "Thanks so much, that fixed it perfectly!"),
        ("I'm furious, you charged me twice and nobody answers.", "Great support, quick and friendly. Love it."),
        ("Terrible update, the app keeps crashing.", "The new reports are fantastic, well done."),
    ],
)
def test_clearly_negative_text_scores_below_clearly_positive(
    model: SentimentModel, negative: str, positive: str
) -> None:
    neg, pos = model.predict([negative, positive])
    assert neg[0] > 0.6 and pos[2] > 0.6
    assert neg[2] - neg[0] < pos[2] - pos[0]


def test_probabilities_sum_to_one_and_plain_questions_lean_neutral(model: SentimentModel) -> None:
    rows = model.predict(["Where can I download my invoice?", "What are your support hours?"])
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, atol=1e-5)
    assert all(row.argmax() == 1 for row in rows)


def test_another_local_model_directory_with_two_labels(tmp_path: Path, model: SentimentModel) -> None:
    from transformers import AutoModelForSequenceClassification

    from assist.embeddings import packaged_model_path

    two = AutoModelForSequenceClassification.from_pretrained(
        packaged_model_path(), num_labels=2, id2label={0: "LABEL_0", 1: "LABEL_1"}, local_files_only=True
    )
    two.save_pretrained(tmp_path)
    model.tokenizer.save_pretrained(tmp_path)
    with pytest.raises(ConfigError, match="SENTIMENT_LABELS"):
        SentimentModel(tmp_path)
    mapped = SentimentModel(tmp_path, label_map={"LABEL_0": "negative", "LABEL_1": "positive"})
    row = mapped.predict_one("fine")
    assert row[1] == 0.0 and row[0] + row[2] == pytest.approx(1.0, abs=1e-5)  # a 2-label model never says neutral


def test_missing_model_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SENTIMENT_MODEL"):
        SentimentModel(tmp_path / "nothing")


def test_evaluation_against_vader_on_a_small_file(tmp_path: Path, model: SentimentModel) -> None:
    data = tmp_path / "s.csv"
    data.write_text("text,label\nI love this!,positive\nThis is awful.,negative\nWhat time is it?,neutral\n")
    result = evaluate(data=data, model=model, baseline="vader")
    assert result["n"] == 3 and result["accuracy"] == 1.0 and not result["binary"]
    assert set(result["vader"]) >= {"accuracy", "macro_recall", "macro_f1", "p95_ms"}
