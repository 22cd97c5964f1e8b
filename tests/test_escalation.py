from __future__ import annotations

import pytest

from assist.config import Settings
from assist.domain import (
    ContactHistory,
    EscalationPriority,
    Queue,
    Sentiment,
    SentimentLevel,
    Signal,
)
from assist.drafting.policy import Confidence
from assist.escalation import RULES, SOONER, evaluate, queue_without

SETTINGS = Settings(
    escalation_min_confidence=0.45, escalation_frustration=0.7, escalation_priority=8, escalation_repeat_contacts=3
)


def _sentiment(
    level: SentimentLevel = SentimentLevel.NEUTRAL, frustration: float = 0.1, signals: tuple[Signal, ...] = ()
) -> Sentiment:
    return Sentiment(
        level=level,
        score=0.0,
        probabilities={"negative": 0.1, "neutral": 0.8, "positive": 0.1},
        frustration=frustration,
        signals=signals,
        evidence={},
        model="m",
    )


def _confidence(value: float | None) -> Confidence | None:
    """A draft's confidence as the policy reads it, with the escalation threshold of SETTINGS."""
    if value is None:
        return None
    return Confidence(raw=value, calibrated=value, abstain_below=0.2, escalate_below=SETTINGS.escalation_min_confidence)


CASES = [
    # (sentiment, history, priority, confidence) -> (suggest, queue, priority, first reason)
    (_sentiment(), ContactHistory(), 3, 0.9, (False, Queue.AUTO, EscalationPriority.LOW, None)),
    (_sentiment(), ContactHistory(), 3, None, (False, Queue.AUTO, EscalationPriority.LOW, None)),
    (
        _sentiment(signals=(Signal.LEGAL_THREAT,)),
        ContactHistory(),
        5,
        0.9,
        (True, Queue.MANAGER, EscalationPriority.CRITICAL, "Legal threat"),
    ),
    (
        _sentiment(signals=(Signal.SECURITY_INCIDENT,)),
        ContactHistory(),
        3,
        0.9,
        (True, Queue.TIER2, EscalationPriority.CRITICAL, "Possible security incident"),
    ),
    (
        _sentiment(SentimentLevel.URGENT),
        ContactHistory(),
        6,
        0.9,
        (True, Queue.TIER2, EscalationPriority.CRITICAL, "Customer is urgent and blocked"),
    ),
    (
        _sentiment(SentimentLevel.ANGRY),
        ContactHistory(),
        6,
        0.9,
        (True, Queue.TIER2, EscalationPriority.HIGH, "Customer is angry"),
    ),
    (
        _sentiment(),
        ContactHistory(earlier_contacts_same_issue=2),
        5,
        0.9,
        (True, Queue.TIER2, EscalationPriority.HIGH, "Repeat contact about the same issue"),
    ),
    (
        _sentiment(),
        ContactHistory(earlier_contacts_same_issue=1),
        5,
        0.9,
        (False, Queue.AUTO, EscalationPriority.LOW, None),
    ),
    (
        _sentiment(SentimentLevel.FRUSTRATED, 0.8),
        ContactHistory(),
        5,
        0.3,
        (True, Queue.TIER1, EscalationPriority.HIGH, "High frustration and a low-confidence draft"),
    ),
    (
        _sentiment(SentimentLevel.FRUSTRATED, 0.8),
        ContactHistory(),
        5,
        0.9,
        (False, Queue.AUTO, EscalationPriority.LOW, None),
    ),
    (  # issue 35: a customer escalated before, back about it and fed up again, got "No escalation needed"
        _sentiment(SentimentLevel.FRUSTRATED, 0.8, (Signal.REPEAT_CONTACT,)),
        ContactHistory(previously_escalated=True),
        5,
        0.9,
        (True, Queue.TIER2, EscalationPriority.HIGH, "Escalated before and frustrated again"),
    ),
    (  # an old escalation about something else does not make a new question a lead's
        _sentiment(SentimentLevel.FRUSTRATED, 0.8),
        ContactHistory(previously_escalated=True),
        5,
        0.9,
        (False, Queue.AUTO, EscalationPriority.LOW, None),
    ),
    (
        _sentiment(SentimentLevel.NEUTRAL, 0.3),
        ContactHistory(previously_escalated=True),
        5,
        0.9,
        (False, Queue.AUTO, EscalationPriority.LOW, None),
    ),
    (
        _sentiment(SentimentLevel.FRUSTRATED, 0.8, (Signal.WORSENING,)),
        ContactHistory(),
        5,
        0.9,
        (True, Queue.TIER1, EscalationPriority.HIGH, "Getting worse over the thread"),
    ),
    (
        _sentiment(SentimentLevel.NEUTRAL, 0.3, (Signal.WORSENING,)),
        ContactHistory(),
        5,
        0.9,
        (False, Queue.AUTO, EscalationPriority.LOW, None),
    ),
    (
        _sentiment(),
        ContactHistory(),
        3,
        0.3,
        (True, Queue.TIER1, EscalationPriority.MEDIUM, "Draft confidence below threshold"),
    ),
    (_sentiment(), ContactHistory(), 8, 0.9, (True, Queue.TIER2, EscalationPriority.HIGH, "High priority")),
    (_sentiment(), ContactHistory(), 7, 0.9, (False, Queue.AUTO, EscalationPriority.LOW, None)),
    (
        _sentiment(signals=(Signal.HUMAN_REQUEST,)),
        ContactHistory(),
        3,
        0.9,
        (True, Queue.TIER1, EscalationPriority.MEDIUM, "Customer asked for a human or a manager"),
    ),
]


@pytest.mark.parametrize(("sentiment", "history", "priority", "confidence", "expected"), CASES)
def test_policy_table(
    sentiment: Sentiment,
    history: ContactHistory,
    priority: int,
    confidence: float | None,
    expected: tuple[bool, Queue, EscalationPriority, str | None],
) -> None:
    result = evaluate(
        sentiment=sentiment,
        history=history,
        priority=priority,
        confidence=_confidence(confidence),
        settings=SETTINGS,
    )
    suggest, queue, level, reason = expected
    assert (result.suggest, result.queue, result.priority) == (suggest, queue, level)
    assert (result.reasons[0] if result.reasons else None) == reason


def test_most_senior_queue_and_highest_priority_win_and_all_reasons_are_kept() -> None:
    result = evaluate(
        sentiment=_sentiment(SentimentLevel.ANGRY, 0.9, (Signal.LEGAL_THREAT, Signal.HUMAN_REQUEST)),
        history=ContactHistory(earlier_contacts_same_issue=3),
        priority=10,
        confidence=_confidence(0.2),
        settings=SETTINGS,
    )
    assert (result.queue, result.priority) == (Queue.MANAGER, EscalationPriority.CRITICAL)
    assert len(result.reasons) == 7
    assert result.suggested_action.startswith("Review with legal")


def test_thresholds_come_from_settings() -> None:
    strict = Settings(escalation_priority=5)
    result = evaluate(sentiment=_sentiment(), history=ContactHistory(), priority=5, confidence=None, settings=strict)
    assert result.reasons == ("High priority",)


def test_every_rule_has_a_reason_and_an_action() -> None:
    assert all(rule.reason and rule.action for rule in RULES)


def test_without_the_reasons_that_ask_for_speed_an_urgent_ticket_stays_with_the_agent() -> None:
    urgent = evaluate(
        sentiment=_sentiment(SentimentLevel.URGENT, 0.4),
        history=ContactHistory(),
        priority=9,
        confidence=None,
        settings=SETTINGS,
    )
    assert urgent.queue is Queue.TIER2 and set(urgent.reasons) == SOONER
    assert queue_without(urgent, SOONER) is Queue.AUTO
    # Another reason for tier 2 still hands the ticket over.
    repeat = evaluate(
        sentiment=_sentiment(SentimentLevel.URGENT, 0.4),
        history=ContactHistory(earlier_contacts_same_issue=3),
        priority=9,
        confidence=None,
        settings=SETTINGS,
    )
    assert queue_without(repeat, SOONER) is Queue.TIER2
