"""The shipped model on messages as the demo's customers write them: the misreads a new user saw, each pinned.

Tone is what the badge shows; frustration (the model's reading with the message's signals) is what the inbox
and the escalation policy read. The texts are the demo's own wording (assist/demo/voices.py and its topics).
"""

from __future__ import annotations

import pytest

from assist.domain import ContactHistory, Sentiment, SentimentLevel, Signal
from assist.sentiment import SentimentModel, analyze

pytestmark = pytest.mark.model

SYNC_429 = "Our nightly sync gets hundreds of 429 rate_limited errors since we added more clients."


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel()


def read(model: SentimentModel, text: str, history: ContactHistory | None = None) -> Sentiment:
    return analyze(model.predict_one(text), text=text, history=history, model=model.name)


LOST_TIME = "{problem} I've already lost a lot of time on this and I'd really appreciate a proper answer."


PROBLEMS = [SYNC_429, "After syncing I have every entry from Monday twice."]  # the second is demo #288's


@pytest.mark.parametrize("problem", PROBLEMS)
def test_losing_a_lot_of_time_reads_negative(model: SentimentModel, problem: str) -> None:
    # Read as positive +0.44 before: "appreciate a proper answer" outweighed the complaint.
    result = read(model, LOST_TIME.format(problem=problem))
    assert result.tone == "negative" and result.score < 0


@pytest.mark.parametrize("problem", PROBLEMS)
def test_losing_a_lot_of_time_reads_frustrated(model: SentimentModel, problem: str) -> None:
    # After #288's duplicate entries the model alone reads 5 %: the time it cost them is a signal (LOST_TIME).
    result = read(model, LOST_TIME.format(problem=problem))
    assert result.level is SentimentLevel.FRUSTRATED and result.frustration >= 0.5


def test_a_formal_erasure_request_is_neutral(model: SentimentModel) -> None:
    result = read(model, "Under GDPR I'm asking you to delete all personal data you hold about me.")
    assert result.tone == "neutral" and result.level is SentimentLevel.NEUTRAL
    assert result.frustration < 0.5


CALM = (SentimentLevel.NEUTRAL, SentimentLevel.POSITIVE)


@pytest.mark.parametrize(
    "text",
    [
        f"Hi team, quick question. {SYNC_429}\n\nThank you!",
        f"Hello,\n\n{SYNC_429} Could you point me in the right direction?\n\nBest regards",  # read 61 % before
    ],
)
def test_a_calm_question_about_errors_is_not_frustrated(model: SentimentModel, text: str) -> None:
    result = read(model, text)  # showed 77 % frustration before
    assert result.frustration < 0.5 and result.level in CALM


def test_a_bit_lost_is_confusion_not_frustration(model: SentimentModel) -> None:
    result = read(
        model,
        "Hi,\n\nI'm a bit lost. Our HMAC of the webhook body never matches the v1 value in the Lumen-Signature "
        "header. I've read the help pages but I'm not sure which steps apply to me.",
    )
    assert result.frustration < 0.5 and result.level is SentimentLevel.NEUTRAL  # showed 63 % before


def test_a_legal_threat_shouted_is_angry(model: SentimentModel) -> None:
    result = read(
        model,
        "My card statement shows two charges of the same amount from Lumen on the same day. If this isn't "
        "resolved by Friday I will hand the matter to our lawyer. WHY is this so hard?? Fix it today.",
    )
    assert result.level is SentimentLevel.ANGRY and result.tone == "negative"  # was only "frustrated"


def test_a_lawyer_named_in_a_calm_question_is_no_legal_threat(model: SentimentModel) -> None:
    # Demo #205 went to a manager as "Legal threat" and got the legal holding reply instead of an answer.
    result = read(model, "Done. Who can our lawyer talk to if she has more privacy questions?")
    assert Signal.LEGAL_THREAT not in result.signals and result.level in CALM


def test_a_calm_formal_threat_naming_a_solicitor_is_still_a_legal_threat(model: SentimentModel) -> None:
    # Reads calm (frustration about 0.05): a statement naming a lawyer counts however it is put.
    result = read(model, "Please be advised that I have instructed my solicitor in this matter.")
    assert Signal.LEGAL_THREAT in result.signals


def test_a_polite_complaint_is_calm(model: SentimentModel) -> None:
    polite = read(
        model,
        "Hello, I think there's a mistake on our latest invoice: it lists the Pro plan but we moved to Team in "
        "May. Could you correct it when you have a moment? Thanks, Sam",
    )
    assert polite.frustration < 0.3 and polite.level in CALM


def test_sarcasm_is_frustrated(model: SentimentModel) -> None:
    # Read as praise (frustration 0.30) until the sarcasm and contrast messages of 2026-12-05.
    sarcastic = read(model, "Oh great, the export is empty again. Love that for us. Really loving this tool.")
    assert sarcastic.level is SentimentLevel.FRUSTRATED and sarcastic.tone == "negative"


def test_thanks_reads_positive_and_calm(model: SentimentModel) -> None:
    result = read(model, "Works now, thanks a lot for the quick help.")
    assert result.tone == "positive" and result.level is SentimentLevel.POSITIVE and result.frustration < 0.2
