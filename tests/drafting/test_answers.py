"""Answer selection's features: what kind of answer a unit gives against what the question asks, and where an
article sends the reader."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from assist.drafting.answers import (
    READ_NEXT,
    READ_PER_ARTICLE,
    AnswerSelector,
    ArticleText,
    Question,
    Selection,
    passage,
)
from assist.drafting.selection_features import ARTICLE_FEATURES, UNIT_FEATURES, cross_references
from assist.embeddings import Embedder
from tests.factories import hit, selection_over, shipped_article


def _unit_features(
    embedder: Embedder, question: str, article_id: str, *, agent_said: tuple[str, ...] = ()
) -> dict[str, dict[str, float]]:
    """{unit text: {feature: value}} for every unit of one article."""
    selection = selection_over(embedder, question, (article_id, 0.6), agent_said=agent_said)
    return {c.unit.text: dict(zip(UNIT_FEATURES, c.features, strict=True)) for c in selection.candidates}


@pytest.mark.model
def test_a_sentence_that_says_where_to_click_gets_the_how_to_credit_and_a_step_keeps_its_own(
    embedder: Embedder,
) -> None:
    # #278: the sentence naming Settings → Members → Change role is an instruction; the roles list's "Admin: …" line,
    # which repeats the customer's words, is not.
    units = _unit_features(embedder, "How do I give my colleague admin rights?", "team-members")
    change_role = next(f for text, f in units.items() if "Change role" in text)
    admin_line = next(f for text, f in units.items() if text.startswith("Admin:"))
    invite_step = next(f for text, f in units.items() if text.startswith("1. Open Settings → Members"))
    assert change_role["how_to_path"] == 1.0
    assert admin_line["how_to_path"] == 0.0
    assert invite_step["how_to_path"] == 0.0 and invite_step["how_to_step"] == 1.0  # a step counts once, as a step
    # A question that asks no procedure gives no unit this credit.
    facts = _unit_features(embedder, "Who is allowed to change another owner's role?", "team-members")
    assert all(f["how_to_path"] == 0.0 for f in facts.values())


@pytest.mark.model
def test_a_question_asking_when_or_how_much_credits_the_unit_that_gives_a_duration_or_an_amount(
    embedder: Embedder,
) -> None:
    when = _unit_features(embedder, "How long until my card refund shows up?", "refund-policy")
    card = next(f for text, f in when.items() if text.startswith("Card refunds take"))
    assert card["when_duration"] == 1.0 and card["how_much_amount"] == 0.0
    cost = _unit_features(embedder, "How much is the early termination fee?", "refund-policy")
    annual = next(f for text, f in cost.items() if "10% early-termination fee" in text)
    assert annual["how_much_amount"] == 1.0 and annual["when_duration"] == 0.0
    # A question that asks neither credits no unit for it.
    how = _unit_features(embedder, "Where do I request a refund?", "refund-policy")
    assert all(f["when_duration"] == 0.0 and f["how_much_amount"] == 0.0 for f in how.values())


def _article_features(embedder: Embedder, question: str, *articles: tuple[str, float]) -> dict[str, dict[str, float]]:
    """{article id: {feature: value}} for each candidate article."""
    selection = selection_over(embedder, question, *articles)
    return {c.article_id: dict(zip(ARTICLE_FEATURES, c.article_features, strict=True)) for c in selection.candidates}


@pytest.mark.model
def test_an_article_whose_best_unit_says_see_another_candidate_is_marked_and_so_is_the_one_it_names(
    embedder: Embedder,
) -> None:
    # #318: the API errors table's 429 row answers "Wait for Retry-After (see "API rate limits")": the full answer
    # (backoff, webhooks, bulk endpoints) is in the article it names.
    both = (("api-errors", 0.55), ("rate-limits", 0.42))
    rows = _article_features(embedder, "We get hundreds of 429 errors from the API. What is going on?", *both)
    assert rows["api-errors"]["refers_on"] == 1.0 and rows["api-errors"]["referred_to"] == 0.0
    assert rows["rate-limits"]["referred_to"] == 1.0 and rows["rate-limits"]["refers_on"] == 0.0  # one way only
    # The best unit decides: the 409 row names no other article, so nothing is sent on.
    conflict = _article_features(embedder, 'Our update fails with 409 "conflict". Why?', *both)
    assert all(f["refers_on"] == 0.0 and f["referred_to"] == 0.0 for f in conflict.values())
    # An article the best unit names but retrieval did not bring is no candidate to send the credit to.
    alone = _article_features(embedder, "We get hundreds of 429 errors from the API. What is going on?", both[0])
    assert alone["api-errors"]["refers_on"] == 0.0


@pytest.mark.model
def test_how_close_each_unit_comes_to_what_the_agent_already_said_is_measured(embedder: Embedder) -> None:
    # The duplicate-charge follow-up: the agent said the refund was sent. "Approved refunds are sent the same day"
    # says that again in other words; when it arrives is new.
    said = ("Good news: your refund for the duplicate charge is confirmed and was sent today.",)
    question = "Thanks. I still don't see it on my statement, when will it arrive?"
    units = _unit_features(embedder, question, "refund-policy", agent_said=said)
    sent = next(f for text, f in units.items() if text.startswith("Approved refunds are sent"))
    card = next(f for text, f in units.items() if text.startswith("Card refunds take"))
    assert sent["said_similarity"] > card["said_similarity"] > 0.0
    assert not any("Duplicate charges" in text for text in units)  # the promise itself is not offered again
    # Nothing said yet: nothing to repeat.
    fresh = _unit_features(embedder, question, "refund-policy")
    assert all(f["said_similarity"] == 0.0 for f in fresh.values())


def test_a_cross_reference_names_a_candidate_by_its_title_whatever_the_case_or_a_closing_parenthesis() -> None:
    titles = {
        "login": "Can't sign in",
        "2fa": "Set up and recover two-factor authentication (2FA)",
        "limits": "API rate limits",
        "export": "Export your data",
    }
    best_units = {
        "login": '5. 2FA code rejected? Use a recovery code (see "Set up and recover two-factor authentication"), or '
        'see "api rate limits".',
        "export": 'Exports are listed here (see "Export your data").',  # itself: no reference
        "limits": 'You will see "Too many requests" in the response.',  # quoted text that is no title
    }
    assert cross_references(titles, best_units) == {"login": {"2fa", "limits"}}


class _RecordingReader:
    """Scores every passage 1.0 and remembers what it was asked to read."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def scores(self, question: str, passages: Sequence[str]) -> npt.NDArray[np.float32]:
        self.read.extend(passages)
        return np.ones(len(passages), dtype=np.float32)


def _selected(
    embedder: Embedder, scores: dict[str, float], *, lead: str | None = None
) -> tuple[Selection, _RecordingReader, dict[str, ArticleText]]:
    """A refund question selected over these shipped articles, retrieved in this order with these scores."""
    question = "How long until my card refund shows up?"
    texts = {a: shipped_article(a) for a in scores}
    hits = [hit(a, title=texts[a].title, score=score) for a, score in scores.items()]
    vector = embedder.encode_one(question)
    reader = _RecordingReader()
    selection = AnswerSelector(embedder, reader).select(Question(question, vector, vector), hits, texts, lead=lead)
    return selection, reader, texts


@pytest.mark.model
def test_the_answer_reader_reads_the_unit_the_selection_states_wherever_retrieval_put_its_article(
    embedder: Embedder,
) -> None:
    """Defect: the reader read the first candidates in retrieval's order, so an article the selection preferred from
    further down went unread, and the confidence and the reuse model took a made-up floor score for the answer it
    states (the demo's terse 429 repeat: -4.9 unread, 0.48 read)."""
    scores = {"team-members": 0.2, "password-reset": 0.2, "data-export": 0.2, "webhooks": 0.2, "refund-policy": 0.9}
    selection, reader, texts = _selected(embedder, scores)  # retrieval's best article last

    best = selection.best
    assert best is not None and best.article_id == "refund-policy"
    assert passage(texts["refund-policy"], best.unit) in reader.read
    assert dict(zip(UNIT_FEATURES, best.features, strict=True))["reader"] == 1.0  # read, not the unread floor
    assert len(reader.read) <= sum(READ_PER_ARTICLE) + READ_NEXT  # still one small batch


@pytest.mark.model
def test_an_article_the_agent_chose_is_read_first_however_unlikely(embedder: Embedder) -> None:
    """Regenerate reads its figure on a selection led by the article the agent chose; from the fourth likeliest on,
    that article went unread and its unit took the unread floor."""
    scores = {"refund-policy": 0.9, "password-reset": 0.8, "data-export": 0.7, "webhooks": 0.6, "team-members": 0.5}
    selection, reader, texts = _selected(embedder, scores, lead="team-members")

    chosen = next(c for c in selection.candidates if c.article_id == "team-members")  # its best unit
    assert passage(texts["team-members"], chosen.unit) in reader.read
    assert dict(zip(UNIT_FEATURES, chosen.features, strict=True))["reader"] == 1.0
    assert selection.best is not None and selection.best.article_id == "refund-policy"  # reading is not choosing
