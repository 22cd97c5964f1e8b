"""The stance of a reply and its fixed wording, decided from the assessment and the thread before a word of
the answer is drafted.

ANSWER     the articles answer the question: give the answer, ask whether it solves it
HOLD       the ticket goes to a specialist or a lead (for more than urgency: an urgent customer whose question
           the articles answer gets the answer now), or already waits in a lead's queue (the answer the articles
           hold goes out meanwhile, with who has the ticket), or the customer asked for a person, or an upset
           customer's specific question has no answer yet, or the customer threatens legal action or to
           leave: acknowledge,
           answer only with what the articles state (never for a legal threat, nor when no article answers),
           promise nothing the policy forbids, and say who follows up and when (meeting a deadline the customer
           stated, or saying honestly that we cannot); no "does this solve it" closer
CLARIFY    no article answers and the question is vague: ask what is needed, draft no answer (an urgent or
           angry customer too, unless they asked for a person: the details come first)
ESCALATE   no article answers a specific question: no reply text; the panel offers escalation

Who is writing matters as much as what: once a lead took the ticket over, or returned it to tier 1 with
guidance, the escalation has happened, so no draft says "I've asked a senior specialist" again.
"""

from __future__ import annotations

from dataclasses import dataclass

from assist.domain import DraftAction, Escalation, Owner, Queue, Sentiment, SentimentLevel, Signal
from assist.drafting.policy import ABOUT_THE_DRAFT
from assist.drafting.thread import ThreadReading

Stance = DraftAction  # a plan's stance is what its draft offers the agent

COMPLAINT = 0.5  # P(something went wrong) from which a calm message still gets a word of regret

# Who takes over, and when the customer hears back: the support-hours article's promise for escalations
# ("a team lead reviews escalations the same business day"); `PROMISE_HOURS` is how soon that is, at most.
FOLLOW_UP = {
    Queue.MANAGER: "A team lead is now looking at this personally and will reply to you within one business day.",
    Queue.TIER2: "I've asked a senior specialist to take this over; they will reply to you today.",
    Queue.TIER1: "I'm keeping this ticket with me and will update you within one business day.",
    Queue.AUTO: "I'm keeping this ticket with me and will update you within one business day.",
}
HANDED_OVER = (Queue.TIER2, Queue.MANAGER)  # queues where someone other than the replying agent takes the ticket
PROMISE_HOURS = {Queue.MANAGER: 24.0, Queue.TIER2: 8.0, Queue.TIER1: 24.0, Queue.AUTO: 24.0}
LEAD_FOLLOW_UP = "I'm looking into this personally and will update you within one business day."
# The ticket already waits in the escalation queue (`Owner.ESCALATED`), under the queue its handoff named:
# whoever replies meanwhile says who has it, not that they have just asked for someone. A handoff that named
# tier 1 or no queue still waits for a team lead, never with the replying agent.
_LEAD_HAS_IT = "A team lead has your ticket and will reply to you within one business day."
WAITING = {
    Queue.MANAGER: _LEAD_HAS_IT,
    Queue.TIER2: "A senior specialist has your ticket and will reply to you today.",
    Queue.TIER1: _LEAD_HAS_IT,
    Queue.AUTO: _LEAD_HAS_IT,
}
LEGAL = (
    "Thank you for telling us. I've passed your message to a team lead, who will review it "
    "and reply to you within one business day."
)
LEGAL_LEAD = "Thank you for telling us. I'm reviewing your message personally and will reply within one business day."
OPENINGS = {
    SentimentLevel.ANGRY: "I'm sorry this has caused so much trouble, and I understand why you're upset.",
    SentimentLevel.URGENT: "I understand this is blocking you right now.",
    SentimentLevel.FRUSTRATED: "I'm sorry for the frustration this has caused.",
    SentimentLevel.NEUTRAL: "Thanks for reaching out.",
    SentimentLevel.POSITIVE: "Thanks so much for getting in touch!",
}
SOMETHING_WENT_WRONG = "Sorry for the trouble with this."
FOLLOW_UP_OPENINGS = {  # the customer is answering us: no fresh welcome
    SentimentLevel.NEUTRAL: "Thanks for getting back to me.",
    SentimentLevel.POSITIVE: "Thank you, that's great to hear!",
}
CLOSER = "Does this solve it for you, or is there anything else I can help with?"
NOTHING_ASKED = "I'll mark this as solved; just reply to this email if anything else comes up."


@dataclass(frozen=True)
class Plan:
    stance: Stance
    opening: str
    follow_up: str | None  # who follows up and when (HOLD only)
    closer: str | None
    facts_allowed: bool  # may the body state what the articles say

    @property
    def closing(self) -> bool:
        """Nothing was asked: the draft thanks the customer and closes the ticket."""
        return self.closer == NOTHING_ASKED

    @property
    def answers(self) -> bool:
        """The draft states an answer from the articles. A holding reply without facts, or a thank-you when
        nothing was asked, offers none: like an abstention, it has no confidence to show or to recalibrate."""
        return self.facts_allowed and not self.stance.abstains


def plan(
    *,
    sentiment: Sentiment,
    escalation: Escalation,
    answerable: bool,
    specific: bool,
    thread: ThreadReading,
    asks: bool = True,
    answer_queue: Queue | None = None,
) -> Plan:
    """`asks`: the newest words ask or report something (False for a plain "that worked, thanks!").
    `answer_queue`: where the escalation would go on the reasons that concern who writes an answer the articles
    hold (`assist.escalation.queue_without(escalation, SOONER)`); by default the escalation's own queue."""
    opening = _opening(sentiment, thread)
    lead_replies = thread.owner is Owner.LEAD
    handled = thread.owner in (Owner.LEAD, Owner.RETURNED)  # a lead has already had this ticket
    waiting = thread.waiting_in  # the lead's queue the ticket already waits in: they reply next
    if Signal.LEGAL_THREAT in sentiment.signals:
        return Plan(Stance.HOLD, "", LEGAL_LEAD if lead_replies else LEGAL, None, facts_allowed=False)
    # Nothing asked: thanks after our answer, or warm words no article speaks to. A first message an article
    # answers reports something, though it asks nothing ("After syncing I have every entry from Monday twice.",
    # beside praise for the timesheet view, read positive): marking that solved would drop it.
    if not asks and sentiment.level is SentimentLevel.POSITIVE and (thread.follow_up or not answerable):
        return Plan(Stance.ANSWER, opening, None, NOTHING_ASKED, facts_allowed=False)
    # A low-confidence draft, or no article, alone is the agent's concern (the panel says so), not the customer's.
    suggested = escalation.suggest and not set(escalation.reasons) <= ABOUT_THE_DRAFT
    escalated = suggested and not handled
    asked_for_a_person = Signal.HUMAN_REQUEST in sentiment.signals
    # The person they asked for is the lead who replies: they hear, in the lead's own voice, that the lead has it
    # now (the demo's LUM-10291, "Can you escalate this to someone senior?" on a ticket a lead took over, was
    # answered with "Does this solve it?").
    lead_speaks = lead_replies and asked_for_a_person
    if not answerable:
        # Someone else takes over, or an upset customer's specific question waits for an answer the articles lack:
        # they hear who follows up and when. A vague message gets a question back ("its broken again" cannot be
        # acted on yet), urgent or not: whoever picks it up needs the details first (issue 32's labelled tickets:
        # "import broke everything. pls help asap" is `clarify`), unless the customer asked for a person. A
        # specific one no article answers gets no text.
        if waiting is not None and (specific or asked_for_a_person):
            return Plan(Stance.HOLD, opening, follow_up(waiting, thread), None, facts_allowed=False)
        if (escalated and (specific or asked_for_a_person)) or lead_speaks:
            return Plan(Stance.HOLD, opening, follow_up(escalation.queue, thread), None, facts_allowed=False)
        return Plan(Stance.ESCALATE if specific else Stance.CLARIFY, opening, None, None, facts_allowed=False)
    # Advice that keeps the ticket in tier 1 ("read the whole thread first", "a senior agent writes it") is for the
    # agent who replies: they answer (issue 32's realistic tickets label such follow-ups "answer"; "I'm keeping
    # this ticket with me and will update you" read as a stall). A hand-over makes the answer a holding reply, and
    # so does a customer who asked for a person: they hear who owns the ticket now. Urgency alone (and the priority
    # it raises) asks for the answer sooner, not for someone else to write it: an urgent customer whose question
    # the articles answer gets the answer now, with the escalation still suggested to the agent (issue 32's
    # labelled tickets: 15 such fit lines are `answer`, 7 `escalate`, three of those a security matter the signals
    # missed).
    if waiting is not None:
        # Already in a lead's queue: the answer the articles hold goes out now, and the customer hears who has the
        # ticket (issue 32's labels: "a holding reply while a lead takes over counts as escalate").
        return Plan(Stance.HOLD, opening, follow_up(waiting, thread), None, facts_allowed=True)
    answer_queue = escalation.queue if answer_queue is None else answer_queue
    handed_over = escalated and (answer_queue in HANDED_OVER or asked_for_a_person)
    if handed_over or lead_speaks or (Signal.CHURN_THREAT in sentiment.signals and not handled):
        queue = escalation.queue if handed_over else Queue.TIER1
        return Plan(Stance.HOLD, opening, follow_up(queue, thread), None, facts_allowed=True)
    return Plan(Stance.ANSWER, opening, None, CLOSER, facts_allowed=True)


def follow_up(queue: Queue, thread: ThreadReading) -> str:
    """Who follows up and when; when the customer asked for sooner than that, we say so rather than promise it."""
    if thread.owner is Owner.LEAD:  # the lead who replies promises one business day, whatever queue it came from
        promise, hours, meanwhile = LEAD_FOLLOW_UP, PROMISE_HOURS[Queue.MANAGER], ""
    else:
        promise = WAITING[queue] if thread.waiting_in is not None else FOLLOW_UP[queue]
        hours, meanwhile = PROMISE_HOURS[queue], "I've marked your ticket as urgent so it is picked up first. "
    deadline = thread.deadline
    if deadline is not None and deadline.hours < hours:
        return f"You asked for an answer {deadline.text}. I can't promise that, but {meanwhile}{promise}"
    return promise


def _opening(sentiment: Sentiment, thread: ThreadReading) -> str:
    """Regret only when something went wrong or the customer is upset; thanks for a happy customer."""
    level = sentiment.level
    opening = FOLLOW_UP_OPENINGS[level] if thread.follow_up and level in FOLLOW_UP_OPENINGS else OPENINGS[level]
    if level is SentimentLevel.NEUTRAL and sentiment.complaint >= COMPLAINT:
        return SOMETHING_WENT_WRONG
    return opening
