"""The five wrong drafts a new user found on the demo workspace, recreated: the right article was retrieved
each time, yet the draft copied the wrong steps, re-promised what was done, or took the wrong stance.
Each goes through the real pipeline (real models, real index of the shipped articles)."""

from __future__ import annotations

import pytest

from assist.dev.evaluation.drafts import LabelledDraft, open_ticket_for
from assist.domain import AuthorRole, Draft, DraftAction
from assist.drafting.stance import CLOSER
from assist.pipeline import Assistant, compute_assistance

pytestmark = pytest.mark.model


def _draft(assistant: Assistant, query: str, thread: tuple[tuple[AuthorRole, str], ...] = ()) -> Draft:
    ticket_id = open_ticket_for(assistant, LabelledDraft(query, None, None, thread), 1)
    return compute_assistance(assistant, ticket_id=ticket_id).draft


def test_an_invalid_date_import_gets_the_date_fix_not_the_generic_import_steps(assistant: Assistant) -> None:
    draft = _draft(assistant, "My CSV import shows 'Invalid date' for all rows. The dates look fine to me.")
    assert draft.sources[:1] == ("csv-import",)
    assert "use ISO dates (2026-03-31) or choose your date format in the mapping step" in draft.text
    assert "Download the template" not in draft.text and "Map your columns" not in draft.text


def test_a_customer_without_the_mailbox_is_not_sent_a_reset_link_to_it(assistant: Assistant) -> None:
    draft = _draft(
        assistant,
        "I left my old agency and no longer have that mailbox, but my Lumen account is still tied to it. "
        "I'm the owner.",
    )
    assert draft.sources[:1] == ("account-locked",)
    assert "contact support from any address" in draft.text
    assert "Forgot password" not in draft.text and "Send reset link" not in draft.text


def test_duplicate_entries_after_sync_get_the_delete_on_the_web_fix(assistant: Assistant) -> None:
    draft = _draft(assistant, "After syncing I have every entry from Monday twice.")
    assert draft.sources[:1] == ("mobile-sync",)
    assert "Delete the duplicate on the web" in draft.text
    assert "Pull down on the timesheet" not in draft.text


@pytest.mark.parametrize(
    "thread",
    [
        pytest.param(
            (
                (AuthorRole.CUSTOMER, "Please refund the duplicate charge on my last invoice."),
                (AuthorRole.AGENT, "Good news: your refund for the duplicate charge is confirmed and was sent today."),
            ),
            marks=pytest.mark.xfail(
                strict=True,
                reason="issue 32 still open: since the refit on realistic tickets the failed-payments sentence "
                '"duplicate charges are refunded in full" is chosen over when a refund arrives',
            ),
        ),
        (
            (AuthorRole.CUSTOMER, "I cancelled within a week, can I have my money back for this month?"),
            (AuthorRole.AGENT, "I've processed your refund; you'll receive a receipt by email with a reference."),
        ),
    ],
    ids=["duplicate-charge", "monthly-plan"],
)
def test_a_confirmed_refund_is_not_requested_or_promised_again(
    assistant: Assistant, thread: tuple[tuple[AuthorRole, str], ...]
) -> None:
    draft = _draft(assistant, "Thanks. I still don't see it on my statement, when will it arrive?", thread)
    assert draft.sources[:1] == ("refund-policy",)
    assert "Request refund" not in draft.text and "INV-" not in draft.text  # not asked to request it again
    assert "refunded in full" not in draft.text and "we refund that month" not in draft.text  # nor re-promised
    assert "5–10 business days" in draft.text or "acquirer reference number" in draft.text  # where the money is


def test_a_manager_asking_how_to_approve_timesheets_gets_the_answer_not_a_person(assistant: Assistant) -> None:
    """Managers approve timesheets here: "a manager" in a question read as a request for one, so the escalation
    said "Customer asked for a human or a manager" and the draft was a holding reply instead of the steps."""
    query = "As a manager, how do I approve my team's timesheets?"
    ticket_id = open_ticket_for(assistant, LabelledDraft(query, None, None, ()), 1)
    result = compute_assistance(assistant, ticket_id=ticket_id)
    assert "Customer asked for a human or a manager" not in result.escalation.reasons
    assert result.draft.action is DraftAction.ANSWER and result.draft.sources[:1] == ("time-tracking-approvals",)


@pytest.mark.parametrize(
    ("query", "thread"),
    [
        ("You charged us twice again this month. We are considering legal action over these charges.", ()),
        # Issue 32's realistic tickets: a complaint to a regulator was answered with the erasure steps.
        (
            "If there's no written confirmation that my data is erased by Monday, I will report Lumen to the ICO. "
            "I asked once already.",
            ((AuthorRole.CUSTOMER, "Please erase all my personal data, I've left the company that used Lumen."),),
        ),
    ],
    ids=["legal-action", "regulator"],
)
def test_a_legal_threat_gets_an_acknowledgement_and_a_named_follow_up_not_a_cheerful_answer(
    assistant: Assistant, query: str, thread: tuple[tuple[AuthorRole, str], ...]
) -> None:
    draft = _draft(assistant, query, thread)
    assert draft.action is DraftAction.HOLD
    assert CLOSER not in draft.text and "Does this solve it" not in draft.text
    assert "team lead" in draft.text and "one business day" in draft.text
    assert "refunded in full" not in draft.text and "Delete my account" not in draft.text  # nothing before legal
    assert draft.sources == ()


@pytest.mark.parametrize(
    "query",
    [
        "Our nightly sync needs 400 requests a minute. Can you raise our limit on Pro? If not, we'll honestly have "
        "to look at other tools.",
        "Every PDF invoice cuts off the last line item since your update, and each reply tells me to clear my "
        "cache. Fix it or we're gone.",
    ],
    ids=["if-not-other-tools", "or-we-are-gone"],
)
def test_a_customer_who_says_they_will_leave_gets_a_holding_reply_not_a_plain_answer(
    assistant: Assistant, query: str
) -> None:
    # Issue 32's labelled ticket sets: a condition that ends with leaving, without naming where to, was answered.
    draft = _draft(assistant, query)
    assert draft.action is DraftAction.HOLD
    assert CLOSER not in draft.text


@pytest.mark.parametrize("query", ["import broke everything. pls help asap", "Hi, 2FA problem. Please help asap, thx"])
def test_an_urgent_message_too_vague_to_act_on_gets_a_question_not_a_holding_reply(
    assistant: Assistant, query: str
) -> None:
    # Issue 32's labelled ticket sets: whoever picks an urgent ticket up needs to know what broke first; a holding
    # reply ("a senior specialist will reply today") spends the hour the customer asked for on finding out.
    draft = _draft(assistant, query)
    assert draft.action is DraftAction.CLARIFY
    assert "?" in draft.text


def test_an_urgent_customer_whose_question_the_articles_answer_gets_the_answer_now(assistant: Assistant) -> None:
    # Issue 32's labelled ticket sets: urgency alone asks for the answer sooner, not for a specialist to write it.
    draft = _draft(
        assistant,
        "Our card payment failed last week and now the whole workspace is read-only. How do I get editing back "
        "right now? This is urgent.",
    )
    assert draft.action is DraftAction.ANSWER and draft.sources[:1] == ("failed-payments",)
    assert "senior specialist" not in draft.text and "blocking you right now" in draft.text


@pytest.mark.parametrize(
    ("thread", "query", "answer"),
    [
        pytest.param(
            (
                (AuthorRole.CUSTOMER, "How do I download all our data? We're moving projects to a new workspace."),
                (AuthorRole.AGENT, "Open Settings → Workspace → Export data, choose Full export, click Start export."),
            ),
            "Done, it says the export is running. When will I get it? It's quite a big workspace.",
            "usually within 30 minutes",
            id="export-started",
        ),
        pytest.param(
            (
                (AuthorRole.CUSTOMER, "Our card payment failed, the bank sent us a new card."),
                (AuthorRole.AGENT, "We retry the card after 3, 5 and 7 days. Please update it in Settings → Billing."),
            ),
            "We haven't got round to updating it yet. Today nobody can edit anything, only view. Is that related?",
            "read-only",
            id="card-not-updated",
        ),
    ],
)
def test_a_follow_up_gets_the_next_step_near_what_the_agent_said_not_the_article_s_opening(
    assistant: Assistant, thread: tuple[tuple[AuthorRole, str], ...], query: str, answer: str
) -> None:
    # The answer is the article's next step from what the agent said (tests/data's realistic check half has two
    # such follow-ups; these are tickets of their own).
    draft = _draft(assistant, query, thread)
    assert answer in draft.text, draft.text
