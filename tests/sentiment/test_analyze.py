"""Levels and frustration from given probabilities (the model itself is tested in test_model.py)."""

from __future__ import annotations

import numpy as np
import pytest

from assist.domain import ContactHistory, SentimentLevel, Signal
from assist.sentiment.analyze import analyze

NEGATIVE = np.array([0.85, 0.1, 0.05], dtype=np.float32)
MILD = np.array([0.35, 0.55, 0.10], dtype=np.float32)
NEUTRAL = np.array([0.1, 0.8, 0.1], dtype=np.float32)
POSITIVE = np.array([0.02, 0.13, 0.85], dtype=np.float32)


def test_score_is_positive_minus_negative() -> None:
    result = analyze(POSITIVE, text="Thanks, that worked!", model="m")
    assert result.score == pytest.approx(0.83)
    assert result.level is SentimentLevel.POSITIVE
    assert result.probabilities == {"negative": 0.02, "neutral": 0.13, "positive": 0.85}


@pytest.mark.parametrize(
    ("probs", "text", "level"),
    [
        (NEUTRAL, "Where do I find my API key?", SentimentLevel.NEUTRAL),
        (NEUTRAL, "I'm not angry, just asking.", SentimentLevel.NEUTRAL),
        (MILD, "This has cost me a morning already.", SentimentLevel.NEUTRAL),
        (NEGATIVE, "This has cost me a morning already.", SentimentLevel.FRUSTRATED),
        (NEGATIVE, "THIS IS UNACCEPTABLE, fix it!!", SentimentLevel.ANGRY),
        (NEGATIVE, "Our whole team is blocked, we need this fixed immediately.", SentimentLevel.URGENT),
        (NEUTRAL, "Not urgent at all, whenever you can.", SentimentLevel.NEUTRAL),
    ],
)
def test_levels(probs: np.ndarray, text: str, level: SentimentLevel) -> None:
    assert analyze(probs, text=text, model="m").level is level


def test_polite_fourth_contact_is_more_frustrated_than_first_time_capitals() -> None:
    polite = analyze(
        MILD,
        text="Hello again, could you please check on my refund?",
        history=ContactHistory(earlier_contacts_same_issue=3),
        model="m",
    )
    shouting = analyze(NEGATIVE, text="WHERE IS MY REFUND!!", history=ContactHistory(), model="m")
    assert polite.frustration > shouting.frustration
    assert Signal.REPEAT_CONTACT in polite.signals


def test_frustration_grows_with_each_piece_of_evidence() -> None:
    calm = analyze(NEUTRAL, text="Hi, quick question.", model="m").frustration
    waiting = analyze(NEUTRAL, text="Hi, quick question.", history=ContactHistory(hours_waiting=40), model="m")
    threat = analyze(
        NEUTRAL, text="Hi, quick question. I'll call my lawyer.", history=ContactHistory(hours_waiting=40), model="m"
    )
    assert 0 <= calm < waiting.frustration < threat.frustration <= 1
