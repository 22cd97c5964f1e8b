from __future__ import annotations

import pytest

from assist.domain import Category
from assist.drafting.confidence import NO_EVIDENCE, ConfidenceModel, expected_calibration_error, features
from tests.factories import hit


def test_ece_is_zero_for_perfect_calibration_and_large_for_overconfidence() -> None:
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == 0.0
    assert expected_calibration_error([0.95] * 10, [False] * 10) == pytest.approx(0.95)
    assert expected_calibration_error([], []) == 0.0


def test_features_describe_the_retrieval_evidence() -> None:
    hits = [hit("a", score=0.6), hit("b", score=0.45, category="account")]
    assert features(hits, Category.BILLING) == pytest.approx([0.6, 0.15, 1.0, 1.0])
    assert features(hits, Category.ACCOUNT)[3] == 0.0
    assert features([], Category.BILLING) is None


def test_shipped_model_is_more_confident_for_clear_evidence() -> None:
    model = ConfidenceModel.load()
    clear = model.probability([hit("a", score=0.7), hit("b", score=0.3)], Category.BILLING)
    murky = model.probability(
        [hit("a", score=0.3).model_copy(update={"bm25_rank": 3}), hit("b", score=0.29)], Category.ACCOUNT
    )
    assert 0 < murky < clear < 1
    assert model.probability([], None) == NO_EVIDENCE
