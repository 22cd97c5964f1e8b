"""The thread, read once: what the reply must answer and what the thread already holds (no models)."""

from __future__ import annotations

from assist.csat import with_survey_link
from assist.domain import Owner
from assist.drafting.message_text import content, without_signature
from assist.drafting.thread import QUESTION_WORDS, deadline_in
from tests.factories import reading

SIGNED = """Hi team,

I hope you are well. Since Monday our exports fail with "Invalid date in row 14". How do I fix this?

Thanks in advance,
Maria Lopez
Operations Manager | Acme Ltd
+44 20 7946 0000
Sent from my iPhone"""


def test_the_question_is_the_message_without_greeting_pleasantries_and_signature() -> None:
    asked = reading(SIGNED).asked
    assert asked == 'Since Monday our exports fail with "Invalid date in row 14". How do I fix this?'


def test_quoted_earlier_mail_is_not_part_of_the_question() -> None:
    body = "Still broken, what now?\n\nOn Mon, 2 Nov 2026 at 09:00, Lumen Support <help@lumen.app> wrote:\n> Try again"
    assert content(body) == "Still broken, what now?"


def test_a_whole_sentence_of_thanks_is_kept_only_a_sign_off_line_is_cut() -> None:
    assert content("Thanks for the quick fix, the export works again and the team is happy.").startswith("Thanks for")
    assert content("Where is the Unlock option?\nThanks!") == "Where is the Unlock option?"


def test_what_the_signals_read_loses_the_signature_and_quoted_mail_but_no_sentence() -> None:
    """Issue 32: the signals read a law firm's signature ("Oyelaran & Co Solicitors") as a legal threat. They read
    the message without its signature block, a "-- " signature, disclaimers or quoted mail; unlike `content`, the
    greeting, the pleasantries and any sentence under a sign-off line stay (a second read found `content` dropping
    "Hi I was charged twice" and "Thanks for nothing.\nI'm contacting my lawyer." whole)."""
    signed = "Best,\nRachel Oyelaran\nPractice Manager, Oyelaran & Co Solicitors\n020 7946 0555"
    disclaimer = "This email is confidential and may be subject to legal privilege."
    assert (
        without_signature(f"Hi,\n\nWhat does Lumen read?\n\n{signed}\n{disclaimer}")
        == "Hi,\n\nWhat does Lumen read?\n\nBest,"
    )
    assert without_signature(f"Thanks!\n\n{signed[6:]}") == "Thanks!"
    assert without_signature("Where is it?\n--\nJo Bell\nBell Solicitors") == "Where is it?"
    assert without_signature("Is this you?\n\n> On Monday you wrote:\n> we will sue") == "Is this you?"
    for kept in (
        "Hi I was charged twice, please refund",
        "I hope you realise I am taking this to small claims.",
        "Thanks for nothing.\nI'm contacting my lawyer.",
        "Regards,\nJo\nPS: we will cancel our subscription",
    ):
        assert without_signature(kept) == kept


def test_a_question_buried_in_a_long_message_is_what_the_reader_reads() -> None:
    story = "We run a team of twelve designers and have used the product for two years without any trouble. " * 4
    body = f"{story}Last week approvals started acting up. Where is the Unlock option for an approved week? Thanks."
    thread = reading(body)
    assert len(thread.asked.split()) > QUESTION_WORDS and thread.buried
    assert thread.question == "Last week approvals started acting up. Where is the Unlock option for an approved week?"


def test_a_short_follow_up_is_read_with_the_first_question_in_front() -> None:
    thread = reading(
        messages=[
            ("customer", "I asked for a refund of invoice INV-2041 last week."),
            ("agent", "Hi Dana,\n\nYour refund was approved on Monday.\n\nBest,\nPriya"),
            ("customer", "Great, when will it show up?"),
        ]
    )
    assert thread.follow_up and thread.asked == "Great, when will it show up?"
    assert thread.question.startswith("I asked for a refund") and thread.question.endswith("when will it show up?")
    assert "Your refund was approved on Monday." in thread.context


def test_what_the_customer_already_tried_and_what_the_agent_promised_are_found() -> None:
    thread = reading(
        messages=[
            ("customer", "The reset email never arrives. I already checked spam and tried another browser."),
            ("agent", "Hi Dana,\n\nThanks. I'll look at the mail logs and get back to you today.\n\nBest,\nPriya"),
            ("customer", "Any news?"),
        ]
    )
    assert thread.tried == ("I already checked spam and tried another browser.",)
    assert thread.promised == ("I'll look at the mail logs and get back to you today.",)


def test_a_ticket_waiting_for_the_customer_is_read_as_the_team_s_last_reply_found_it() -> None:
    """Defect (issue 32, the demo's LUM-10280 and 13 more tickets awaiting the customer): where the team replied
    last, the reading took the customer to be answering that reply and the reply as already said. A problem
    reported amid praise got "Thank you, that's great to hear! I'll mark this as solved", and a question the team
    had answered got "Thanks for getting back to me" and another sentence of the article."""
    report = "After syncing I have every entry from Monday twice. The team really likes the new timesheet view."
    fix = "Duplicates appear when the same entries were changed on two devices while one was offline."
    thread = reading(
        messages=[
            ("customer", report),
            ("agent", f"Hi Chloe,\n\n{fix} I'll check back with you on Friday.\n\nBest,\nMaya"),
        ]
    )
    assert thread.asked == report and not thread.follow_up
    assert not any(fix in s for s in thread.agent_said)
    assert thread.promised == ("I'll check back with you on Friday.",)  # a promise still stands for the handoff

    second = reading(
        messages=[
            ("customer", "Time I logged on my phone never showed up on the web."),
            ("agent", "Hi Elena,\n\nPlease check that the app is up to date.\n\nBest,\nSam"),
            ("customer", "It is up to date and still nothing."),
            ("agent", "Hi Elena,\n\nPlease sign out of the app and back in.\n\nBest,\nSam"),
        ]
    )
    assert second.asked == "It is up to date and still nothing." and second.follow_up
    assert "Please check that the app is up to date." in second.agent_said
    assert "Please sign out of the app and back in." not in second.agent_said


def test_the_survey_link_of_a_resolving_reply_is_not_read_as_what_the_agent_said() -> None:
    """The thread keeps a resolving reply as sent, link included; the link says nothing about the problem."""
    sent = with_survey_link("Fixed, sorry for the wait.", "http://localhost:8501/survey?t=abc.def")
    assert content(sent) == "Fixed, sorry for the wait."
    thread = reading(messages=[("customer", "My export is stuck."), ("agent", sent), ("customer", "Still stuck")])
    assert not any("survey" in s or "Rate this reply" in s for s in thread.agent_said)


def test_a_deadline_the_customer_stated_is_read_with_how_soon_it_is() -> None:
    hour = deadline_in("Please, I need this within the hour, payroll closes")
    assert hour is not None and hour.text == "within the hour" and hour.hours == 1.0
    today = deadline_in("can you sort it out by end of day?")
    assert today is not None and today.hours == 8.0
    assert deadline_in("How do I export invoices?") is None


def test_the_owner_is_the_ticket_s_and_a_thanks_only_message_asks_nothing() -> None:
    assert reading("Where is my refund?", owner=Owner.RETURNED).owner is Owner.RETURNED
    assert not reading("That worked, thank you so much!").asks
    assert reading("Why does the reset email not arrive?").asks


def test_a_request_passed_on_from_someone_else_asks_something() -> None:
    """The demo's LUM-10137: "Legal also wants the list" asked for nothing, so the draft thanked the customer
    and said "I'll mark this as solved"."""
    assert reading("Signed, thanks. Legal also wants the list of your sub-processors.").asks
    assert reading("Our accountant needs a copy of every invoice from 2025.").asks
    assert not reading("That did it, all sorted on our side now. Thanks!").asks
