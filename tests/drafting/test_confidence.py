"""Draft confidence: features of the selected answer, the shipped model, edit ratio and ECE."""

from __future__ import annotations

import numpy as np
import pytest

from assist.drafting import AnswerSelector, Question
from assist.drafting.confidence import (
    FEATURES,
    NO_EVIDENCE,
    ConfidenceModel,
    expected_calibration_error,
    features,
)
from assist.edits import edit_ratio
from assist.embeddings import Embedder
from tests.factories import selection_over


def test_ece_is_zero_for_perfect_calibration_and_large_for_overconfidence() -> None:
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == 0.0
    assert expected_calibration_error([0.95] * 10, [False] * 10) == pytest.approx(0.95)
    assert expected_calibration_error([], []) == 0.0


def test_edit_ratio_is_the_share_of_the_longer_text_that_changed() -> None:
    assert edit_ratio("abcd", "abcd", 0) == 0.0
    assert edit_ratio("abcd", "abcdefgh", 4) == 0.5
    assert edit_ratio("", "", 0) == 0.0


@pytest.mark.model
def test_features_describe_the_answer_and_the_question(embedder: Embedder) -> None:
    selection = selection_over(embedder, "Can I pay for Lumen with Bitcoin?", ("payment-method", 0.4))
    x = dict(zip(FEATURES, features(selection), strict=True))
    assert x["asks_whether_possible"] == 1.0
    assert x["uncovered_share"] > 0  # "bitcoin" is in no candidate
    assert x["article_margin"] == pytest.approx(x["article_probability"])  # no other article competes
    empty = AnswerSelector(embedder).select(Question("x", np.zeros(384, np.float32), np.zeros(384, np.float32)), [], {})
    assert features(empty) is None


@pytest.mark.model
def test_the_shipped_model_is_surer_of_an_answered_question_than_an_unanswered_one(embedder: Embedder) -> None:
    model = ConfidenceModel.load()
    answered = model.probability(
        features(
            selection_over(
                embedder, "The password reset link says it expired", ("password-reset", 0.7), ("account-locked", 0.4)
            )
        )
    )
    unanswered = model.probability(
        features(
            selection_over(
                embedder, "Does Lumen have a dark mode?", ("getting-started", 0.35), ("browser-performance", 0.3)
            )
        )
    )
    assert 0 < unanswered < model.threshold <= answered < 1
    empty = AnswerSelector(embedder).select(Question("x", np.zeros(384, np.float32), np.zeros(384, np.float32)), [], {})
    assert model.probability(features(empty)) == NO_EVIDENCE


@pytest.mark.model
def test_a_question_whether_something_exists_counts_wherever_it_sits_in_the_message(embedder: Embedder) -> None:
    # A ticket says what the customer uses before it asks ("We're on Microsoft 365. Is there…"): the kind of question
    # a help centre most often leaves unanswered, though it is not the message's first sentence.
    def whether(text: str) -> float:
        selection = selection_over(embedder, text, ("slack-integration", 0.6))
        return dict(zip(FEATURES, features(selection), strict=True))["asks_whether_possible"]

    assert whether("We're on Microsoft 365. Is there an Outlook calendar integration like the Google one?") == 1.0
    assert whether("Is there an Outlook calendar integration?") == 1.0
    assert whether("We're on Microsoft 365. How do I connect Google Calendar?") == 0.0
