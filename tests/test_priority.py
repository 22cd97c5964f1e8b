from __future__ import annotations

import numpy as np
import pytest

from assist.domain import ContactHistory
from assist.priority import priority
from assist.sentiment.analyze import analyze

NEUTRAL = np.array([0.1, 0.8, 0.1], dtype=np.float32)
NEGATIVE = np.array([0.85, 0.1, 0.05], dtype=np.float32)


@pytest.mark.parametrize(
    ("probs", "text", "history", "expected"),
    [
        (NEUTRAL, "How do I export data?", ContactHistory(), 3),
        (NEGATIVE, "This has cost me a morning.", ContactHistory(), 5),
        (NEGATIVE, "THIS IS UNACCEPTABLE!!", ContactHistory(), 8),
        (NEUTRAL, "How do I export data?", ContactHistory(is_vip=True), 5),
        (NEUTRAL, "Any news?", ContactHistory(earlier_contacts_same_issue=2), 5),
        (NEGATIVE, "URGENT: we are blocked, payroll closes today", ContactHistory(is_vip=True), 10),
        (NEUTRAL, "I was charged twice", ContactHistory(hours_waiting=30), 5),
    ],
)
def test_priority_points(probs: np.ndarray, text: str, history: ContactHistory, expected: int) -> None:
    assert priority(analyze(probs, text=text, history=history, model="m"), history) == expected


def test_priority_is_clamped_to_ten() -> None:
    history = ContactHistory(is_vip=True, earlier_contacts_same_issue=4, hours_waiting=50)
    text = "URGENT!! I'm calling my lawyer, charged twice, THIS IS A DISGRACE"
    assert priority(analyze(NEGATIVE, text=text, history=history, model="m"), history) == 10


def test_the_inbox_reads_frustration_not_tone() -> None:
    """Issue 35: a polite complaint sounds negative and is calm; a sarcastic "thanks" sounds positive and is fed up."""
    polite = np.array([0.8, 0.15, 0.05, 0.9, 0.1], dtype=np.float32)
    sarcastic = np.array([0.2, 0.1, 0.7, 0.6, 0.9], dtype=np.float32)
    history = ContactHistory()
    assert priority(analyze(polite, text="I'm afraid the invoice is wrong.", model="m"), history) == 3
    assert priority(analyze(sarcastic, text="Thanks for the hold music.", model="m"), history) == 5
