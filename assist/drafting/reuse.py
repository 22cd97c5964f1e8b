"""A reply the team already sent, as a draft candidate that competes with the knowledge base's answer.

When an earlier ticket asked much the same and ended well (resolved, not reopened, no bad CSAT), the reply that
closed it is evidence of what answers this question, in the team's own words. `assist/similar.py` finds that
reply and removes everything of the other customer; this module decides whether the draft is built on it.

Only a reply that stands on a help article is weighed (it links one, it went out from a draft that cited one
with light edits at most: `similar`, or it restates a sentence of one: `restated_article`): the model was fitted
on such replies, and a draft states its source.
The decision is one logistic model over what predicts that the earlier reply answers this question too: how
alike the two questions are (the sentence encoder's cosine of the newest customer words of each), whether the
reply cites the article the knowledge base's answer selection chose, and how well it answers the question as the
answer reader reads it (the cross-encoder that chooses the articles' passage, assist/drafting/reader.py), alone and
against the passage the articles offer. Its label is stricter than the confidence model's (the reply must hold the
gold answer, not only cite the gold article). `pipeline.weigh_past_reply` builds the draft on the reply only when
that probability is above the figure the articles' draft would show, so the draft an agent sees never shows less
than the one Regenerate gives instead. The weights are fitted on history splits of the labelled fit sets and the
repeats fit half (`python -m assist train reuse`, assist/drafting/reuse.json).

A question asked again in nearly the same words (`SAME_QUESTION`) is not left to that model, whose fit sets hold
no such pair: the draft is the team's reply, shown with the confidence that the article it stands on answers the
question. That holds also where the need model reads no article answering it (the team, answering the same
question from that article, said one does), as long as the reply says what the article says (`restated`): an
action taken for that customer is not an answer. A lead's call is never drafted from an earlier reply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from assist.drafting.answers import Candidate, Linear, Reader, Selection
from assist.drafting.links import SIGN_OFF
from assist.drafting.message_text import GREETING, sentences
from assist.drafting.selection_features import UNIT_FEATURES
from assist.drafting.stance import CLOSER
from assist.drafting.units import content_words

WEIGHTS = Path(__file__).with_name("reuse.json")
PASSAGE_KEY = "past-reply:"  # how the LLM's passages name a past reply (article ids never hold a colon)
FEATURES = ("similarity", "cites_selected", "reader", "reader_over_answer")
# A question this unlike the one the reply answered is not weighed at all: on the fit sets the closest earlier
# reply held the answer for 26 of 467 lines below it, 24 of 116 at or above (docs/evaluation.md).
MIN_SIMILARITY = 0.6
# From this cosine the earlier ticket asked the same question. On BANKING77 (10,003 questions of many customers,
# 77 intents) a question's nearest other question this alike has its intent 98 % of the time (2,772 questions;
# 0.90-0.95: 96.5 %, 0.80-0.85: 82 %): `python -m assist eval same-question --data
# ../shared/data/intent/banking77_train.csv`. The reuse model's fit sets hold no such pair (none of its 84
# examples reaches 0.9), so it cannot speak for them; the team's answer to the question asked again is the draft
# (`pipeline.weigh_past_reply`).
SAME_QUESTION = 0.95
# A reply that links no article stands on the candidate article one of whose units a sentence of it restates: that
# sentence holds at least this share of the unit's key words (the share `train reuse` reads as holding an answer),
# and the unit has at least `RESTATED_WORDS` of them (a shorter one says too little to tell an article by).
RESTATES = 0.6
RESTATED_WORDS = 4
# A link that carries a token or a query (a reset or sign-in link, a signed download) was that customer's alone,
# and the redaction cannot know it: a reply holding one is shown in the similar-tickets panel, never reused.
_PRIVATE_LINK = re.compile(r"https?://[^\s?]*(\?\S+|/(?=[A-Za-z_]*\d)(?=\d*[A-Za-z])[A-Za-z0-9_]{16,})")


@dataclass(frozen=True)
class PastReply:
    """The reply that closed an earlier ticket that asked much the same, with the other customer removed."""

    ticket_id: int
    similarity: float  # cosine of the question it answered and this ticket's newest customer words
    text: str  # as sent, with the other customer's details replaced
    article_titles: tuple[str, ...] = ()  # the help articles it cites, in order
    article_ids: tuple[str, ...] = ()  # the same, as article ids (those the knowledge base still holds)

    @property
    def body(self) -> list[str]:
        return reply_body(self.text)

    @property
    def passage(self) -> str:
        """The reply as the answer reader reads it: under the first article it cites, as a unit under its title."""
        text = " ".join(line.strip() for line in self.body if line.strip())
        return f"{self.article_titles[0]}: {text}" if self.article_titles else text

    @property
    def closing_question(self) -> list[str]:
        """The body's last paragraph when it is a question to the customer (the agent's own "anything else?", or
        what they need to know), else nothing: a draft built on the reply keeps it last and asks no second one."""
        body = self.body
        if not body or not body[-1].rstrip().endswith("?"):
            return []
        start = max((n for n, line in enumerate(body) if not line.strip()), default=-1) + 1
        return body[start:]

    @property
    def asked_again(self) -> bool:
        """The earlier ticket asked this very question (`SAME_QUESTION`), not a neighbouring one."""
        return self.similarity >= SAME_QUESTION

    @property
    def reusable(self) -> bool:
        """No link in it was that customer's alone (`_PRIVATE_LINK`)."""
        return _PRIVATE_LINK.search(self.text) is None


def reply_body(text: str) -> list[str]:
    """A reply's paragraphs between the greeting and the sign-off, without "does this solve it?" (the plan
    closes the draft), blank lines between paragraphs kept."""
    lines = GREETING.sub("", text.strip(), count=1).splitlines()
    end = next((n for n, line in enumerate(lines) if SIGN_OFF.match(line)), len(lines))
    kept = [line.rstrip() for line in lines[:end] if line.strip() != CLOSER]
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def restated_article(past: PastReply, selection: Selection) -> PastReply:
    """A reply that links no article, standing on the candidate article it restates (`RESTATES`): an agent who
    answers in the article's words without pasting its link still answered from it. Unchanged when it links one,
    or restates none of the articles the selection read."""
    if past.article_titles:
        return past
    best = restated(past, selection.candidates)
    if best is None:
        return past
    return replace(past, article_titles=(selection.articles[best].title,))


def restated(past: PastReply, candidates: Iterable[Candidate]) -> str | None:
    """The article of the candidate unit that a sentence of the reply restates most fully (`RESTATES`); None when
    it restates none: what it says is not what these articles say (an action taken, a question asked)."""
    said = [content_words(s) for line in past.body for s in sentences(line)]
    best, share = None, RESTATES
    for candidate in candidates:
        unit = content_words(candidate.unit.text)
        if len(unit) < RESTATED_WORDS:
            continue
        covered = max((len(unit & s) / len(unit) for s in said), default=0.0)
        if covered >= share:
            best, share = candidate.article_id, covered
    return best


@dataclass(frozen=True)
class ReplyReading:
    """The answer reader's logits against the customer's question: of the past reply, and of the unit the articles'
    selection chose (0 and 0 where there is no reader, as in unit tests that fake it away)."""

    reply: float = 0.0
    answer: float = 0.0


def read_reply(reader: Reader | None, selection: Selection, past: PastReply) -> ReplyReading:
    """How well the past reply answers the question, read as the articles' passages are read (one pair)."""
    best = selection.best
    if reader is None or best is None:
        return ReplyReading()
    question = selection.question
    logit = float(reader.scores(question.reading or question.text, [past.passage])[0])
    return ReplyReading(reply=logit, answer=dict(zip(UNIT_FEATURES, best.features, strict=True))["reader"])


@dataclass(frozen=True)
class ReuseModel:
    """P(the past reply answers this question as it is), from `FEATURES`."""

    model: Linear

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> ReuseModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path} was fitted on other features: retrain with `python -m assist train reuse`.")
        return cls(Linear(tuple(float(w) for w in data["weights"]), float(data["bias"])))

    @staticmethod
    def weighs(past: PastReply) -> bool:
        """Whether the reply is weighed at all: alike enough (`MIN_SIMILARITY`), citing a help article (the model
        was fitted on such replies alone, and a draft states its source), and no link in it was theirs."""
        return past.similarity >= MIN_SIMILARITY and bool(past.article_titles) and past.reusable

    def probability(self, past: PastReply, *, selected_title: str | None, reading: ReplyReading) -> float:
        if not self.weighs(past):
            return 0.0
        return self.model.probability(features(past, selected_title=selected_title, reading=reading))


def features(past: PastReply, *, selected_title: str | None, reading: ReplyReading) -> tuple[float, ...]:
    """`FEATURES` of one past reply against the article the knowledge base's selection chose (None: none) and the
    answer reader's reading of both."""
    cites = {t.casefold() for t in past.article_titles}
    return (
        past.similarity,
        float(selected_title is not None and selected_title.casefold() in cites),
        reading.reply,
        reading.reply - reading.answer,
    )
