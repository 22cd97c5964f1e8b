"""Draft confidence: the probability that the agent sends the draft with at most light edits.

"Light" = a normalised edit distance of at most `assist.edits.LIGHT_EDIT` (0.2): a name, a date or a sentence
of one's own added to a ten-line reply stays under it, while replacing the answer (the failure that matters)
does not. Until a team has its own sends, the model is a logistic
regression over evidence about the *answer*, not only the article: how well the selected unit answers
the question (the selector's probability and its margin over other articles), the article's retrieval
score and whether the retrievers agree, how much of the question's key terms the answer covers, whether
the question's kind (how-to vs fact) matches the passage's, and how much of the question no article
mentions. It is fitted on the fit half of the labelled questions in tests/data, where "sent as is" is
approximated by "grounded in the gold article" (`python -m assist train confidence`). The figure shown maps the
model's through a Platt scaling fitted on the ticket-like fit lines alone (`shown`): the model is fitted on crisp
one-line questions too, and on tickets it read too low. Once the team has enough sends, `python -m assist train
confidence --from-db` fits that mapping on their real edit distances instead (assist/recalibration.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assist.drafting.answers import Linear, Selection
from assist.drafting.message_text import sentences
from assist.drafting.selection_features import ARTICLE_FEATURES, UNIT_FEATURES
from assist.recalibration import IDENTITY, Recalibration

COEFFICIENTS = Path(__file__).with_name("confidence.json")
NO_EVIDENCE = 0.02
FEATURES = (
    "article_probability",
    "article_margin",
    "answer_probability",
    "similarity",
    "question_similarity",
    "key_term_coverage",
    "exact_phrase",
    "article_score",
    "article_dense_score",
    "best_similarity",
    "article_coverage",
    "title_similarity",
    "uncovered_share",
    "asks_whether_possible",
    "key_words",
    "reader",
    "reader_margin",
    "follow_up",
    "tried",
    "buried",
)
# "Can I…", "Does Lumen…", "Is there…": questions about whether something exists, the kind a help center
# most often leaves unanswered (an undocumented feature has no article saying it is missing). Read per sentence:
# on a ticket the question often follows what the customer uses ("We're on Microsoft 365. Is there…"). It also
# matches requests ("Can you resend it?"); fired on about half unanswerable lines of the labelled tickets against a
# quarter overall, and the models weigh it with everything else.
_WHETHER = re.compile(r"^\W*(can|could|does|do|is|are|will)\b(\s+\w+){0,2}\s+(i|we|you|lumen|there|it|my|our)\b", re.I)


def features(selection: Selection, thread: ThreadSignals | None = None) -> list[float] | None:
    best = selection.best
    if best is None:
        return None
    signals = thread or ThreadSignals()
    asked = selection.question.key_words
    f = dict(zip(UNIT_FEATURES, best.features, strict=True))
    a = dict(zip(ARTICLE_FEATURES, best.article_features, strict=True))
    return [
        best.article_probability,
        best.article_probability - selection.runner_up_elsewhere(),
        best.probability,
        f["similarity"],
        f["question_similarity"],
        f["key_term_coverage"],
        f["exact_phrase"],
        a["article_score"],
        a["article_dense_score"],
        a["best_similarity"],
        a["article_coverage"],
        a["title_similarity"],
        len(selection.uncovered) / len(asked) if asked else 1.0,
        1.0 if any(_WHETHER.search(s) for s in sentences(selection.question.text)) else 0.0,
        float(len(asked)),
        f["reader"],
        a["reader_margin"],
        float(signals.follow_up),
        float(signals.tried),
        float(signals.buried),
    ]


@dataclass(frozen=True)
class ThreadSignals:
    """What the thread says about how hard the question is to answer from one passage."""

    follow_up: bool = False  # the customer answers an agent: the answer is rarely the first one
    tried: bool = False  # they already tried something: the answer is the next step
    buried: bool = False  # the question sits inside a long message


@dataclass(frozen=True)
class ConfidenceModel:
    model: Linear
    threshold: float  # below it the draft abstains (no answer is offered)
    likely_sent_margin: float = 0.0  # the stated unit's margin from which the badge may say "likely sent" (policy)
    shown: Recalibration = IDENTITY  # the model's figure to the one shown, until a team fits its own (docstring)

    @classmethod
    def load(cls, path: Path = COEFFICIENTS) -> ConfidenceModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = tuple(float(data["weights"].get(f, 0.0)) for f in FEATURES)
        shown = data["shown"]
        return cls(
            model=Linear(weights, float(data["bias"])),
            threshold=float(data["abstain_below"]),
            likely_sent_margin=float(data["likely_sent_margin"]),
            shown=Recalibration(slope=float(shown["slope"]), intercept=float(shown["intercept"])),
        )

    def probability(self, evidence: Sequence[float] | None) -> float:
        """P(sent with at most light edits) from a draft's `features`; NO_EVIDENCE when nothing was retrieved."""
        return NO_EVIDENCE if evidence is None else round(self.model.probability(evidence), 4)


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], *, bins: int = 10) -> float:
    """Weighted mean gap between confidence and accuracy over equal-width confidence bins."""
    total = len(confidences)
    if not total:
        return 0.0
    error = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [i for i, c in enumerate(confidences) if low <= c < high or (b == bins - 1 and c == 1.0)]
        if members:
            accuracy = sum(correct[i] for i in members) / len(members)
            mean_conf = sum(confidences[i] for i in members) / len(members)
            error += len(members) / total * abs(accuracy - mean_conf)
    return round(error, 4)
