"""From model probabilities, support signals and history to a `Sentiment` an agent can act on.

Frustration is a noisy-OR of independent pieces of evidence, so each one can only raise it and
no single one saturates it. History weighs heavily: a polite fourth contact about the same
unsolved issue is more frustrated than a first-time message in capitals.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from assist.domain import ContactHistory, Sentiment, SentimentLevel, Signal
from assist.sentiment.signals import detect

# Each weight is the chance that this evidence alone means the customer is frustrated.
SIGNAL_WEIGHTS: dict[Signal, float] = {
    Signal.LEGAL_THREAT: 0.45,
    Signal.CHURN_THREAT: 0.35,
    Signal.PROFANITY: 0.35,
    Signal.HUMAN_REQUEST: 0.25,
    Signal.LONG_WAIT: 0.25,
    Signal.ALL_CAPS: 0.15,
    Signal.BILLING_DISPUTE: 0.15,
    Signal.PREVIOUS_ESCALATION: 0.15,
    Signal.EXCLAMATIONS: 0.10,
    Signal.TIME_PRESSURE: 0.10,
}
NEGATIVE_WEIGHT = 0.6  # scales P(negative) from the model
REPEAT_WEIGHT_PER_CONTACT = 0.3
REPEAT_WEIGHT_CAP = 0.85
HEATED = {Signal.PROFANITY, Signal.ALL_CAPS, Signal.EXCLAMATIONS, Signal.LEGAL_THREAT, Signal.CHURN_THREAT}


def analyze(
    probabilities: npt.NDArray[np.float32], *, text: str, history: ContactHistory | None = None, model: str
) -> Sentiment:
    """Combine P(negative, neutral, positive) for `text` with its signals and the customer's history."""
    history = history or ContactHistory()
    negative, neutral, positive = (float(p) for p in probabilities)
    detected = detect(text, history)
    signals = set(detected.signals)
    evidence = [NEGATIVE_WEIGHT * negative] + [SIGNAL_WEIGHTS[s] for s in signals if s in SIGNAL_WEIGHTS]
    earlier = history.earlier_contacts_same_issue or (1 if Signal.REPEAT_CONTACT in signals else 0)
    evidence.append(min(REPEAT_WEIGHT_CAP, REPEAT_WEIGHT_PER_CONTACT * earlier))
    frustration = 1.0 - float(np.prod([1.0 - w for w in evidence]))
    score = positive - negative
    return Sentiment(
        level=_level(negative, score, frustration, signals),
        score=round(max(-1.0, min(1.0, score)), 4),
        probabilities={"negative": round(negative, 4), "neutral": round(neutral, 4), "positive": round(positive, 4)},
        frustration=round(frustration, 4),
        signals=detected.signals,
        evidence=detected.evidence,
        model=model,
    )


def _level(negative: float, score: float, frustration: float, signals: set[Signal]) -> SentimentLevel:
    if Signal.TIME_PRESSURE in signals and (negative >= 0.3 or frustration >= 0.4):
        return SentimentLevel.URGENT
    if negative >= 0.6 and (signals & HEATED or frustration >= 0.85):
        return SentimentLevel.ANGRY
    if frustration >= 0.5 or negative >= 0.5:
        return SentimentLevel.FRUSTRATED
    if score >= 0.4:
        return SentimentLevel.POSITIVE
    return SentimentLevel.NEUTRAL
