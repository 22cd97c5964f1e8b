"""Answer selection: which sentences, steps and table rows of the retrieved articles answer the customer.

Two logistic models over measured features. The article model picks which of the top articles answers: its
retrieval scores, how well its best unit fits the question read in its thread and the newest words, how much of
the question's key terms it covers (weighted by how rare each word is among the candidates, so an error text such
as "Invalid date" counts more than "import"), its title, whether it contains text the customer quoted, and
whether another candidate's best unit sends the reader to it (`see "API rate limits"`) or its own best unit sends
the reader on. The unit model picks the unit within it: similarity to the newest words, key-term coverage, quoted
text, and the unit's kind against the question's kind (a procedure, or a sentence naming where in the app to
click, answers "how do I…"; a duration "how long…", an amount "how much…"). The weights are fitted on the fit half
of the labelled questions in tests/data (`python -m assist train confidence`); the same selection feeds the
offline draft, the LLM prompt and the confidence model. The features are built in selection_features.py.

Units the agent already said in this thread are never offered again; how close the others come to it is a unit
feature.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from assist.domain import Hit
from assist.drafting.selection_features import (
    ARTICLE_FEATURES,
    UNIT_FEATURES,
    Cues,
    Pool,
    article_features,
    cross_references,
    unit_features,
    word_weights,
)
from assist.drafting.units import Unit, content_words, split_units
from assist.embeddings import Embedder

WEIGHTS = Path(__file__).with_name("answers.json")
CANDIDATE_ARTICLES = 5
# A unit this similar to a sentence the agent already wrote repeats it (gold answers in the fit threads: <= 0.63).
ALREADY_SAID = 0.7
# The answer reader reads this many units of the three likeliest articles (by the selection without the reader, whose
# scores it gives no weight): each one's best unit, then the closest to the newest words by the sentence encoder, plus
# the sentence after the closest in the first two (the answer is often the sentence after the one that restates the
# problem): one batch of about 8 pairs. Its scores feed the confidence and the reuse model. Until 2026-12-07 it read
# (5, 4, 2, 1, 1) units of the five candidates in retrieval's order, and the unit a draft stated could go unread
# (scored as the floor, `selection_features.UNREAD_GAP`). Measured on every labelled set (docs/evaluation.md):
# grounding and answer recall the same or within a line, AUROC and ECE about the same; the pipeline's p95 fell from
# 265 ms to 171-204 ms.
READ_PER_ARTICLE = (3, 2, 1)
READ_NEXT = 2  # articles whose closest unit brings the unit after it
# Text the customer quotes ("Invalid date", 'Too many attempts'), and codes such as 409 or invoice.paid: the
# passage that contains the same words answers this customer, not the procedure around it. A code in the plural
# ("hundreds of 429s") is the code.
_QUOTED = re.compile(r"[\"'“‘]([^\"'”’]{3,80})[\"'”’]")
_CODE = re.compile(r"\b(\d{3}(?=s?\b)|[a-z]+[_.][a-z_.]+\b)")
# The kind of answer the question wants: "how do I" a procedure, "when / how long" a duration, "how much" an amount
# (selection_features weighs each against the kind a passage gives).
_HOW_TO = re.compile(
    r"\b(how (do|can|should|would|to)|where (do|can|should) (i|we)|what (do|should) (i|we) do|walk me through|"
    r"steps?\b|set (it )?up|setup|instructions?)\b",
    re.I,
)
_ASKS_WHEN = re.compile(r"\b(when|how long|how soon|how fast|how quickly|how often|how many (days|hours))\b", re.I)
_ASKS_AMOUNT = re.compile(r"\b(how much|cost|price|pricing|fee|charge[sd]?)\b", re.I)


class Reader(Protocol):
    """Scores how well each passage answers a question (assist/drafting/reader.py; a fake in unit tests)."""

    def scores(self, question: str, passages: Sequence[str]) -> npt.NDArray[np.float32]: ...


def passage(article: ArticleText, unit: Unit) -> str:
    """A unit as the reader reads it: under its article's title and its section heading."""
    heading = f"{unit.heading}: " if unit.heading and unit.heading != article.title else ""
    return f"{article.title}: {heading}{unit.text}"


@dataclass(frozen=True)
class ArticleText:
    article_id: str
    title: str
    body: str
    url: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A unit of a candidate article: how likely its article answers, and how well the unit does within it."""

    article_id: str
    index: int  # position of the unit in its article
    unit: Unit
    features: tuple[float, ...]  # UNIT_FEATURES
    probability: float  # that this unit is the answer, given its article
    article_features: tuple[float, ...]  # ARTICLE_FEATURES
    article_probability: float  # that its article holds the answer


@dataclass(frozen=True)
class Scored:
    """One candidate article's pool as the selector scored it: each kept unit's features and probability, and the
    article's."""

    unit_features: list[tuple[float, ...]]
    unit_probabilities: list[float]
    article_features: tuple[float, ...]
    article_probability: float


@dataclass(frozen=True)
class Question:
    """What the reply must answer (the customer's newest words), its context, and what the agent already said."""

    text: str
    vector: npt.NDArray[np.float32]  # the newest words, read after the agent's last reply when they are short
    context_vector: npt.NDArray[np.float32]  # the ticket as retrieval saw it
    agent_said: tuple[str, ...] = ()
    words_vector: npt.NDArray[np.float32] | None = None  # the newest words alone (default: `vector`)
    said_vectors: npt.NDArray[np.float32] | None = None  # of `agent_said`, when the caller embedded them already
    reading: str = ""  # what the answer reader reads as the question (default: `text`)
    tried_vectors: npt.NDArray[np.float32] | None = None  # what the customer already tried

    @property
    def newest_words_vector(self) -> npt.NDArray[np.float32]:
        """The newest words alone, or `vector` when the caller embedded no separate one."""
        return self.words_vector if self.words_vector is not None else self.vector

    @cached_property
    def key_words(self) -> set[str]:
        return content_words(self.text)

    @property
    def how_to(self) -> bool:
        return bool(_HOW_TO.search(self.text))

    @property
    def asks_when(self) -> bool:
        return bool(_ASKS_WHEN.search(self.text))

    @property
    def asks_amount(self) -> bool:
        return bool(_ASKS_AMOUNT.search(self.text))

    @property
    def exact_phrases(self) -> tuple[str, ...]:
        found = [m.group(1) for m in _QUOTED.finditer(self.text) if len(m.group(1).split()) <= 8]
        return tuple(p.lower() for p in [*found, *(m.group(1) for m in _CODE.finditer(self.text.lower()))])


@dataclass(frozen=True)
class Selection:
    """The ranked candidates of the top articles; `best` is the unit that answers the question."""

    question: Question
    candidates: tuple[Candidate, ...]  # best first
    articles: dict[str, ArticleText]
    hits: tuple[Hit, ...]
    uncovered: tuple[str, ...]  # key words of the question no candidate mentions

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def runner_up_elsewhere(self) -> float:
        """The probability of the next-best article (how contested the chosen article is)."""
        best = self.best
        if best is None:
            return 0.0
        return max((c.article_probability for c in self.candidates if c.article_id != best.article_id), default=0.0)

    def led_by(self, unit: Candidate) -> Selection:
        """The same candidates led by `unit`'s (article, unit): it is `best`, its article's other units follow, and
        the article preferred before competes with it as the runner-up."""
        same = [c for c in self.candidates if (c.article_id, c.index) == (unit.article_id, unit.index)]
        if not same:
            raise ValueError(f"unit {unit.index} of {unit.article_id!r} is not among the candidates")
        ordered = sorted(self.candidates, key=lambda c: (c is not same[0], c.article_id != unit.article_id))
        return replace(self, candidates=tuple(ordered))  # sorted is stable: otherwise each keeps its rank


@dataclass(frozen=True)
class Linear:
    weights: tuple[float, ...]
    bias: float

    def probability(self, x: Sequence[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class SelectorWeights:
    article: Linear
    unit: Linear

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> SelectorWeights:
        data = json.loads(path.read_text(encoding="utf-8"))

        def linear(part: dict[str, Any], names: tuple[str, ...]) -> Linear:
            return Linear(tuple(float(part["weights"].get(f, 0.0)) for f in names), float(part["bias"]))

        return cls(linear(data["article"], ARTICLE_FEATURES), linear(data["unit"], UNIT_FEATURES))


class AnswerSelector:
    def __init__(
        self, embedder: Embedder, reader: Reader | None = None, weights: SelectorWeights | None = None
    ) -> None:
        self.embedder = embedder
        self.reader = reader
        self.weights = weights or SelectorWeights.load()
        self._cache: OrderedDict[str, tuple[list[Unit], npt.NDArray[np.float32]]] = OrderedDict()
        self._titles: dict[str, npt.NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def select(
        self, question: Question, hits: Sequence[Hit], articles: dict[str, ArticleText], *, lead: str | None = None
    ) -> Selection:
        """The candidate units of the first `CANDIDATE_ARTICLES` hits, most likely first. `lead`: an article the
        reader reads first, however likely (the one an agent chose with Regenerate, whose figure reads its unit)."""
        top = [h for h in hits if h.article_id in articles][:CANDIDATE_ARTICLES]
        said = question.said_vectors if question.said_vectors is not None else self._vectors(question.agent_said)
        tried = question.tried_vectors if question.tried_vectors is not None else np.zeros((0, 384), np.float32)
        pools = []
        for h in top:
            article = articles[h.article_id]
            units, vectors = self.units(article)
            if not units:
                continue
            repeated = (vectors @ said.T).max(axis=1) if len(said) else np.zeros(len(units), np.float32)
            keep = [i for i in range(len(units)) if repeated[i] < ALREADY_SAID]
            if keep:
                pools.append(
                    Pool(
                        h,
                        units,
                        keep,
                        to_question=vectors @ question.vector,
                        to_context=vectors @ question.context_vector,
                        to_words=vectors @ question.newest_words_vector,
                        to_tried=(vectors @ tried.T).max(axis=1) if len(tried) else np.zeros(len(units), np.float32),
                        to_said=repeated,
                        title=self._title(article),
                    )
                )
        unit_words = [p.units[i].terms for p in pools for i in p.keep]
        cues = Cues.of(question, word_weights(unit_words))
        # The reader reads the units the selection would choose without it (the shipped unit and article models
        # give its scores no weight: `train confidence`), so the article and unit a draft states are always read.
        scored = self._scored(question, articles, pools, cues, {})
        read = self._read(question, articles, pools, scored, lead)
        if read:
            scored = self._scored(question, articles, pools, cues, read)
        candidates = []
        for pool, pooled in zip(pools, scored, strict=True):
            for i, x, p in zip(pool.keep, pooled.unit_features, pooled.unit_probabilities, strict=True):
                candidates.append(
                    Candidate(
                        pool.hit.article_id, i, pool.units[i], x, p, pooled.article_features, pooled.article_probability
                    )
                )
        candidates.sort(key=lambda c: (-c.article_probability, -c.probability))
        known = set().union(*unit_words)
        uncovered = tuple(sorted(w for w in cues.asked - known if len(w) > 2))
        return Selection(question, tuple(candidates), articles, tuple(hits), uncovered)

    def _scored(
        self,
        question: Question,
        articles: dict[str, ArticleText],
        pools: Sequence[Pool],
        cues: Cues,
        read: dict[str, dict[int, float]],
    ) -> list[Scored]:
        """Each pool scored, given the reader's logits `read` ({article: {unit index: logit}}; empty: nothing read
        yet)."""
        best_read = {a: max(scores.values()) for a, scores in read.items() if scores}
        unit_x = [unit_features(p, cues, read.get(p.hit.article_id, {})) for p in pools]
        unit_p = [[self.weights.unit.probability(x) for x in rows] for rows in unit_x]
        # Where a candidate article's best unit (by the unit model) sends the reader to another candidate, the full
        # answer is there.
        sends_to = cross_references(
            {p.hit.article_id: articles[p.hit.article_id].title for p in pools},
            {p.hit.article_id: p.units[p.keep[int(np.argmax(ps))]].text for p, ps in zip(pools, unit_p, strict=True)},
        )
        out = []
        for pool, rows, ps in zip(pools, unit_x, unit_p, strict=True):
            article_x = article_features(pool, rows, cues, question.vector, best_read, sends_to)
            out.append(Scored(rows, ps, article_x, self.weights.article.probability(article_x)))
        return out

    def _read(
        self,
        question: Question,
        articles: dict[str, ArticleText],
        pools: Sequence[Pool],
        scored: Sequence[Scored],
        lead: str | None = None,
    ) -> dict[str, dict[int, float]]:
        """The reader's score of the likeliest units of the likeliest articles (`scored`: the selection without the
        reader), in one batch: {article: {unit index: logit}}. Each article's best unit is read first, then the
        units closest to the newest words (`READ_PER_ARTICLE`)."""
        if self.reader is None:
            return {}
        ranked_pools = sorted(
            range(len(pools)), key=lambda n: (pools[n].hit.article_id != lead, -scored[n].article_probability)
        )[: len(READ_PER_ARTICLE)]
        pairs: list[tuple[str, int]] = []
        for rank, n in enumerate(ranked_pools):
            pool, ps = pools[n], scored[n].unit_probabilities
            units, keep = pool.units, pool.keep
            closest = sorted(keep, key=lambda i: -float(pool.to_words[i]))
            chosen = list(dict.fromkeys([keep[int(np.argmax(ps))], *closest]))[: READ_PER_ARTICLE[rank]]
            after = closest[0] + 1
            if rank < READ_NEXT and after in keep and units[after].heading == units[closest[0]].heading:
                chosen.append(after)
            pairs.extend((pool.hit.article_id, i) for i in dict.fromkeys(chosen))
        passages = [passage(articles[a], self.units(articles[a])[0][i]) for a, i in pairs]
        logits = self.reader.scores(question.reading or question.text, passages)
        out: dict[str, dict[int, float]] = {}
        for (article_id, i), value in zip(pairs, logits, strict=True):
            out.setdefault(article_id, {})[i] = float(value)
        return out

    def _title(self, article: ArticleText) -> npt.NDArray[np.float32]:
        key = "title\x00" + article.title
        with self._lock:
            if key in self._titles:
                return self._titles[key]
        vector = self.embedder.encode_one(article.title)
        with self._lock:
            self._titles[key] = vector
        return vector

    def units(self, article: ArticleText) -> tuple[list[Unit], npt.NDArray[np.float32]]:
        key = hashlib.sha256(article.body.encode()).hexdigest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        units = split_units(article.body)
        vectors = self._vectors([u.embed_text for u in units])
        with self._lock:
            self._cache[key] = (units, vectors)
            while len(self._cache) > 256:  # one entry per article version; plenty for a KB
                self._cache.popitem(last=False)
        return units, vectors

    def _vectors(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self.embedder.encode(list(texts)) if texts else np.zeros((0, 384), dtype=np.float32)
