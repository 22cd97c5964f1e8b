"""The stance and fixed wording follow the assessment and the thread: who owns the ticket, a stated deadline,
whether something went wrong, a happy customer (no models)."""

from __future__ import annotations

from assist.domain import Escalation, EscalationPriority, Owner, Queue, SentimentLevel, Signal
from assist.drafting.policy import LOW_CONFIDENCE
from assist.drafting.stance import (
    CLOSER,
    FOLLOW_UP,
    LEAD_FOLLOW_UP,
    NOTHING_ASKED,
    OPENINGS,
    SOMETHING_WENT_WRONG,
    WAITING,
    Plan,
    Stance,
    follow_up,
    plan,
)
from tests.factories import reading, sentiment

CALM = Escalation(suggest=False, reasons=(), priority=EscalationPriority.LOW, queue=Queue.AUTO, suggested_action="")
ANGRY_TO_TIER2 = Escalation(
    suggest=True,
    reasons=("Customer is angry",),
    priority=EscalationPriority.HIGH,
    queue=Queue.TIER2,
    suggested_action="",
)
LOW_CONFIDENCE_ONLY = ANGRY_TO_TIER2.model_copy(
    update={"reasons": (LOW_CONFIDENCE,), "priority": EscalationPriority.MEDIUM, "queue": Queue.TIER1}
)


def test_tier_one_holds_and_hands_over_to_a_specialist() -> None:
    held = plan(
        sentiment=sentiment("angry"), escalation=ANGRY_TO_TIER2, answerable=True, specific=True, thread=reading()
    )
    assert held.stance is Stance.HOLD and held.follow_up == FOLLOW_UP[Queue.TIER2]


def test_no_specialist_is_promised_again_after_a_lead_returned_the_ticket() -> None:
    returned = plan(
        sentiment=sentiment("angry"),
        escalation=ANGRY_TO_TIER2,
        answerable=True,
        specific=True,
        thread=reading(owner=Owner.RETURNED),
    )
    assert returned.stance is Stance.ANSWER and "senior specialist" not in (returned.follow_up or "")


def _angry_to_tier2(owner: Owner, *, signals: tuple[Signal, ...] = (), answerable: bool = True) -> Plan:
    """The plan for an angry customer's specific question on a ticket `owner` holds, with the escalation to tier 2."""
    return plan(
        sentiment=sentiment("angry", signals=signals),
        escalation=ANGRY_TO_TIER2,
        answerable=answerable,
        specific=True,
        thread=reading(owner=owner),
    )


def test_a_lead_who_took_the_ticket_over_speaks_for_themselves() -> None:
    assert _angry_to_tier2(Owner.LEAD).stance is Stance.ANSWER
    legal = _angry_to_tier2(Owner.LEAD, signals=(Signal.LEGAL_THREAT,))
    assert legal.stance is Stance.HOLD and "personally" in (legal.follow_up or "")
    assert "passed your message to a team lead" not in (legal.follow_up or "")


def test_a_customer_who_asked_for_someone_senior_hears_that_the_lead_replying_has_it() -> None:
    """The demo's LUM-10291: "Can you escalate this to someone senior?" on a ticket a lead took over was answered
    with "Does this solve it?", as if the request had not been heard."""
    for answerable in (True, False):
        asked = _angry_to_tier2(Owner.LEAD, signals=(Signal.HUMAN_REQUEST,), answerable=answerable)
        assert asked.stance is Stance.HOLD and asked.follow_up == LEAD_FOLLOW_UP and asked.closer is None
        assert asked.facts_allowed is answerable  # the answer the articles hold still goes out
    # Tier 1 again after a lead returned it: no lead speaks and no specialist is promised again; the agent answers
    # (the panel still suggests the escalation).
    returned = _angry_to_tier2(Owner.RETURNED, signals=(Signal.HUMAN_REQUEST,))
    assert returned.stance is Stance.ANSWER and returned.follow_up is None


def test_the_lead_replying_weighs_a_deadline_against_their_own_promise() -> None:
    """One business day, whatever queue the ticket came through: through tier 2 (whose promise is today), the lead
    promised one business day to a customer who asked for an answer today without saying it could not be met."""
    today = reading("Please get back to me today, our audit starts tomorrow.", owner=Owner.LEAD)
    # In the lead's voice: nothing about a queue that picks the ticket up first, the lead already has it.
    assert follow_up(Queue.TIER2, today) == f"You asked for an answer today. I can't promise that, but {LEAD_FOLLOW_UP}"
    later = reading("Please get back to me within 48 hours.", owner=Owner.LEAD)
    assert follow_up(Queue.TIER2, later) == LEAD_FOLLOW_UP


def test_a_ticket_waiting_in_a_lead_s_queue_gets_the_answer_and_hears_who_has_it() -> None:
    """The demo's LUM-10271: a calm question on a ticket already in the specialists' queue was answered as if tier 1
    owned it; labelled "escalate" (a holding reply while a lead takes over). The answer still goes out."""
    waiting = reading(waiting_in=Queue.TIER2)
    held = plan(sentiment=sentiment(), escalation=CALM, answerable=True, specific=True, thread=waiting)
    assert held.stance is Stance.HOLD and held.facts_allowed
    assert held.follow_up == WAITING[Queue.TIER2] and "I've asked" not in held.follow_up
    unanswered = plan(sentiment=sentiment(), escalation=CALM, answerable=False, specific=True, thread=waiting)
    assert unanswered.stance is Stance.HOLD and not unanswered.facts_allowed
    assert unanswered.follow_up == WAITING[Queue.TIER2]
    with_manager = plan(
        sentiment=sentiment(),
        escalation=CALM,
        answerable=True,
        specific=True,
        thread=reading(waiting_in=Queue.MANAGER),
    )
    assert with_manager.follow_up == WAITING[Queue.MANAGER]
    for named in (Queue.TIER1, Queue.AUTO):  # a handoff that named no specialist still waits for a team lead
        waits = plan(
            sentiment=sentiment(), escalation=CALM, answerable=True, specific=True, thread=reading(waiting_in=named)
        )
        assert waits.follow_up is not None and "team lead has your ticket" in waits.follow_up
    in_tier_one = plan(sentiment=sentiment(), escalation=CALM, answerable=True, specific=True, thread=reading())
    assert in_tier_one.stance is Stance.ANSWER  # not waiting anywhere: the agent answers


def test_a_deadline_sooner_than_we_can_promise_is_answered_honestly() -> None:
    held = plan(
        sentiment=sentiment("angry"),
        escalation=ANGRY_TO_TIER2,
        answerable=True,
        specific=True,
        thread=reading("I need an answer within the hour or we lose the client."),
    )
    assert held.follow_up is not None
    assert held.follow_up.startswith("You asked for an answer within the hour. I can't promise that")
    relaxed = plan(
        sentiment=sentiment("angry"),
        escalation=ANGRY_TO_TIER2,
        answerable=True,
        specific=True,
        thread=reading("Please sort this out by Friday."),
    )
    assert relaxed.follow_up == FOLLOW_UP[Queue.TIER2]


def test_regret_only_when_something_went_wrong_or_the_customer_is_upset() -> None:
    question = plan(sentiment=sentiment(), escalation=CALM, answerable=True, specific=True, thread=reading())
    assert question.opening == OPENINGS[sentiment().level] and "sorry" not in question.opening.lower()
    went_wrong = sentiment().model_copy(update={"complaint": 0.9})
    calm_complaint = plan(sentiment=went_wrong, escalation=CALM, answerable=True, specific=True, thread=reading())
    assert calm_complaint.opening == SOMETHING_WENT_WRONG


def test_a_happy_customer_who_asks_nothing_is_thanked_and_gets_no_article() -> None:
    answered = [
        ("customer", "My timesheet won't sync."),
        ("agent", "Pull down on the timesheet to sync it."),
        ("customer", "That worked, thank you so much!"),
    ]
    thanks = plan(
        sentiment=sentiment("positive"),
        escalation=CALM,
        answerable=True,
        specific=False,
        thread=reading(messages=answered),
        asks=False,
    )
    assert thanks.stance is Stance.ANSWER and not thanks.facts_allowed
    assert thanks.closer == NOTHING_ASKED and "thank" in thanks.opening.lower()
    asks = plan(sentiment=sentiment("positive"), escalation=CALM, answerable=True, specific=True, thread=reading())
    assert asks.closer == CLOSER and asks.facts_allowed


def test_a_first_message_that_reports_a_problem_amid_praise_is_not_marked_solved() -> None:
    """The demo's LUM-10280: "After syncing I have every entry from Monday twice." beside praise for the new
    timesheet view reads positive and asks nothing, and the draft said "I'll mark this as solved". On a first
    message an article answers, it is answered; warm words no article speaks to are still only thanked."""

    def warm(text: str, *, answerable: bool) -> Plan:  # a first message that reads positive and asks nothing
        return plan(
            sentiment=sentiment("positive"),
            escalation=CALM,
            answerable=answerable,
            specific=True,
            thread=reading(text),
            asks=False,
        )

    reported = warm("After syncing I have every entry from Monday twice. The team loves the new view.", answerable=True)
    assert reported.closer == CLOSER and reported.facts_allowed
    praise = warm("Just wanted to say the new timesheet view is lovely.", answerable=False)
    assert praise.closer == NOTHING_ASKED and not praise.facts_allowed


def test_an_upset_customer_no_article_answers_still_hears_who_takes_over() -> None:
    """Issue 32: once the need model keeps a draft from answering, an angry customer whose ticket goes to a
    specialist got no reply text at all; they get a holding reply, with no article facts in it."""
    held = plan(
        sentiment=sentiment("angry"), escalation=ANGRY_TO_TIER2, answerable=False, specific=True, thread=reading()
    )
    assert held.stance is Stance.HOLD and held.follow_up == FOLLOW_UP[Queue.TIER2] and not held.facts_allowed
    vague = plan(
        sentiment=sentiment("neutral"),
        escalation=LOW_CONFIDENCE_ONLY,
        answerable=False,
        specific=False,
        thread=reading(),
    )
    assert vague.stance is Stance.CLARIFY  # a low-confidence draft alone is no reason to hand a vague message on


WORSE_IN_TIER1 = ANGRY_TO_TIER2.model_copy(
    update={"reasons": ("Getting worse over the thread",), "priority": EscalationPriority.HIGH, "queue": Queue.TIER1}
)


def test_advice_that_keeps_the_ticket_in_tier_one_does_not_turn_an_answer_into_a_holding_reply() -> None:
    """A suggestion that stays in tier 1 ("read the whole thread first") is advice to the agent who replies: the
    draft answers, with the closer, instead of "I'm keeping this ticket with me and will update you"."""
    answered = plan(
        sentiment=sentiment("frustrated"), escalation=WORSE_IN_TIER1, answerable=True, specific=True, thread=reading()
    )
    assert answered.stance is Stance.ANSWER and answered.follow_up is None and answered.closer == CLOSER
    # With no answer to give, the upset customer still hears that the agent keeps the ticket.
    held = plan(
        sentiment=sentiment("frustrated"), escalation=WORSE_IN_TIER1, answerable=False, specific=True, thread=reading()
    )
    assert held.stance is Stance.HOLD and held.follow_up == FOLLOW_UP[Queue.TIER1] and not held.facts_allowed
    # A customer who asked for a person hears who owns the ticket now, even while it stays in tier 1.
    asked = plan(
        sentiment=sentiment("frustrated", signals=(Signal.HUMAN_REQUEST,)),
        escalation=WORSE_IN_TIER1.model_copy(update={"reasons": ("Customer asked for a human or a manager",)}),
        answerable=True,
        specific=True,
        thread=reading(),
    )
    assert asked.stance is Stance.HOLD and asked.follow_up == FOLLOW_UP[Queue.TIER1] and asked.facts_allowed


def test_a_vague_message_gets_a_question_back_not_a_holding_reply() -> None:
    """ "its broken again" from a customer getting fed up: the tier-1 advice kept it from the clarifying question,
    and the holding reply promised an update on something nobody can act on yet."""
    vague = plan(
        sentiment=sentiment("frustrated"), escalation=WORSE_IN_TIER1, answerable=False, specific=False, thread=reading()
    )
    assert vague.stance is Stance.CLARIFY and vague.follow_up is None
    # Handed over to a specialist, the same message is still asked about first: the specialist needs the details
    # too (issue 32's labelled tickets: "tax is wrong again!!!" is `clarify`).
    handed = plan(
        sentiment=sentiment("angry"), escalation=ANGRY_TO_TIER2, answerable=False, specific=False, thread=reading()
    )
    assert handed.stance is Stance.CLARIFY and handed.follow_up is None
    # A customer who asked for a person hears who takes over instead.
    person = plan(
        sentiment=sentiment("angry", signals=(Signal.HUMAN_REQUEST,)),
        escalation=ANGRY_TO_TIER2,
        answerable=False,
        specific=False,
        thread=reading(),
    )
    assert person.stance is Stance.HOLD and person.follow_up == FOLLOW_UP[Queue.TIER2]


def test_urgency_alone_asks_for_the_answer_now_not_for_a_specialist() -> None:
    urgent = ANGRY_TO_TIER2.model_copy(update={"reasons": ("Customer is urgent and blocked",)})

    def reply(answer_queue: Queue) -> Plan:
        return plan(
            sentiment=sentiment("urgent"),
            escalation=urgent,
            answerable=True,
            specific=True,
            thread=reading(),
            answer_queue=answer_queue,
        )

    now = reply(Queue.AUTO)
    assert now.stance is Stance.ANSWER and now.facts_allowed and now.opening == OPENINGS[SentimentLevel.URGENT]
    # The same urgency with a reason to hand the ticket over keeps the holding reply.
    handed = reply(Queue.TIER2)
    assert handed.stance is Stance.HOLD and handed.follow_up == FOLLOW_UP[Queue.TIER2]
