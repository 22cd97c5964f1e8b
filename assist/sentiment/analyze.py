"""From model probabilities, support signals and history to a `Sentiment` an agent can act on.

Three readings come from the model. *Tone* (negative / neutral / positive) is how the message
sounds, and is what the badge shows; *frustration* is whether the customer is fed up (anger,
annoyance, disappointment, sarcasm, "I've wasted hours"), which a polite complaint is not and a
sarcastic "thanks" is; *complaint* is whether it reports something that went wrong, however calmly
("my order never arrived"), which decides a word of regret in the draft.

The frustration the inbox and the escalation policy read is a noisy-OR of the model's reading and
independent pieces of evidence it cannot see in one message (signals, waiting, chasing, repeat
contacts), so each one can only raise it and no single one saturates it. History weighs heavily: a
polite fourth contact about the same unsolved issue is more frustrated than a first-time message in
capitals. The thread counts too: tone that turns negative over the customer's messages (the
trajectory) is a signal of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from assist.domain import ContactHistory, Sentiment, SentimentLevel, Signal
from assist.sentiment.signals import detect

# Each weight is the chance that this evidence alone means the customer is frustrated.
SIGNAL_WEIGHTS: dict[Signal, float] = {
    Signal.LOST_TIME: 0.5,  # saying the problem cost them hours is being fed up: alone it crosses the line
    Signal.LEGAL_THREAT: 0.45,
    Signal.CHURN_THREAT: 0.35,
    Signal.PROFANITY: 0.35,
    Signal.HUMAN_REQUEST: 0.25,
    Signal.LONG_WAIT: 0.25,
    Signal.WORSENING: 0.25,
    Signal.CHASING: 0.2,
    Signal.ALL_CAPS: 0.15,
    Signal.BILLING_DISPUTE: 0.15,
    Signal.PREVIOUS_ESCALATION: 0.15,
    Signal.EXCLAMATIONS: 0.10,
    Signal.TIME_PRESSURE: 0.10,
}
# A model without a frustration reading (another SENTIMENT_MODEL): read it from tone and complaint instead.
NEGATIVE_WEIGHT = 0.6  # scales P(negative)
COMPLAINT_WEIGHT = 0.35  # scales P(complaint): alone it stays under the "frustrated" line
REPEAT_WEIGHT_PER_CONTACT = 0.3
REPEAT_WEIGHT_CAP = 0.85
# Getting worse reads tone. Read from frustration instead (each message alone), it fired on more follow-ups
# labelled "answer" in the labelled ticket sets (47 against 31) and on no more escalations (docs/evaluation.md).
WORSENING_RISE = 0.4  # P(negative) up by this much since the calmest earlier message...
WORSENING_FLOOR = 0.5  # ...and now at least this negative
HEATED = {Signal.PROFANITY, Signal.ALL_CAPS, Signal.EXCLAMATIONS, Signal.LEGAL_THREAT, Signal.CHURN_THREAT}


def analyze(
    probabilities: npt.NDArray[np.float32],
    *,
    text: str,
    history: ContactHistory | None = None,
    model: str,
    earlier: Sequence[npt.NDArray[np.float32]] | npt.NDArray[np.float32] = (),
) -> Sentiment:
    """Combine the model's row for `text` ([P(negative), P(neutral), P(positive)] and, when the model reads
    them, P(complaint) and P(frustrated)) with its signals, the customer's history and the rows of their
    `earlier` messages in this thread (oldest first)."""
    history = history or ContactHistory()
    negative, neutral, positive = (float(p) for p in probabilities[:3])
    complaint = _complaint(probabilities)
    reading = frustration_reading(probabilities)
    # The message on its own: the model's frustration reading, or for a model without one its negativity (as
    # before that reading existed: a tone-only model's "frustrated" and "angry" are unchanged).
    own, fed_up = (reading, reading >= 0.5) if _reads_frustration(probabilities) else (negative, negative >= 0.6)
    detected = detect(text, history)
    evidence = dict(detected.evidence)
    worse = worsening([float(row[0]) for row in earlier], negative)
    if worse:
        evidence[Signal.WORSENING.value] = worse
    signals = {*detected.signals, *([Signal.WORSENING] if worse else [])}
    if not fed_up:
        signals -= set(detected.if_fed_up)
    weights = [reading]
    weights += [SIGNAL_WEIGHTS[s] for s in signals if s in SIGNAL_WEIGHTS]
    earlier_contacts = history.earlier_contacts_same_issue or (1 if Signal.REPEAT_CONTACT in signals else 0)
    weights.append(min(REPEAT_WEIGHT_CAP, REPEAT_WEIGHT_PER_CONTACT * earlier_contacts))
    frustration = 1.0 - float(np.prod([1.0 - w for w in weights]))
    score = positive - negative
    ordered = tuple(s for s in Signal if s in signals)
    return Sentiment(
        level=_level(negative, score, frustration, signals, own=own, fed_up=fed_up, glad=positive > neutral),
        score=round(max(-1.0, min(1.0, score)), 4),
        probabilities={"negative": round(negative, 4), "neutral": round(neutral, 4), "positive": round(positive, 4)},
        frustration=round(frustration, 4),
        message_frustration=round(min(1.0, max(0.0, own)), 4),
        complaint=round(min(1.0, max(0.0, complaint)), 4),
        signals=ordered,
        evidence={s.value: evidence[s.value] for s in ordered},
        model=model,
    )


def dissatisfaction(row: npt.NDArray[np.float32]) -> float:
    """P(negative or complaint): the customer sounds unhappy, or reports something that went wrong, or both
    (noisy-OR of the two readings, like frustration)."""
    return 1.0 - (1.0 - float(row[0])) * (1.0 - _complaint(row))


def frustration_reading(row: npt.NDArray[np.float32]) -> float:
    """P(frustrated) from the message alone: the model's own reading, or one from tone and complaint for a
    model without it (NaN or a short row)."""
    if _reads_frustration(row):
        return float(row[4])
    return 1.0 - (1.0 - NEGATIVE_WEIGHT * float(row[0])) * (1.0 - COMPLAINT_WEIGHT * _complaint(row))


def _reads_frustration(row: npt.NDArray[np.float32]) -> bool:
    return len(row) > 4 and not np.isnan(row[4])


def _complaint(row: npt.NDArray[np.float32]) -> float:
    """P(complaint); 0 from a tone-only model (SENTIMENT_MODEL), whose negativity already carries what it knows."""
    return float(row[3]) if len(row) > 3 else 0.0


def worsening(earlier_negative: Sequence[float], negative: float) -> str | None:
    """'negative 10% → 85% over 3 messages' when the thread has turned negative, else None."""
    if not earlier_negative:
        return None
    calmest = min(earlier_negative)
    if negative >= WORSENING_FLOOR and negative - calmest >= WORSENING_RISE:
        return f"negative {calmest:.0%} → {negative:.0%} over {len(earlier_negative) + 1} messages"
    return None


def _level(
    negative: float,
    score: float,
    frustration: float,
    signals: set[Signal],
    *,
    own: float,
    fed_up: bool,
    glad: bool,
) -> SentimentLevel:
    """Urgent, angry and frustrated read frustration; positive and neutral read tone. Angry needs the message
    itself to be heated (a threat, capitals, "!!") and to read fed up or sharply negative: a polite fourth contact
    is frustrated (its history says so), and so is a sarcastic "thanks" or a cold "this is unacceptable", but none
    is angry. A sure frustration figure alone does not make a message angry: that rule moved with every
    recalibration (the support-style curve nearly doubled the demo's angry messages through it). Whether the
    message reads fed up still comes from the calibrated figure (0.5 or more). Sharp negativity with a heated
    signal still counts where the frustration reading misses a shouted legal threat. Anger put in words alone
    ("I am furious") is frustrated, not angry: the heated signals are patterns, not the model. Positive needs the
    tone to lean clearly positive and positive to be likelier than neutral (`glad`): a polite question read
    51 % neutral is not a happy customer, however little of it reads negative."""
    if Signal.TIME_PRESSURE in signals and (negative >= 0.3 or frustration >= 0.4):
        return SentimentLevel.URGENT
    sharp = negative >= 0.6
    if signals & HEATED and (fed_up or sharp):
        return SentimentLevel.ANGRY
    if frustration >= 0.5 or own >= 0.5:
        return SentimentLevel.FRUSTRATED
    if score >= 0.4 and glad:
        return SentimentLevel.POSITIVE
    return SentimentLevel.NEUTRAL
