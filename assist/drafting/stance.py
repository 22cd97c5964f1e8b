"""The stance of a reply, decided from the assessment before a word is drafted.

ANSWER     the articles answer the question: give the answer, ask whether it solves it
HOLD       escalation is suggested, or the customer threatens legal action or to leave: acknowledge,
           answer only with what the articles state (never for a legal threat), promise nothing the
           policy forbids, and say who follows up and when; no "does this solve it" closer
CLARIFY    no article answers and the question is vague: ask what is needed, draft no answer
ESCALATE   no article answers a specific question: no reply text; the panel offers escalation
"""

from __future__ import annotations

from dataclasses import dataclass

from assist.domain import DraftAction, Escalation, Queue, Sentiment, SentimentLevel, Signal
from assist.escalation import LOW_CONFIDENCE

Stance = DraftAction  # a plan's stance is what its draft offers the agent


# Who takes over, and when the customer hears back: the support-hours article's promise for escalations
# ("a team lead reviews escalations the same business day").
FOLLOW_UP = {
    Queue.MANAGER: "A team lead is now looking at this personally and will reply to you within one business day.",
    Queue.TIER2: "I've asked a senior specialist to take this over; they will reply to you today.",
    Queue.TIER1: "I'm keeping this ticket with me and will update you within one business day.",
    Queue.AUTO: "I'm keeping this ticket with me and will update you within one business day.",
}
LEGAL = (
    "Thank you for telling us. I've passed your message to a team lead, who will review it "
    "and reply to you within one business day."
)
OPENINGS = {
    SentimentLevel.ANGRY: "I'm sorry this has caused so much trouble, and I understand why you're upset.",
    SentimentLevel.URGENT: "I understand this is blocking you right now.",
    SentimentLevel.FRUSTRATED: "I'm sorry for the frustration this has caused.",
    SentimentLevel.NEUTRAL: "Thanks for reaching out.",
    SentimentLevel.POSITIVE: "Thanks for getting in touch.",
}
FOLLOW_UP_OPENINGS = {  # the customer is answering us: no fresh welcome
    SentimentLevel.NEUTRAL: "Thanks for getting back to me.",
    SentimentLevel.POSITIVE: "Thanks for the update.",
}
CLOSER = "Does this solve it for you, or is there anything else I can help with?"


@dataclass(frozen=True)
class Plan:
    stance: Stance
    opening: str
    follow_up: str | None  # who follows up and when (HOLD only)
    closer: str | None
    facts_allowed: bool  # may the body state what the articles say


def plan(
    *, sentiment: Sentiment, escalation: Escalation, answerable: bool, specific: bool, follow_up_thread: bool
) -> Plan:
    level = sentiment.level
    opening = (FOLLOW_UP_OPENINGS.get(level) if follow_up_thread else None) or OPENINGS[level]
    legal = Signal.LEGAL_THREAT in sentiment.signals
    if legal:
        return Plan(Stance.HOLD, "", LEGAL, None, facts_allowed=False)
    if not answerable:
        stance = Stance.ESCALATE if specific or escalation.suggest else Stance.CLARIFY
        return Plan(stance, opening, None, None, facts_allowed=False)
    # A low-confidence draft alone is the agent's concern (the panel says so), not the customer's.
    escalated = escalation.suggest and set(escalation.reasons) != {LOW_CONFIDENCE}
    if escalated or Signal.CHURN_THREAT in sentiment.signals:
        queue = escalation.queue if escalated else Queue.TIER1
        return Plan(Stance.HOLD, opening, FOLLOW_UP[queue], None, facts_allowed=True)
    return Plan(Stance.ANSWER, opening, None, CLOSER, facts_allowed=True)
