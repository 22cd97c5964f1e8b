"""Ticket priority 1-10 from sentiment, history and urgency.

base                                  3
message reads frustrated (>= 0.5)    +2
angry                                +3
repeat contact about the same issue  +2
VIP customer                         +2
urgent (time pressure)               +3
legal threat                         +2
waiting longer than a day            +1
billing dispute / chargeback         +1
clamped to 1..10
"""

from __future__ import annotations

from assist.domain import ContactHistory, Sentiment, SentimentLevel, Signal

BASE = 3


def priority(sentiment: Sentiment, history: ContactHistory) -> int:
    points = BASE
    # The message's own frustration, not its tone (a polite complaint is calm) and not the overall figure, whose
    # history part (repeat contact, waiting) has points of its own below.
    points += 2 if sentiment.message_frustration >= 0.5 else 0
    points += 3 if sentiment.level is SentimentLevel.ANGRY else 0
    points += 2 if Signal.REPEAT_CONTACT in sentiment.signals else 0
    points += 2 if history.is_vip else 0
    points += 3 if sentiment.level is SentimentLevel.URGENT else 0
    points += 2 if Signal.LEGAL_THREAT in sentiment.signals else 0
    points += 1 if Signal.LONG_WAIT in sentiment.signals else 0
    points += 1 if Signal.BILLING_DISPUTE in sentiment.signals else 0
    return max(1, min(10, points))
