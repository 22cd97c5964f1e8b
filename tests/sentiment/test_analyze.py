"""Levels and frustration from given probabilities (the model itself is tested in test_model.py)."""

from __future__ import annotations

import numpy as np
import pytest

from assist.domain import ContactHistory, SentimentLevel, Signal
from assist.sentiment.analyze import analyze

NEGATIVE = np.array([0.85, 0.1, 0.05], dtype=np.float32)
MILD = np.array([0.35, 0.55, 0.10], dtype=np.float32)
NEUTRAL = np.array([0.1, 0.8, 0.1], dtype=np.float32)
POSITIVE = np.array([0.02, 0.13, 0.85], dtype=np.float32)


def test_score_is_positive_minus_negative() -> None:
    result = analyze(POSITIVE, text="Thanks, that worked!", model="m")
    assert result.score == pytest.approx(0.83)
    assert result.level is SentimentLevel.POSITIVE
    assert result.probabilities == {"negative": 0.02, "neutral": 0.13, "positive": 0.85}


@pytest.mark.parametrize(
    ("probs", "text", "level"),
    [
        (NEUTRAL, "Where do I find my API key?", SentimentLevel.NEUTRAL),
        (NEUTRAL, "I'm not angry, just asking.", SentimentLevel.NEUTRAL),
        (MILD, "This is taking longer than I hoped.", SentimentLevel.NEUTRAL),
        (NEGATIVE, "This is taking longer than I hoped.", SentimentLevel.FRUSTRATED),
        # Time the problem cost them is a signal of its own (issue 35: #288 read 5 % frustrated), however mild the
        # reading; it read neutral before.
        (MILD, "This has cost me a morning already.", SentimentLevel.FRUSTRATED),
        (NEGATIVE, "THIS IS UNACCEPTABLE, fix it!!", SentimentLevel.ANGRY),
        (NEGATIVE, "Our whole team is blocked, we need this fixed immediately.", SentimentLevel.URGENT),
        (NEUTRAL, "Not urgent at all, whenever you can.", SentimentLevel.NEUTRAL),
    ],
)
def test_levels(probs: np.ndarray, text: str, level: SentimentLevel) -> None:
    assert analyze(probs, text=text, model="m").level is level


def test_a_polite_question_read_likelier_neutral_is_not_positive() -> None:
    # The demo's charity question as the support-calibrated model reads it: almost nothing negative, so positive
    # minus negative passes 0.4, yet neutral is the likelier tone. Glad when positive is the likelier one.
    text = "We're a registered charity. Do you offer any discount? Could you point me in the right direction?"
    polite = analyze(np.array([0.042, 0.509, 0.449], dtype=np.float32), text=text, model="m")
    assert polite.score > 0.4 and polite.level is SentimentLevel.NEUTRAL
    glad = analyze(np.array([0.042, 0.449, 0.509], dtype=np.float32), text="Thanks, that sorted it.", model="m")
    assert glad.level is SentimentLevel.POSITIVE


def test_polite_fourth_contact_is_more_frustrated_than_first_time_capitals() -> None:
    polite = analyze(
        MILD,
        text="Hello again, could you please check on my refund?",
        history=ContactHistory(earlier_contacts_same_issue=3),
        model="m",
    )
    shouting = analyze(NEGATIVE, text="WHERE IS MY REFUND!!", history=ContactHistory(), model="m")
    assert polite.frustration > shouting.frustration
    assert Signal.REPEAT_CONTACT in polite.signals


def test_frustration_grows_with_each_piece_of_evidence() -> None:
    calm = analyze(NEUTRAL, text="Hi, quick question.", model="m").frustration
    waiting = analyze(NEUTRAL, text="Hi, quick question.", history=ContactHistory(hours_waiting=40), model="m")
    threat = analyze(
        NEUTRAL, text="Hi, quick question. I'll sue you.", history=ContactHistory(hours_waiting=40), model="m"
    )
    assert 0 <= calm < waiting.frustration < threat.frustration <= 1


def test_a_lawyer_asked_about_in_a_question_is_a_threat_only_when_the_message_reads_fed_up() -> None:
    """Issue 32: "Who can our lawyer talk to if she has more privacy questions?" (demo #205) went to a manager as a
    legal threat and got the legal holding reply; the threats that name a lawyer read fed up."""
    calm = np.array([0.1, 0.85, 0.05, 0.1, 0.02], dtype=np.float32)
    fed_up = np.array([0.95, 0.03, 0.02, 0.9, 0.97], dtype=np.float32)
    question = "Done. Who can our lawyer talk to if she has more privacy questions?"
    assert Signal.LEGAL_THREAT not in analyze(calm, text=question, model="m").signals
    threat = analyze(fed_up, text="If this isn't refunded by Friday, who do I send my lawyer to?", model="m")
    assert Signal.LEGAL_THREAT in threat.signals and threat.evidence["legal_threat"] == "lawyer"
    # A formal threat is often calm: named in a statement, a lawyer counts however the message reads.
    assert Signal.LEGAL_THREAT in analyze(calm, text="My lawyer will be in touch.", model="m").signals
    # Legal action itself is a threat however calmly it is put.
    assert Signal.LEGAL_THREAT in analyze(calm, text="We are considering legal action.", model="m").signals
    # A model without a frustration reading: fed up is sharply negative.
    tone_only = np.array([0.9, 0.05, 0.05], dtype=np.float32)
    assert Signal.LEGAL_THREAT in analyze(tone_only, text="Who should my lawyer call?", model="m").signals


def test_a_lawyer_who_asks_is_a_threat_only_when_the_message_reads_fed_up() -> None:
    """Issue 32 (realistic ticket): "our lawyer wants to know when the data actually disappears" went to a manager as
    a legal threat: a question put as a statement (no question mark) counted as one."""
    calm = np.array([0.1, 0.85, 0.05, 0.1, 0.02], dtype=np.float32)
    fed_up = np.array([0.95, 0.03, 0.02, 0.9, 0.97], dtype=np.float32)
    for asking in (
        "ok thanks. our lawyer wants to know when the data actually disappears, incl. your backups",
        "Our solicitor has asked us whether the DPA covers your subprocessors.",
    ):
        assert Signal.LEGAL_THREAT not in analyze(calm, text=asking, model="m").signals, asking
        assert Signal.LEGAL_THREAT in analyze(fed_up, text=asking, model="m").signals, asking
    for threat in (
        "I have instructed my solicitor.",
        "My lawyer wants this resolved by Friday.",
        "My lawyer would like to see you in court.",
        # One mention asks, the other threatens: the threat counts however calmly it is put.
        "Our lawyer wants to know why. If this is not refunded by Friday our lawyer will be in touch.",
    ):
        assert Signal.LEGAL_THREAT in analyze(calm, text=threat, model="m").signals, threat


CALM_COMPLAINT = np.array([0.2, 0.7, 0.1, 0.9], dtype=np.float32)
CALM_QUESTION = np.array([0.1, 0.8, 0.1, 0.05], dtype=np.float32)


def test_a_calm_complaint_raises_frustration_but_does_not_make_the_customer_frustrated() -> None:
    question = analyze(CALM_QUESTION, text="What are your support hours?", model="m")
    complaint = analyze(CALM_COMPLAINT, text="My order never arrived.", model="m")
    assert complaint.complaint == pytest.approx(0.9) and question.complaint == pytest.approx(0.05)
    assert complaint.frustration > question.frustration + 0.2
    assert complaint.level is SentimentLevel.NEUTRAL
    waiting = analyze(
        CALM_COMPLAINT, text="My order never arrived.", history=ContactHistory(hours_waiting=30), model="m"
    )
    assert waiting.level is SentimentLevel.FRUSTRATED  # the same report, left unanswered for a day


def test_a_tone_only_model_adds_no_complaint_evidence() -> None:
    assert analyze(NEGATIVE, text="meh", model="m").complaint == 0.0


def test_a_thread_turning_negative_is_a_signal_with_its_numbers() -> None:
    earlier = [np.array([0.05, 0.9, 0.05, 0.3]), np.array([0.3, 0.6, 0.1, 0.6])]
    now = np.array([0.85, 0.1, 0.05, 0.9], dtype=np.float32)
    result = analyze(now, text="Still broken.", model="m", earlier=earlier)
    assert Signal.WORSENING in result.signals
    assert result.evidence["worsening"] == "negative 5% → 85% over 3 messages"
    alone = analyze(now, text="Still broken.", model="m")
    assert Signal.WORSENING not in alone.signals and alone.frustration < result.frustration
    steady = analyze(now, text="Still broken.", model="m", earlier=[np.array([0.8, 0.1, 0.1, 0.9])])
    assert Signal.WORSENING not in steady.signals  # negative from the start: not getting worse


def test_messages_without_a_reply_are_chasing() -> None:
    two = analyze(NEUTRAL, text="Any news?", history=ContactHistory(unanswered_messages=2), model="m")
    three = analyze(NEUTRAL, text="Any news?", history=ContactHistory(unanswered_messages=3), model="m")
    assert Signal.CHASING not in two.signals
    assert Signal.CHASING in three.signals and three.evidence["chasing"] == "3 messages since our last reply"


def test_dissatisfaction_is_either_reading() -> None:
    from assist.sentiment.analyze import dissatisfaction

    assert dissatisfaction(CALM_COMPLAINT) == pytest.approx(1 - 0.8 * 0.1)
    assert dissatisfaction(NEGATIVE) == pytest.approx(0.85)  # tone only


# Rows from the shipped network: tone, complaint and its own frustration reading.
POLITE_COMPLAINT = np.array([0.8, 0.15, 0.05, 0.9, 0.1], dtype=np.float32)
SARCASTIC_THANKS = np.array([0.2, 0.1, 0.7, 0.6, 0.9], dtype=np.float32)


def test_the_models_frustration_reading_replaces_the_guess_from_tone() -> None:
    polite = analyze(POLITE_COMPLAINT, text="I'm afraid the invoice is wrong again, could you check?", model="m")
    sarcastic = analyze(SARCASTIC_THANKS, text="Thanks for the hold music, truly.", model="m")
    assert polite.tone == "negative" and polite.level is SentimentLevel.NEUTRAL and polite.frustration < 0.5
    assert sarcastic.tone == "positive" and sarcastic.level is SentimentLevel.FRUSTRATED
    assert sarcastic.frustration == pytest.approx(0.9)


def test_angry_needs_the_message_itself_to_read_fed_up() -> None:
    polite_fourth = analyze(
        POLITE_COMPLAINT,
        text="Hello again, could you please check on my refund?",
        history=ContactHistory(earlier_contacts_same_issue=3, hours_waiting=48),
        model="m",
    )
    heated = analyze(SARCASTIC_THANKS, text="I will take this to my lawyer.", model="m")
    assert polite_fourth.frustration >= 0.85 and polite_fourth.level is SentimentLevel.FRUSTRATED
    assert heated.level is SentimentLevel.ANGRY


def test_a_sure_fed_up_reading_without_heat_is_frustrated_not_angry() -> None:
    # Sarcasm, or a cold "this is unacceptable": sharply negative and read fed up at 0.98, but nothing heated.
    cold = np.array([0.9, 0.05, 0.05, 0.8, 0.98], dtype=np.float32)
    result = analyze(cold, text="Oh wonderful, the report is empty again. This is unacceptable.", model="m")
    assert result.frustration >= 0.95 and result.level is SentimentLevel.FRUSTRATED
    exclaimed = analyze(cold, text="The report is empty again. This is unacceptable!!", model="m")
    assert exclaimed.level is SentimentLevel.ANGRY  # "!!" is heated


def test_a_model_without_a_frustration_reading_falls_back_to_tone_and_complaint() -> None:
    unknown = np.array([0.85, 0.1, 0.05, 0.0, np.nan], dtype=np.float32)
    assert analyze(unknown, text="meh", model="m").frustration == pytest.approx(
        analyze(NEGATIVE, text="meh", model="m").frustration
    )


def test_a_tone_only_model_still_marks_a_clearly_negative_message_frustrated() -> None:
    """Second read: without a frustration head the guess from tone tops out at 0.6, so P(negative) 0.7 fell to
    neutral with no priority points; it is frustrated, as before the head existed."""
    from assist.priority import priority

    row = np.array([0.7, 0.25, 0.05], dtype=np.float32)
    result = analyze(row, text="This has cost me a morning already.", model="m")
    assert result.level is SentimentLevel.FRUSTRATED and result.message_frustration == pytest.approx(0.7)
    assert priority(result, ContactHistory()) == 5
