"""The features answer selection scores (assist/drafting/answers.py): of a candidate article, and of each unit of
it against what the question asks. Each feature vector is built here, in the order its name tuple gives; the
weights are fitted by `python -m assist train confidence`."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from assist.domain import Hit
from assist.drafting.units import Unit, UnitKind

if TYPE_CHECKING:  # answers.py builds selections from this module; the type only is needed here
    from assist.drafting.answers import Question

ARTICLE_FEATURES = (
    "article_score",
    "article_dense_score",
    "best_similarity",
    "best_question_similarity",
    "article_coverage",
    "best_unit_coverage",
    "title_similarity",
    "exact_phrase",
    "best_reader",
    "reader_margin",
    "referred_to",
    "refers_on",
)
UNIT_FEATURES = (
    "similarity",
    "question_similarity",
    "key_term_coverage",
    "unit_precision",
    "exact_phrase",
    "is_step",
    "is_row",
    "how_to_step",
    "how_to_path",
    "how_to_fact",
    "when_duration",
    "how_much_amount",
    "reader",
    "tried_similarity",
    "said_similarity",
)
_U = {name: i for i, name in enumerate(UNIT_FEATURES)}
UNREAD_GAP = 2.0  # a unit the answer reader did not read scores this far below the article's lowest read unit

# The kind of answer a passage gives, for the kind a question wants (`Question.asks_when`, `asks_amount`): a
# duration, an amount.
_DURATION = re.compile(r"\b\d+([–-]\d+)?\s*(business |working )?(minutes?|hours?|days?|weeks?|months?|years?)\b", re.I)
_AMOUNT = re.compile(r"[$€£]\s?\d|\d+\s?%")
# A place to click ("Settings → Members", "Approvals → ⋯ → Unlock", the browser's "F12 → Console"): a sentence that
# says where to click is a procedure in one line, and answers "how do I…" as a numbered step does.
_APP_PATH = re.compile(r"\S\s*→\s*\S")
# A cross-reference to another article by its title, as the articles write it: (see "Export your data").
_SEE = re.compile(r'\bsee "([^"]{3,120})"', re.I)
_CLOSING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class Pool:
    """A candidate article's units the agent has not already said, and how each relates to the question."""

    hit: Hit
    units: list[Unit]
    keep: list[int]  # indexes of `units` still on offer
    to_question: npt.NDArray[np.float32]  # cosine of each unit to the question read in its thread
    to_context: npt.NDArray[np.float32]  # to the ticket as retrieval saw it
    to_words: npt.NDArray[np.float32]  # to the newest words alone
    to_tried: npt.NDArray[np.float32]  # to what the customer says they already tried (highest)
    to_said: npt.NDArray[np.float32]  # to the sentences the agent already wrote in this thread (highest; 0 if none)
    title: npt.NDArray[np.float32]  # the article title's vector


@dataclass(frozen=True)
class Cues:
    """What the question asks for, read once per selection: its key words (with their weight among the
    candidates), quoted text and codes, and the kind of answer it wants."""

    asked: set[str]
    idf: dict[str, float]
    phrases: tuple[str, ...]
    how_to: bool
    asks_when: bool
    asks_amount: bool

    @classmethod
    def of(cls, question: Question, idf: dict[str, float]) -> Cues:
        """`idf`: the weight of each word among the candidates' units (`word_weights`)."""
        return cls(
            question.key_words,
            idf,
            question.exact_phrases,
            question.how_to,
            question.asks_when,
            question.asks_amount,
        )


def unit_features(pool: Pool, cues: Cues, read: dict[int, float]) -> list[tuple[float, ...]]:
    """`UNIT_FEATURES` of each unit on offer in one article; `read`: the reader's logits of the units it read."""
    floor = (min(read.values()) if read else 0.0) - UNREAD_GAP
    rows: list[tuple[float, ...]] = []
    for i in pool.keep:
        unit = pool.units[i]
        words = unit.terms
        text = unit.embed_text.lower()
        rows.append(
            (
                # Within an article, the newest words decide which unit answers; the thread already chose the
                # article. For a one-message ticket the two coincide.
                float(pool.to_words[i]),
                float(pool.to_question[i]),
                coverage(cues.asked, words, cues.idf),
                len(cues.asked & words) / max(len(words), 1),
                1.0 if any(p in text for p in cues.phrases) else 0.0,
                1.0 if unit.kind is UnitKind.STEP else 0.0,
                1.0 if unit.kind is UnitKind.ROW else 0.0,
                1.0 if cues.how_to and unit.kind is UnitKind.STEP else 0.0,
                1.0 if cues.how_to and unit.kind is UnitKind.SENTENCE and _APP_PATH.search(unit.text) else 0.0,
                1.0 if not cues.how_to and unit.kind is not UnitKind.STEP else 0.0,
                1.0 if cues.asks_when and _DURATION.search(unit.text) else 0.0,
                1.0 if cues.asks_amount and _AMOUNT.search(unit.text) else 0.0,
                read.get(i, floor),
                float(pool.to_tried[i]),
                # How close the unit comes to what the agent already wrote in this thread (units at
                # answers.ALREADY_SAID or closer are not offered at all). Fitted, it counts for the unit: on the
                # fit halves' follow-ups the answer sits near what the agent said (the same subject, one step on)
                # more often than elsewhere in the article.
                float(pool.to_said[i]),
            )
        )
    return rows


def cross_references(titles: dict[str, str], best_units: dict[str, str]) -> dict[str, set[str]]:
    """{article: the other candidate articles its best unit sends the reader to}: a unit that answers with `see
    "API rate limits"` says where the full answer is (the API errors table's 429 row, the sign-in checklist's
    steps). A title matches without its case and without a closing "(…)" ("… two-factor authentication (2FA)")."""
    by_title = {_bare_title(title): article_id for article_id, title in titles.items()}
    out: dict[str, set[str]] = {}
    for article_id, text in best_units.items():
        cited = {by_title.get(_bare_title(name)) for name in _SEE.findall(text)}
        targets = {a for a in cited if a is not None and a != article_id}
        if targets:
            out[article_id] = targets
    return out


def _bare_title(title: str) -> str:
    return _CLOSING_PARENTHESIS.sub("", title).strip().casefold()


def article_features(
    pool: Pool,
    rows: list[tuple[float, ...]],
    cues: Cues,
    question_vector: npt.NDArray[np.float32],
    best_read: dict[str, float],
    sends_to: dict[str, set[str]],
) -> tuple[float, ...]:
    """`ARTICLE_FEATURES` of one candidate article, from its units' features (`rows`), the reader's best score of
    every candidate (`best_read`) and the cross-references of every candidate's best unit (`sends_to`)."""
    h, keep = pool.hit, pool.keep
    best = [max(column) for column in zip(*rows, strict=True)]
    # The article must fit both what the newest words ask and what the thread is about.
    fits = max((float(pool.to_question[i]) + float(pool.to_context[i])) / 2 for i in keep)
    mine = best_read.get(h.article_id, 0.0)
    others = [v for a, v in best_read.items() if a != h.article_id]
    return (
        h.score,
        h.dense_score,
        fits,
        best[_U["question_similarity"]],
        coverage(cues.asked, frozenset().union(*(pool.units[i].terms for i in pool.keep)), cues.idf),
        best[_U["key_term_coverage"]],
        float(pool.title @ question_vector),
        best[_U["exact_phrase"]],
        mine,
        mine - max(others) if others else 0.0,
        1.0 if any(h.article_id in targets for targets in sends_to.values()) else 0.0,
        1.0 if h.article_id in sends_to else 0.0,
    )


def word_weights(docs: Sequence[AbstractSet[str]]) -> dict[str, float]:
    n = len(docs)
    counts: dict[str, int] = {}
    for doc in docs:
        for w in doc:
            counts[w] = counts.get(w, 0) + 1
    return {w: math.log(1 + n / c) for w, c in counts.items()}


def coverage(asked: AbstractSet[str], unit_words: AbstractSet[str], idf: dict[str, float]) -> float:
    """Share of the question's key terms (rarer among the candidates = more weight) the unit mentions."""
    if not asked:
        return 0.0
    unseen = math.log(1 + len(idf) + 1)  # a word no candidate has is as rare as it gets
    total = sum(idf.get(w, unseen) for w in asked)
    return sum(idf.get(w, unseen) for w in asked & unit_words) / total
