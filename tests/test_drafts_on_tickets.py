"""The drafts a new user judged wrong on the demo workspace (issue 32), each recreated as the ticket it was:
threads, follow-ups, buried questions, a lead's take-over and return, a stated deadline, a first question, a
polite question and a happy customer. Each goes through the real pipeline (real models, real index of the
shipped articles) and, where ownership matters, the lead queue's own actions."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from assist.csat import SURVEY_INVITE
from assist.dev.evaluation.drafts import LabelledDraft, open_ticket_for
from assist.domain import AuthorRole, ConfidenceBand, Draft, DraftAction, Queue, User
from assist.drafting import Drafter, LlmDrafter
from assist.drafting.stance import CLOSER, FOLLOW_UP, LEAD_FOLLOW_UP, LEGAL, WAITING
from assist.pipeline import Assistant, compute_assistance
from assist.queue import list_escalations, return_to_tier1, take_over
from assist.store.db import session_scope
from assist.store.models import CustomerRow, TicketRow
from assist.store.tickets import add_message, create_ticket
from assist.ticket_actions import escalate, open_ticket
from tests.drafting.test_llm import RecordingChatModel
from tests.drafting.test_llm import _reply as llm_reply
from tests.factories import make_actor, make_customer, make_ticket

pytestmark = pytest.mark.model

Thread = tuple[tuple[AuthorRole, str], ...]
SPECIALIST = FOLLOW_UP[Queue.TIER2]


def _ticket(assistant: Assistant, query: str, thread: Thread = (), n: int = 1) -> int:
    return open_ticket_for(assistant, LabelledDraft(query, None, None, thread), n)


def _answered(question: str, reply: str) -> Thread:
    """A customer's question and the agent's reply: the thread a follow-up comes after."""
    return ((AuthorRole.CUSTOMER, question), (AuthorRole.AGENT, reply))


def _draft(assistant: Assistant, query: str, thread: Thread = ()) -> Draft:
    return compute_assistance(assistant, ticket_id=_ticket(assistant, query, thread)).draft


def test_163_where_is_the_unlock_option_gets_the_unlock_sentence(assistant: Assistant) -> None:
    draft = _draft(assistant, "Where is the Unlock option? One of my approved weeks has a wrong entry.")
    assert draft.sources[:1] == ("time-tracking-approvals",)
    assert "Approvals → ⋯ → Unlock" in draft.text


def test_a_confident_draft_whose_sentence_does_not_stand_out_is_not_badged_likely_sent(assistant: Assistant) -> None:
    """Issue 32: 15 of the 31 demo drafts badged "likely sent as is" needed a rewrite, most of them the right
    article at the wrong sentence. Here the article is right at 0.97 and the draft states the signature header, not
    the algorithm the customer asks about; the badge asks the agent to check the quoted sentence instead."""
    wrong = _draft(assistant, "which hash algorithm for the webhook signature? md5? sha1?")
    assert wrong.sources[:1] == ("webhook-signatures",) and wrong.confidence >= 0.75
    assert wrong.band is ConfidenceBand.CHECK_SENTENCE
    bulk = "Does a call to the bulk time entries endpoint with 500 items count as 1 request or 500?"
    right = compute_assistance(assistant, ticket_id=_ticket(assistant, bulk, n=2)).draft
    assert "one request per 100 items" in right.text and right.band is ConfidenceBand.LIKELY_SENT


def test_300_fixing_an_approved_week_is_not_answered_with_how_to_set_up_approvals(assistant: Assistant) -> None:
    draft = _draft(
        assistant,
        "Hi,\n\nI approved Tom's timesheet for last week but he logged 6 hours on the wrong project. How can I "
        "correct an approved week?\n\nThanks,\nRuth",
    )
    assert draft.sources[:1] == ("time-tracking-approvals",)
    assert "Unlock" in draft.text and "Require approval" not in draft.text


def test_317_a_confirmed_refund_that_has_not_arrived_gets_when_it_arrives(assistant: Assistant) -> None:
    draft = _draft(
        assistant,
        "Your colleague confirmed my refund last Tuesday but nothing has shown up on my card yet. How long does it "
        "usually take?",
    )
    assert draft.sources[:1] == ("refund-policy",)
    assert "5–10 business days" in draft.text and "Request refund" not in draft.text


def test_55_a_follow_up_about_another_error_gets_that_error_s_fix(assistant: Assistant) -> None:
    thread = _answered(
        'Our Okta SSO login fails with "Signature validation failed".',
        "Hi Chris,\n\nThe certificate in Lumen is outdated. IdPs rotate certificates; upload the new metadata."
        "\n\nBest,\nPriya",
    )
    draft = _draft(assistant, 'Thanks, that one is gone. Now two colleagues get "User not provisioned". Why?', thread)
    assert draft.sources[:1] == ("sso-saml",)
    assert "Just-in-time provisioning" in draft.text and "upload the new metadata" not in draft.text


@pytest.mark.parametrize(
    ("query", "article", "fix"),
    [
        (  # 107: the symptom restated as the answer
            "The 6-digit codes from my authenticator app are always rejected, even fresh ones.",
            "two-factor-authentication",
            "automatic date and time",
        ),
        (  # 319
            "Since this morning our webhook endpoint shows as disabled and we get no events.",
            "webhooks",
            "Enable",
        ),
    ],
    ids=["107-2fa-codes", "319-webhook-disabled"],
)
def test_107_319_a_problem_gets_its_fix_not_its_symptom_restated(
    assistant: Assistant, query: str, article: str, fix: str
) -> None:
    draft = _draft(assistant, query)
    assert draft.sources[:1] == (article,) and fix in draft.text


def test_309_a_complete_export_for_auditors_gets_the_export_steps(assistant: Assistant) -> None:
    draft = _draft(
        assistant,
        "Good morning,\n\nOur auditors need a complete copy of everything in our workspace for the year-end audit: "
        "projects, time entries, invoices and attachments. How do we get that?\n\nKind regards,\nElena Fischer\n"
        "Finance Director",
    )
    assert draft.sources[:1] == ("data-export",)
    assert "Full export" in draft.text and "Start export" in draft.text


@pytest.mark.xfail(
    strict=True,
    reason="issue 32 still open: the need model reads the message as one no article answers (0.49), so no answer is "
    "drafted; within the article the roles list's Admin line, which repeats the customer's words, still ranks above "
    "the Change role sentence",
)
def test_278_making_a_colleague_admin_gets_change_role_not_the_invite_steps(assistant: Assistant) -> None:
    draft = _draft(
        assistant,
        "My colleague needs to manage projects and members while I'm on leave. How do I give her admin rights?",
    )
    assert draft.sources[:1] == ("team-members",)
    assert "Change role" in draft.text and "Invite" not in draft.text


def test_318_hundreds_of_429_errors_are_answered_from_the_rate_limits_article(assistant: Assistant) -> None:
    draft = _draft(
        assistant,
        "Hi! Our nightly sync script started getting hundreds of 429 errors from the API since we added more "
        "projects. Can you explain what's going on and how we get our data without errors?\n\nCheers,\nMarco",
    )
    assert draft.action is not DraftAction.ESCALATE and draft.sources[:1] == ("rate-limits",)
    assert "Retry-After" in draft.text


def test_317_error_codes_in_the_plural_find_the_article_about_that_code(assistant: Assistant) -> None:
    draft = _draft(assistant, "hundreds of 429s on nightly sync. help")
    assert draft.sources[:1] == ("rate-limits",)  # not "Mobile sync", which shares only "sync"
    assert "Retry-After" in draft.text


def test_317_under_its_subject_the_code_in_the_plural_is_the_code_the_article_quotes(assistant: Assistant) -> None:
    """The demo's #317 as it stands: the subject found the 429 articles, but the article model read the code the
    rate-limits article quotes ("The API answers 429 rate_limited…") as absent from "429s", and chose Mobile sync."""
    with session_scope(assistant.engine) as session:
        customer = make_customer(session, name="Fatima Noor")
        body = "hundreds of 429s on nightly sync. help"
        ticket_id = make_ticket(session, customer=customer, subject="Hundreds of 429 errors", body=body).id

    draft = compute_assistance(assistant, ticket_id=ticket_id).draft

    assert draft.sources[:1] == ("rate-limits",)
    assert "Retry-After" in draft.text


def test_316_a_blank_page_in_chrome_gets_the_loading_steps(assistant: Assistant) -> None:
    draft = _draft(assistant, "Lumen just shows a blank white page in Chrome since this morning. Firefox works.")
    # Both articles state the fix (the sign-in troubleshooting steps include "Blank page or endless loading?").
    assert draft.sources[:1] in (("browser-performance",), ("login-troubleshooting",))
    assert "private window" in draft.text or "without cache" in draft.text
    # The one step quoted reads as a sentence, not as a list starting at the article's "6.".
    assert not re.search(r"^\d+\. ", draft.text, re.M), draft.text


def test_an_abstaining_draft_names_what_is_missing_in_the_customer_s_words(assistant: Assistant) -> None:
    draft = _draft(
        assistant,
        "Hi, can Lumen push our timesheets into SAP SuccessFactors automatically every night?\n\nThanks,\nOla",
    )
    assert draft.action.abstains
    note = draft.notes[0]
    words = note.split("“")[1].split("”")[0].split(", ")
    assert "sap" in words and "successfactors" in words, note  # whole words as written, no stems
    assert "thanks" not in words and "ola" not in words, note  # nothing from the sign-off


def test_205_a_question_for_the_customer_s_lawyer_is_answered_not_held_for_legal(assistant: Assistant) -> None:
    asked = "One of our clients asked us to delete all their data. How do we do that in Lumen?"
    replied = (
        "Hi Ines,\n\nDeleting the client in Lumen removes their contacts and portal access. Their invoices stay as "
        "long as the law requires you to keep them.\n\nBest,\nSam"
    )
    follow_up = "Done. Who can our lawyer talk to if she has more privacy questions?"
    assistance = compute_assistance(assistant, ticket_id=_ticket(assistant, follow_up, _answered(asked, replied)))
    assert "Legal threat" not in assistance.escalation.reasons and assistance.escalation.queue is not Queue.MANAGER
    assert LEGAL not in assistance.draft.text and assistance.draft.sources[:1] == ("privacy-gdpr",)


def test_a_law_firm_s_signature_under_a_calm_question_is_no_legal_threat(assistant: Assistant) -> None:
    """Issue 32 (realistic ticket): a practice manager's question about what the calendar integration reads went to
    a manager with the legal holding reply, because her signature ends "Oyelaran & Co Solicitors". The signals
    read the message without its signature; a threat in the message itself still counts."""
    question = (
        "Hi,\n\nSome of our calendar events contain confidential client information. What exactly does Lumen "
        "access in our calendars once the Google Calendar integration is connected?\n\nBest,\nRachel Oyelaran\n"
        "Practice Manager, Oyelaran & Co Solicitors\n020 7946 0555"
    )
    assistance = compute_assistance(assistant, ticket_id=_ticket(assistant, question))
    assert "Legal threat" not in assistance.escalation.reasons and assistance.escalation.queue is not Queue.MANAGER
    assert LEGAL not in assistance.draft.text
    threat = question.replace("Some of our", "If you cannot tell us, our solicitors will take it further. Some of our")
    threatened = compute_assistance(assistant, ticket_id=_ticket(assistant, threat, n=2))
    assert "Legal threat" in threatened.escalation.reasons


def _escalated(assistant: Assistant, *, angry: str) -> tuple[int, int, User]:
    """A ticket an agent escalated into the lead queue; (ticket id, escalation id, a lead)."""
    ticket_id = _ticket(assistant, angry)
    with session_scope(assistant.engine) as session:
        agent = make_actor(session, "agent", email="maya@lumen.example", name="Maya Lee")
        lead = make_actor(session, "lead", email="rachel@lumen.example", name="Rachel Kim")
    opened = open_ticket(assistant, ticket_id=ticket_id, viewer=agent)
    escalation_id = escalate(
        assistant.engine,
        run_id=opened.assistance.run_id,
        expected_version=opened.ticket.version,
        actor=agent,
        note="Angry about the refund",
    )
    return ticket_id, escalation_id, lead


def _version(assistant: Assistant, escalation_id: int) -> int:
    return next(e.ticket_version for e in list_escalations(assistant.engine) if e.id == escalation_id)


def _taken_over(assistant: Assistant, *, angry: str) -> tuple[int, User]:
    """An escalated ticket a lead has taken over; (ticket id, the lead)."""
    ticket_id, escalation_id, lead = _escalated(assistant, angry=angry)
    take_over(
        assistant.engine, escalation_id=escalation_id, expected_version=_version(assistant, escalation_id), actor=lead
    )
    return ticket_id, lead


def _customer_writes(assistant: Assistant, ticket_id: int, body: str) -> None:
    with session_scope(assistant.engine) as session:
        ticket = session.get(TicketRow, ticket_id)
        assert ticket is not None
        add_message(session, ticket=ticket, role=AuthorRole.CUSTOMER, body=body, actor="customer")


ANGRY = "This is ridiculous. Where is my refund?? You confirmed it two weeks ago and I still have NOTHING."


def test_324_the_lead_who_took_a_ticket_over_is_not_told_to_hand_it_to_a_specialist(assistant: Assistant) -> None:
    ticket_id, lead = _taken_over(assistant, angry=ANGRY)
    shown = open_ticket(assistant, ticket_id=ticket_id, viewer=lead)
    assert SPECIALIST not in shown.assistance.draft.text
    assert "senior specialist" not in shown.assistance.draft.text
    assert "Rachel Kim" in shown.assistance.draft.text  # signed by the lead who replies


def test_a_customer_asking_the_lead_who_took_over_for_someone_senior_hears_the_lead_has_it(
    assistant: Assistant,
) -> None:
    """The demo's LUM-10291: on a ticket a lead had taken over, "Can you escalate this to someone senior?" got an
    ordinary answer ending "Does this solve it?"; the lead now says they have it, and the answer still goes out."""
    ticket_id, lead = _taken_over(assistant, angry=ANGRY)
    asked = "Can you escalate this to someone senior? I want to know when the refund reaches my card."
    _customer_writes(assistant, ticket_id, asked)

    draft = open_ticket(assistant, ticket_id=ticket_id, viewer=lead).assistance.draft

    assert draft.action is DraftAction.HOLD and draft.sources and draft.confidence > 0
    assert LEAD_FOLLOW_UP in draft.text and "Rachel Kim" in draft.text
    assert CLOSER not in draft.text and SPECIALIST not in draft.text


def test_a_question_on_a_ticket_waiting_for_a_specialist_gets_the_answer_and_who_has_it(assistant: Assistant) -> None:
    """The demo's LUM-10271: while the ticket waits in the specialists' queue, the customer asks something an
    article answers. The draft was an ordinary answer ("Does this solve it?") as if tier 1 owned the ticket; it
    now gives the answer and says a specialist has the ticket, without asking for one again."""
    ticket_id, _, _ = _escalated(assistant, angry=ANGRY)
    asked = "Also, while I wait: my card shows two charges from Lumen on the same day. Is one of them a hold?"
    _customer_writes(assistant, ticket_id, asked)

    draft = compute_assistance(assistant, ticket_id=ticket_id).draft

    assert draft.action is DraftAction.HOLD and draft.sources and draft.confidence > 0  # the answer goes out
    assert WAITING[Queue.TIER2] in draft.text
    assert SPECIALIST not in draft.text and CLOSER not in draft.text


def test_252_a_ticket_a_lead_returned_to_tier_one_does_not_promise_a_specialist_again(assistant: Assistant) -> None:
    ticket_id, escalation_id, lead = _escalated(assistant, angry=ANGRY)
    return_to_tier1(
        assistant.engine,
        escalation_id=escalation_id,
        expected_version=_version(assistant, escalation_id),
        note="Confirm the refund reference and the 5-10 day timeline.",
        actor=lead,
    )
    with session_scope(assistant.engine) as session:
        agent = make_actor(session, "agent", email="sam@lumen.example", name="Sam Ortiz")
    shown = open_ticket(assistant, ticket_id=ticket_id, viewer=agent)
    assert "senior specialist" not in shown.assistance.draft.text
    assert shown.assistance.draft.action is not DraftAction.HOLD or "with me" in shown.assistance.draft.text


def test_290_a_deadline_we_cannot_meet_is_answered_honestly(assistant: Assistant) -> None:
    draft = _draft(
        assistant,
        "This is unacceptable, we were charged twice AGAIN. I need this fixed within the hour or we cancel.",
    )
    assert draft.action is DraftAction.HOLD
    assert "within the hour" in draft.text and "can't promise" in draft.text and "today" in draft.text


def test_327_a_first_question_is_not_greeted_as_a_repeat(assistant: Assistant) -> None:
    with session_scope(assistant.engine) as session:
        customer = CustomerRow(name="Lena Park", email="lena@park.example")
        session.add(customer)
        session.flush()
        create_ticket(session, customer=customer, subject="", body="How do I add a VAT number to invoices?", actor="t")
        ticket = create_ticket(
            session,
            customer=customer,
            subject="",
            body="I'm a bit lost: how do I start tracking time on a project?",
            actor="t",
        )
        session.flush()
        ticket_id = ticket.id
    draft = compute_assistance(assistant, ticket_id=ticket_id).draft
    assert "contacted us about this before" not in draft.text


def test_283_a_polite_question_gets_no_apology(assistant: Assistant) -> None:
    draft = _draft(
        assistant, "Hello! Could you please tell me how long reset links stay valid? Many thanks, have a nice day."
    )
    assert "sorry" not in draft.text.lower() and "frustration" not in draft.text.lower()


def test_328_a_happy_customer_is_thanked_and_not_sent_an_article(assistant: Assistant) -> None:
    thread: Thread = (
        (AuthorRole.CUSTOMER, "The reset email never arrives."),
        (
            AuthorRole.AGENT,
            "Hi Ana,\n\nPlease ask IT to allow mail from lumen.app, then request a new link.\n\nBest,\nJo",
        ),
    )
    draft = _draft(
        assistant, "That did it, the email arrived and I'm back in. Thank you so much, great support!", thread
    )
    assert "thank" in draft.text.lower() and draft.sources == ()
    assert CLOSER not in draft.text  # nothing to ask a customer who is done
    # Its badge says so rather than "No answer drafted" in red, and shows no figure for an answer it does not give.
    assert (draft.band, draft.confidence, draft.raw_confidence) == (ConfidenceBand.CLOSING, 0.0, None)


def test_a_ticket_waiting_for_the_customer_gets_the_answer_to_their_words_not_a_closing(assistant: Assistant) -> None:
    """Defect (issue 32, the demo's LUM-10280): on a ticket the team had answered, waiting for the customer, the
    draft read the customer as answering that reply. A problem reported amid praise got "Thank you, that's great to
    hear! I'll mark this as solved", which closes a ticket the customer never said was fixed."""
    report = (
        "Hello,\n\nAfter syncing I have every entry from Monday twice.\n\nOn a different note, the team really likes "
        "the new timesheet view.\n\nKind regards,\nChloe"
    )
    reply = "Hi Chloe,\n\nDelete the duplicate on the web; the change syncs to the phone.\n\nBest,\nMaya"
    ticket_id = _ticket(assistant, report)
    with session_scope(assistant.engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        add_message(session, ticket=ticket, role=AuthorRole.AGENT, body=reply, actor="maya@example.com")
    phrases = ("mark this as solved", "getting back to me", "great to hear")

    draft = compute_assistance(assistant, ticket_id=ticket_id).draft

    assert [p for p in phrases if p in draft.text] == []  # the customer is not answering us, nor said it is fixed
    assert draft.action is DraftAction.ANSWER and draft.sources[:1] == ("mobile-sync",)

    # The LLM is asked for the reply to the customer's words, not for one after the team's answer.
    answer = {"reply": "Hi Chloe, delete the duplicate on the web.", "confidence": 0.9, "sources": [1]}
    model = RecordingChatModel(messages=iter([llm_reply(answer)]))
    llm = LlmDrafter(model, name="gpt-test", usd_per_1k_input=0.001, usd_per_1k_output=0.002)
    drafting = replace(assistant, drafter=Drafter(offline=assistant.drafter.offline, llm=llm))
    compute_assistance(drafting, ticket_id=ticket_id)
    prompt = str(model.seen[0][1].content)
    assert "After syncing I have every entry from Monday twice." in prompt and "<agent_reply>" not in prompt


def test_send_and_resolve_does_not_ask_whether_it_solved_it(assistant: Assistant) -> None:
    from assist.ticket_actions import send_reply

    ticket_id = _ticket(assistant, "How long are password reset links valid?")
    with session_scope(assistant.engine) as session:
        agent = make_actor(session, "agent", email="dana@lumen.example", name="Dana Cho")
    shown = open_ticket(assistant, ticket_id=ticket_id, viewer=agent)
    assert CLOSER in shown.assistance.draft.text and "Dana Cho" in shown.assistance.draft.text
    sent = send_reply(
        assistant.engine,
        ticket_id=ticket_id,
        expected_version=shown.ticket.version,
        text=shown.assistance.draft.text,
        draft_id=shown.assistance.draft_id,
        actor=agent,
        resolve=True,
        settings=assistant.settings,
    )
    assert sent.sent_as_drafted
    thread = open_ticket(assistant, ticket_id=ticket_id, viewer=agent).ticket.messages
    # Signed by the agent; the survey link follows the signature (the thread keeps what the customer got).
    assert CLOSER not in thread[-1].body and f"Dana Cho\nLumen Support\n\n{SURVEY_INVITE} " in thread[-1].body
