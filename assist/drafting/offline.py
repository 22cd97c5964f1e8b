"""The offline grounded drafter: a reply built only from sentences of the best-matching article.

Greeting, empathy and closing lines are fixed templates that state no facts. Every body line is
copied from the article: the sentences most similar to the ticket (by sentence embeddings, each
with its section heading), kept in article order; a whole numbered procedure when one of its steps
is chosen; table rows read out as "label — column: value". When no article fits, the draft says
so and suggests escalation instead of guessing.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assist.domain import Draft, DraftMode, Hit, SentimentLevel
from assist.drafting.links import citation
from assist.embeddings import Embedder

MODEL_NAME = "offline-grounded"
MAX_PICKS = 3  # sentences or whole procedures
MAX_LINES = 10
RELATIVE_CUTOFF = 0.8  # keep sentences at least this similar, relative to the best one
_STEP = re.compile(r"^\s*(\d+)[.)]\s+")
_BULLET = re.compile(r"^\s*[-*]\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_ASKS_FOR_SECRET = re.compile(
    r"\b(send|share|tell|give|provide|enter|reply with)\b[^.]*\b(password|card number|security code|cvc|cvv)\b", re.I
)
_NEVER = re.compile(r"\b(never|not|don't|do not)\b", re.I)

EMPATHY = {
    SentimentLevel.ANGRY: "I'm sorry this has caused so much trouble; I understand why you're upset, "
    "and I want to get it fixed.",
    SentimentLevel.URGENT: "I understand this is blocking you right now, so here is the quickest way forward.",
    SentimentLevel.FRUSTRATED: "I'm sorry for the frustration this has caused.",
    SentimentLevel.NEUTRAL: "Thanks for reaching out.",
    SentimentLevel.POSITIVE: "Thanks for getting in touch.",
}


@dataclass(frozen=True)
class Unit:
    """A sentence, or a numbered step that belongs to procedure `group`, under `heading`."""

    text: str
    group: int | None
    heading: str = ""

    @property
    def embed_text(self) -> str:
        return f"{self.heading}: {self.text}" if self.heading else self.text


@dataclass(frozen=True)
class ArticleText:
    article_id: str
    title: str
    body: str
    url: str | None = None


def split_units(body: str) -> list[Unit]:
    """Sentences, numbered steps (grouped per procedure) and table rows (as "label — header: value; ...")."""
    units: list[Unit] = []
    group, in_steps = 0, False
    header: list[str] | None = None
    heading = ""
    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("|"):
            cells = [_clean(c) for c in line.strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue  # the |---|---| separator
            if header is None:
                header = cells
            elif len(cells) == len(header) and cells[0]:
                pairs = "; ".join(f"{h}: {c}" for h, c in zip(header[1:], cells[1:], strict=True) if c)
                units.append(Unit(f"{cells[0]} — {pairs}", None, heading))
            in_steps = False
            continue
        header = None
        if not line or line.startswith(("#", "---")):
            in_steps = False
            continue
        if _STEP.match(line):
            if not in_steps:
                group += 1
                in_steps = True
            units.append(Unit(_clean(line), group, heading))
            continue
        in_steps = False
        text = _clean(_BULLET.sub("", line))
        units.extend(Unit(s, None, heading) for s in _SENTENCE_END.split(text) if len(s.split()) >= 3)
    return [u for u in units if not (_ASKS_FOR_SECRET.search(u.text) and not _NEVER.search(u.text))]


def _clean(text: str) -> str:
    return re.sub(r"\*\*|__|`", "", text).strip()


class OfflineDrafter:
    def __init__(self, embedder: Embedder, *, min_article_score: float = 0.3) -> None:
        self.embedder = embedder
        self.min_article_score = min_article_score
        self._cache: OrderedDict[str, tuple[list[Unit], npt.NDArray[np.float32]]] = OrderedDict()
        self._lock = threading.Lock()

    def draft(
        self,
        *,
        customer_name: str,
        level: SentimentLevel,
        hits: Sequence[Hit],
        articles: dict[str, ArticleText],
        query_vector: npt.NDArray[np.float32],
        earlier_contacts: int,
        confidence: float,
    ) -> Draft:
        started = time.perf_counter()
        first = customer_name.split()[0] if customer_name.strip() else "there"
        opening = [f"Hi {first},", "", EMPATHY[level]]
        if earlier_contacts:
            opening.append("I can see you've contacted us about this before, so let's get it fully sorted this time.")
        best = hits[0] if hits and hits[0].article_id in articles and hits[0].score >= self.min_article_score else None
        if best is None:
            text = "\n".join(
                [
                    *opening,
                    "",
                    "I couldn't find an article in our help center that answers this, so I'm passing your "
                    "question to a specialist who will follow up with you.",
                    "",
                    "Best regards,",
                    "Lumen Support",
                ]
            )
            return Draft(
                text=text,
                confidence=min(confidence, 0.1),
                sources=(),
                mode=DraftMode.OFFLINE,
                model=MODEL_NAME,
                latency_ms=_ms(started),
                notes=("No knowledge-base article fits this ticket: consider escalating.",),
            )
        article = articles[best.article_id]
        body = self._extract(article, query_vector)
        text = "\n".join(
            [
                *opening,
                "",
                *body,
                "",
                citation(article.title, article.url),
                "Does this solve it for you, or is there anything else I can help with?",
                "",
                "Best regards,",
                "Lumen Support",
            ]
        )
        return Draft(
            text=text,
            confidence=confidence,
            sources=(article.article_id,),
            mode=DraftMode.OFFLINE,
            model=MODEL_NAME,
            latency_ms=_ms(started),
        )

    def _extract(self, article: ArticleText, query_vector: npt.NDArray[np.float32]) -> list[str]:
        units, vectors = self._units(article)
        if not units:
            return [article.title]
        similarity = vectors @ query_vector
        ranked = [i for i in np.argsort(-similarity) if similarity[i] >= similarity.max() * RELATIVE_CUTOFF]
        chosen: set[int] = set()
        picks, procedure = 0, False
        for i in ranked:
            if i in chosen:
                continue
            group = units[i].group
            if group is not None and procedure:
                continue  # one procedure per reply; more steps bury the answer
            new = {j for j, u in enumerate(units) if group is not None and u.group == group} or {i}
            if picks >= MAX_PICKS or len(chosen | new) > MAX_LINES:
                break
            chosen |= new
            picks += 1
            procedure = procedure or group is not None
        return [units[i].text for i in sorted(chosen)]

    def _units(self, article: ArticleText) -> tuple[list[Unit], npt.NDArray[np.float32]]:
        key = hashlib.sha256(article.body.encode()).hexdigest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        units = split_units(article.body)
        vectors = self.embedder.encode([u.embed_text for u in units]) if units else np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            self._cache[key] = (units, vectors)
            while len(self._cache) > 256:  # one entry per article version; plenty for a KB
                self._cache.popitem(last=False)
        return units, vectors


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
