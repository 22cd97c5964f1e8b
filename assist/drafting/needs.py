"""What the newest message needs from the reply, read from the message itself: an answer from the articles, a
clarifying question (too vague to act on), a hand-over because no article answers it, or a lead (an exception to a
policy, a decision tier 1 cannot make).

Lexical overlap cannot tell these apart: "can the 10 % fee be waived given the outage?" shares every word with
the refund policy that states the fee, and "do client logins count as seats?" with the article on seats. So a
multinomial logistic regression reads the sentence embedding of the customer's newest words (the packaged
MiniLM vector retrieval already computed) together with the confidence features (how well the best passage
covers the question). It is fitted on the fit halves' labelled stances (`python -m assist train confidence`,
assist/dev/training/confidence.py; labelled tickets written from the articles, tests/data/*_fit.jsonl) and
measured on the check halves (docs/evaluation.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assist.drafting.answers import Selection
from assist.drafting.confidence import FEATURES

COEFFICIENTS = Path(__file__).with_name("needs.json")


class Need(StrEnum):
    ANSWER = "answer"  # an article answers it
    CLARIFY = "clarify"  # too vague to act on: ask what is meant
    UNANSWERED = "unanswered"  # specific, but no article says it: hand it on, draft no answer
    LEAD = "lead"  # an article applies, but a lead must decide (an exception, a complaint about handling)

    @property
    def answerable(self) -> bool:
        return self in (Need.ANSWER, Need.LEAD)


@dataclass(frozen=True)
class NeedReading:
    need: Need
    probabilities: Mapping[Need, float]

    @property
    def answerable(self) -> bool:
        return self.need.answerable

    @property
    def vague(self) -> bool:
        """More likely a vague message than a specific one no article answers: ask rather than hand it on."""
        return self.probabilities.get(Need.CLARIFY, 0.0) > self.probabilities.get(Need.UNANSWERED, 0.0)


# A reading that leaves every decision to the confidence (tests of the rules that build Confidence by hand).
ANSWER_FIRST = NeedReading(Need.ANSWER, {Need.ANSWER: 1.0})


def need_features(selection: Selection, evidence: Sequence[float] | None, raw_confidence: float) -> list[float]:
    """The newest words' embedding, the confidence features (`confidence.features`) and the confidence itself."""
    known = list(evidence) if evidence is not None else [0.0] * len(FEATURES)
    return [*(float(v) for v in selection.question.newest_words_vector), *known, raw_confidence]


@dataclass(frozen=True)
class NeedModel:
    classes: tuple[Need, ...]
    weights: npt.NDArray[np.float64]  # classes x features
    bias: npt.NDArray[np.float64]
    decline_above: float  # P(clarify or unanswered) from which no answer is drafted (fitted with the model)

    @classmethod
    def load(cls, path: Path = COEFFICIENTS) -> NeedModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = cls(
            classes=tuple(Need(c) for c in data["classes"]),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=np.asarray(data["bias"], dtype=np.float64),
            decline_above=float(data["decline_above"]),
        )
        if model.weights.shape[0] != len(model.classes) or model.bias.shape != (len(model.classes),):
            raise ValueError(f"{path}: one row of weights and one bias per class expected; retrain it.")
        return model

    def probabilities(self, x: Sequence[float]) -> dict[Need, float]:
        z = self.weights @ np.asarray(x, dtype=np.float64) + self.bias
        p = np.exp(z - z.max())
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}

    def read(self, selection: Selection, evidence: Sequence[float] | None, raw_confidence: float) -> NeedReading:
        p = self.probabilities(need_features(selection, evidence, raw_confidence))
        declined = sum(v for need, v in p.items() if not need.answerable) >= self.decline_above
        need = max([n for n in p if n.answerable != declined] or list(p), key=p.__getitem__)
        return NeedReading(need, {n: round(v, 4) for n, v in p.items()})
