"""Key words: what coverage, answer selection and the draft evaluation compare."""

from __future__ import annotations

from assist.drafting.units import content_words
from assist.stemming import STEMMER


def test_a_word_and_its_inflections_are_one_key_word() -> None:
    # "when will it arrive?" must be covered by "When the money arrives"; the old suffix stripper kept
    # "arrive" but cut "arrives" to "arriv", so the refund article looked unrelated to the question.
    assert content_words("when will it arrive?") <= content_words("When the money arrives")
    assert content_words("charge invoice") == content_words("charges invoices charged")


def test_function_words_are_not_key_words() -> None:
    assert content_words("the and is to of") == set()
    assert content_words("Refund the duplicate charge") == content_words("refund duplicate charge")


def test_subordinating_conjunctions_are_not_key_words() -> None:
    # Issue 32, #278: "No article answers this about “colleague, while, give”" named a conjunction as the topic.
    assert content_words("while I'm on leave, because she manages it, unless or whether") == {
        STEMMER.stemWord(w) for w in ("leave", "manages")
    }
