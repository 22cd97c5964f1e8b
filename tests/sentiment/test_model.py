"""The shipped sentiment model, loaded for real from the repository and the packaged base."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assist.dev.evaluation.sentiment import evaluate
from assist.errors import ConfigError
from assist.quantised import dequantise, quantise
from assist.sentiment import SentimentModel
from assist.sentiment.artifact import SHIPPED, WEIGHTS

pytestmark = pytest.mark.model

SUPPORT_CHECK = Path(__file__).parents[1] / "data" / "support_sentiment_check.csv"


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel()


def test_shipped_artifact_is_small_enough_to_commit() -> None:
    assert (SHIPPED / WEIGHTS).stat().st_size < 25_000_000


def test_eight_bit_storage_keeps_every_weight_within_half_a_step_of_its_row() -> None:
    import torch

    generator = torch.Generator().manual_seed(0)
    state = {"matrix": torch.randn(64, 128, generator=generator), "bias": torch.randn(64, generator=generator)}
    restored = dequantise(quantise(state))
    step = state["matrix"].abs().amax(dim=1, keepdim=True) / 127
    assert ((restored["matrix"] - state["matrix"]).abs() <= step * 0.51 + 1e-3).all()
    assert torch.allclose(restored["bias"], state["bias"], atol=1e-2)  # vectors as float16
    assert quantise(state)["matrix"].dtype == torch.int8


def test_bfloat16_products_read_support_messages_as_float32_does() -> None:
    """Where the CPU multiplies bfloat16 in hardware the network runs in it (`multiplies_bfloat16`); its readings
    must stay those the calibration was fitted on, float32's, on the messages it reads."""
    texts = pd.read_csv(SUPPORT_CHECK)["text"].tolist()[:80]
    fast = SentimentModel(bfloat16=True).predict(texts, batch_size=8)
    exact = SentimentModel(bfloat16=False).predict(texts, batch_size=8)
    assert np.abs(fast - exact).max() <= 0.03
    assert (fast[:, :3].argmax(axis=1) == exact[:, :3].argmax(axis=1)).mean() >= 0.97


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
    np.testing.assert_allclose(rows[:, :3].sum(axis=1), 1.0, atol=1e-5)
    assert all(row[:3].argmax() == 1 for row in rows)


@pytest.mark.parametrize(
    ("complaint", "question"),
    [
        ("My order was due on Monday and it still hasn't arrived.", "How long does delivery usually take?"),
        ("Flight cancelled at the gate and no one called us.", "Can I change my flight to an earlier one?"),
        ("You charged my card twice for the same invoice.", "Can I pay the invoice by bank transfer?"),
    ],
)
def test_calm_reports_of_a_failure_read_as_dissatisfied_and_questions_do_not(
    model: SentimentModel, complaint: str, question: str
) -> None:
    from assist.sentiment.analyze import dissatisfaction

    reported, asked = (dissatisfaction(row) for row in model.predict([complaint, question]))
    # More likely than not, and well above the question. (It was > 0.8 before issue 35's retraining, whose complaint
    # calibration is more cautious: "charged my card twice" now reads 0.70; the ranking is what the product uses.)
    assert reported > 0.6 and reported > asked + 0.2


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
    assert row[3] == 0.0 and np.isnan(row[4])  # no complaint reading, and frustration is read from tone


def test_missing_model_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SENTIMENT_MODEL"):
        SentimentModel(tmp_path / "nothing")


def test_evaluation_against_vader_on_a_small_file(tmp_path: Path, model: SentimentModel) -> None:
    data = tmp_path / "s.csv"
    data.write_text("text,label\nI love this!,positive\nThis is awful.,negative\nWhat time is it?,neutral\n")
    result = evaluate(data=data, model=model, baseline="vader")
    assert result["n"] == 3 and result["accuracy"] == 1.0 and not result["binary"]
    assert set(result["vader"]) >= {"accuracy", "macro_recall", "macro_f1", "p95_ms"}


def test_label_versus_the_rest_ranks_by_dissatisfaction(tmp_path: Path, model: SentimentModel) -> None:
    data = tmp_path / "c.csv"
    data.write_text(
        "text,label\n"
        "My parcel never arrived and nobody answers.,complaint\n"
        "You charged me twice this month.,complaint\n"
        "Thanks a lot, that fixed it!,praise\n"
        "What are your opening hours?,question\n"
    )
    result = evaluate(data=data, model=model, positive="complaint", baseline="vader")
    assert (result["n"], result["positive"], result["auroc"], result["f1"]) == (4, "complaint", 1.0, 1.0)
    assert "three_class" not in result and {"auroc", "average_precision", "f1"} <= set(result["vader"])
    three = tmp_path / "t.csv"
    three.write_text("text,label\nI love this!,positive\nThis is awful.,negative\nWhat time is it?,neutral\n")
    both = evaluate(data=three, model=model, positive="negative")
    assert both["auroc"] == 1.0 and both["three_class"]["accuracy"] == 1.0 and 0 <= both["three_class"]["ece"] <= 1


def test_a_label_the_file_does_not_have_is_a_clear_error(tmp_path: Path, model: SentimentModel) -> None:
    from assist.errors import ValidationError

    data = tmp_path / "c.csv"
    data.write_text("text,label\nhello,other\n")
    with pytest.raises(ValidationError, match="no row is labelled 'complaint'"):
        evaluate(data=data, model=model, positive="complaint")


def test_a_support_style_file_is_scored_on_tone_and_frustration(tmp_path: Path, model: SentimentModel) -> None:
    data = tmp_path / "support.csv"
    data.write_text(
        "text,tone,frustration\n"
        '"Thanks so much, that fixed it perfectly!",positive,0\n'
        "This is the third time I write. I am furious and I will take this to my lawyer!!,negative,1\n"
        "Where can I download my invoice?,neutral,0\n"
        '"You charged me twice and nobody answers. Unacceptable.",negative,1\n'
    )
    result = evaluate(data=data, model=model, baseline="vader")
    assert result["tone"]["n"] == 4 and set(result["tone"]["per_class_recall"]) == {"negative", "neutral", "positive"}
    assert result["frustration"]["auroc"] == 1.0 and 0 <= result["frustration"]["ece"] <= 1
    assert {"tone", "frustration"} == set(result["vader"]) and "per_class_recall" in result["vader"]["tone"]


def test_a_support_style_file_with_a_bad_label_is_a_clear_error(tmp_path: Path, model: SentimentModel) -> None:
    from assist.errors import ValidationError

    data = tmp_path / "support.csv"
    data.write_text("text,tone,frustration\nhello,cheerful,0\n")
    with pytest.raises(ValidationError, match="row 2 has tone 'cheerful'"):
        evaluate(data=data, model=model)
