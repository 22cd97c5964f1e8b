"""The escalation policy: one table of rules, read top to bottom.

    rule                                              queue     priority
    legal threat                                      manager   critical
    possible security incident                        tier2     critical
    customer is urgent                                tier2     critical
    customer is angry                                 tier2     high
    3+ contacts about the same issue                  tier2     high
    back after an escalation, frustrated again        tier2     high
    thread getting worse, customer frustrated         tier1     high
    high frustration and low draft confidence         tier1     high
    draft confidence below the policy's threshold     tier1     medium
    ticket priority at or above threshold             tier2     high
    customer asked for a human or a manager           tier1     medium
    the message needs a lead's decision (needs.py)    tier2     medium
    no article answers a specific question (needs.py) tier1     medium
    none of the above                                 auto      low (no escalation)

Every matching rule adds its reason; the escalation goes to the most senior queue and the highest
priority among them. Thresholds come from Settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assist.config import Settings
from assist.domain import (
    ContactHistory,
    Escalation,
    EscalationPriority,
    Queue,
    Sentiment,
    SentimentLevel,
    Signal,
)
from assist.drafting.policy import LOW_CONFIDENCE, NEEDS_LEAD, NO_ARTICLE, Confidence

QUEUE_ORDER = [Queue.AUTO, Queue.TIER1, Queue.TIER2, Queue.MANAGER]
URGENT = "Customer is urgent and blocked"
HIGH_PRIORITY = "High priority"
# Reasons that ask for a reply sooner, not for someone else to write it (`queue_without`, assist/drafting/stance.py).
SOONER = frozenset({URGENT, HIGH_PRIORITY})
PRIORITY_ORDER = list(EscalationPriority)  # declared low to critical


@dataclass(frozen=True)
class Facts:
    sentiment: Sentiment
    history: ContactHistory
    priority: int
    confidence: Confidence | None  # the draft's, as the confidence policy reads it; None: no draft yet


@dataclass(frozen=True)
class Rule:
    reason: str
    queue: Queue
    priority: EscalationPriority
    action: str
    applies: Callable[[Facts, Settings], bool]
    reads_draft: bool = False  # decided by the draft's confidence or retrieval, not by the customer and ticket


def _back_again(f: Facts) -> bool:
    """The customer is back about something they raised before (an earlier ticket on the same issue, or their
    own words: "still not there", "third time"): an old escalation about something else does not count."""
    return f.history.earlier_contacts_same_issue > 0 or Signal.REPEAT_CONTACT in f.sentiment.signals


def _low_confidence(f: Facts, s: Settings) -> bool:
    return f.confidence is not None and f.confidence.low


RULES: tuple[Rule, ...] = (
    Rule(
        "Legal threat",
        Queue.MANAGER,
        EscalationPriority.CRITICAL,
        "Review with legal before replying; do not admit fault or promise compensation.",
        lambda f, s: Signal.LEGAL_THREAT in f.sentiment.signals,
    ),
    Rule(
        "Possible security incident",
        Queue.TIER2,
        EscalationPriority.CRITICAL,
        "Treat as a security incident: secure the account or key first, then reply; do not ask for secrets.",
        lambda f, s: Signal.SECURITY_INCIDENT in f.sentiment.signals,
    ),
    Rule(
        URGENT,
        Queue.TIER2,
        EscalationPriority.CRITICAL,
        "Call or reply within the hour; confirm the business impact and a workaround.",
        lambda f, s: f.sentiment.level is SentimentLevel.URGENT,
    ),
    Rule(
        "Customer is angry",
        Queue.TIER2,
        EscalationPriority.HIGH,
        "Take over personally: acknowledge the frustration first, then the fix.",
        lambda f, s: f.sentiment.level is SentimentLevel.ANGRY,
    ),
    Rule(
        "Repeat contact about the same issue",
        Queue.TIER2,
        EscalationPriority.HIGH,
        "Own the issue end to end: review the earlier tickets and fix the root cause.",
        lambda f, s: f.history.earlier_contacts_same_issue + 1 >= s.escalation_repeat_contacts,
    ),
    Rule(
        "Escalated before and frustrated again",
        Queue.TIER2,
        EscalationPriority.HIGH,
        "Read the earlier escalation first: this customer has been let down before; do not start from scratch.",
        lambda f, s: (
            f.history.previously_escalated and _back_again(f) and f.sentiment.frustration >= s.escalation_frustration
        ),
    ),
    Rule(
        "Getting worse over the thread",
        Queue.TIER1,
        EscalationPriority.HIGH,
        "Read the whole thread before replying: what we said so far has not helped.",
        lambda f, s: Signal.WORSENING in f.sentiment.signals and f.sentiment.frustration >= s.escalation_frustration,
    ),
    Rule(
        "High frustration and a low-confidence draft",
        Queue.TIER1,
        EscalationPriority.HIGH,
        "Have a senior agent write the reply; the suggested articles may not fit.",
        lambda f, s: f.sentiment.frustration >= s.escalation_frustration and _low_confidence(f, s),
        reads_draft=True,
    ),
    Rule(
        LOW_CONFIDENCE,
        Queue.TIER1,
        EscalationPriority.MEDIUM,
        "Check the articles before sending; write the answer by hand if none fits.",
        _low_confidence,
        reads_draft=True,
    ),
    Rule(
        HIGH_PRIORITY,
        Queue.TIER2,
        EscalationPriority.HIGH,
        "Handle before other tickets in the queue.",
        lambda f, s: f.priority >= s.escalation_priority,
    ),
    Rule(
        "Customer asked for a human or a manager",
        Queue.TIER1,
        EscalationPriority.MEDIUM,
        "Reply personally and name the person who now owns the ticket.",
        lambda f, s: Signal.HUMAN_REQUEST in f.sentiment.signals,
    ),
    Rule(
        NEEDS_LEAD,
        Queue.TIER2,
        EscalationPriority.MEDIUM,
        "A lead should own this (an exception to a policy, how the ticket was handled, a threat or a repeated "
        "failure); reply only with what the articles state.",
        lambda f, s: f.confidence is not None and f.confidence.needs_lead,
        reads_draft=True,
    ),
    Rule(
        NO_ARTICLE,
        Queue.TIER1,
        EscalationPriority.MEDIUM,
        "Find the answer with a colleague or the product team; consider writing the missing article.",
        lambda f, s: f.confidence is not None and f.confidence.unanswered,
        reads_draft=True,
    ),
)


def evaluate(
    *, sentiment: Sentiment, history: ContactHistory, priority: int, confidence: Confidence | None, settings: Settings
) -> Escalation:
    """Apply the policy. Nothing in the customer's text can change the rules themselves."""
    facts = Facts(sentiment, history, priority, confidence)
    return _decide([rule for rule in RULES if rule.applies(facts, settings)], draft=True)


def without_draft(escalation: Escalation) -> Escalation:
    """The suggestion as it reads with no draft and no articles offered (a held-out ticket): the rules that
    judged the draft or its retrieval are dropped, the rest decide the queue and priority as before."""
    return _decide([rule for rule in _matched(escalation) if not rule.reads_draft], draft=False)


def queue_without(escalation: Escalation, reasons: frozenset[str]) -> Queue:
    """The queue the suggestion goes to on its other reasons (`Queue.AUTO` when none is left)."""
    return _decide([rule for rule in _matched(escalation) if rule.reason not in reasons], draft=True).queue


def _matched(escalation: Escalation) -> list[Rule]:
    """The rules that gave this suggestion its reasons."""
    return [rule for rule in RULES if rule.reason in escalation.reasons]


def _decide(matched: list[Rule], *, draft: bool) -> Escalation:
    if not matched:
        return Escalation(
            suggest=False,
            reasons=(),
            priority=EscalationPriority.LOW,
            queue=Queue.AUTO,
            suggested_action="Reply with the draft after checking it." if draft else "Reply to the customer.",
        )
    queue = max((r.queue for r in matched), key=QUEUE_ORDER.index)
    level = max((r.priority for r in matched), key=PRIORITY_ORDER.index)
    lead = next(r for r in matched if r.queue is queue)
    return Escalation(
        suggest=True,
        reasons=tuple(r.reason for r in matched),
        priority=level,
        queue=queue,
        suggested_action=lead.action,
    )
