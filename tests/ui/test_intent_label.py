"""The ticket screen names an intent only when triage is confident enough to be right (INTENT_MIN_CONFIDENCE)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _assessment(intent_confidence: float) -> str:
    at = AppTest.from_string(
        f"""
from assist.domain import Category, Triage, TriageMethod
from tests.factories import sentiment
from ui.assessment_view import triage_and_sentiment
triage_and_sentiment(
    Triage(category=Category.TECHNICAL, category_confidence=0.6, intent="outage-now",
           intent_confidence={intent_confidence}, alternatives=(), method=TriageMethod.LEARNED),
    sentiment(),
    3,
)
"""
    ).run()
    assert not at.exception
    return at.markdown[0].value


def test_an_unsure_intent_is_not_shown() -> None:
    """Defect (issue 34): a dark-mode question was shown as "intent outage-now" at 23% confidence."""
    shown = _assessment(0.23)
    assert "intent" not in shown and "outage" not in shown
    assert "**Category** Technical (60%, learned)" in shown


def test_a_confident_intent_is_shown() -> None:
    from assist.domain import INTENT_MIN_CONFIDENCE

    for confidence in (INTENT_MIN_CONFIDENCE, 0.91):
        assert "· intent outage\\-now" in _assessment(confidence)  # markdown-escaped
