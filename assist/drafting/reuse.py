"""A reply the team already sent, as a draft candidate that competes with the knowledge base's answer.

When an earlier ticket asked much the same and ended well (resolved, not reopened, no bad CSAT), the reply the
agent sent it is evidence of what answers this question, in the team's own words. `assist/similar.py` finds
that reply and removes everything of the other customer; this module decides whether the draft is built on it.

The decision is one logistic model over what predicts that the earlier reply answers this question too: how
alike the two questions are (the sentence encoder's cosine of the newest customer words of each), and whether
the reply cites the article the knowledge base's answer selection chose. Its probability is on the same scale
as the confidence model's (the chance that the draft goes out with at most light edits), so the two compete:
the draft is built on the past reply when it is the likelier to be right, and the badge shows that
probability. The weights are fitted on a history split of the labelled fit sets
(`python -m assist train reuse`, assist/drafting/reuse.json).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from assist.drafting.stance import CLOSER

WEIGHTS = Path(__file__).with_name("reuse.json")
PASSAGE_KEY = "past-reply:"  # how the LLM's passages name a past reply (article ids never hold a colon)
FEATURES = ("similarity", "cites_selected", "cites_none")
# A question this unlike the one the reply answered is not offered at all: on the fit split no earlier reply
# below it answered the newer question (docs/evaluation.md, "Past replies as drafts").
MIN_SIMILARITY = 0.6
_GREETING = re.compile(r"^\s*(hi|hello|hey|dear|good (morning|afternoon|evening))\b[^\n]{0,80}$", re.I)
_SIGN_OFF = re.compile(
    r"^\s*(best( regards| wishes)?|kind regards|regards|warm regards|many thanks|thanks( again)?|thank you|cheers|"
    r"all the best|sincerely)\s*[,.!]?\s*$",
    re.I,
)


@dataclass(frozen=True)
class PastReply:
    """The reply sent on an earlier ticket that asked much the same, fit to reuse (the other customer removed)."""

    ticket_id: int
    similarity: float  # cosine of the question it answered and this ticket's newest customer words
    text: str  # as sent, with the other customer's details replaced
    question: str = ""  # the customer words it answered, with the same removal (read by the models, never shown)
    article_titles: tuple[str, ...] = ()  # the help articles it cites, in order
    article_ids: tuple[str, ...] = ()  # the same, as article ids (those the knowledge base still holds)

    @property
    def body(self) -> list[str]:
        """Its paragraphs between the greeting and the sign-off, without "does this solve it?" (the plan
        closes the draft), blank lines between paragraphs kept."""
        lines = self.text.strip().splitlines()
        if lines and _GREETING.match(lines[0]):
            lines = lines[1:]
        end = next((n for n, line in enumerate(lines) if _SIGN_OFF.match(line)), len(lines))
        kept = [line.rstrip() for line in lines[:end] if line.strip() != CLOSER]
        while kept and not kept[0].strip():
            kept.pop(0)
        while kept and not kept[-1].strip():
            kept.pop()
        return kept


@dataclass(frozen=True)
class ReuseModel:
    """P(the past reply answers this question as it is), from `FEATURES`."""

    weights: tuple[float, ...]
    bias: float

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> ReuseModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path} was fitted on other features: retrain with `python -m assist train reuse`.")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]))

    def ceiling(self) -> float:
        """The highest probability any past reply can get: a draft whose confidence is at least this is kept
        without reading the index (the model is linear, so the highest lies at a corner of the features)."""
        corners = itertools.product((MIN_SIMILARITY, 1.0), (0.0, 1.0), (0.0, 1.0))
        return max(_sigmoid(self.bias + sum(w * x for w, x in zip(self.weights, c, strict=True))) for c in corners)

    def probability(self, past: PastReply, *, selected_title: str | None) -> float:
        if past.similarity < MIN_SIMILARITY:
            return 0.0
        values = features(past, selected_title)
        return _sigmoid(self.bias + sum(w * x for w, x in zip(self.weights, values, strict=True)))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def features(past: PastReply, selected_title: str | None) -> tuple[float, ...]:
    """`FEATURES` of one past reply against the article the knowledge base's selection chose (None: none)."""
    cites = {t.casefold() for t in past.article_titles}
    return (
        past.similarity,
        float(selected_title is not None and selected_title.casefold() in cites),
        float(not cites),
    )
