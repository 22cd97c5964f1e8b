"""Articles cut into answer candidates: sentences, numbered steps (grouped per procedure) and table rows,
each under its section heading; plus the word-level helpers the selector and the evaluation share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from assist.stemming import STEMMER

_STEP = re.compile(r"^\s*(\d+)[.)]\s+")
_BULLET = re.compile(r"^\s*[-*]\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_ASKS_FOR_SECRET = re.compile(
    r"\b(send|share|tell|give|provide|enter|reply with)\b[^.]*\b(password|card number|security code|cvc|cvv)\b", re.I
)
_NEVER = re.compile(r"\b(never|not|don't|do not)\b", re.I)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# Function words carry no topic; they are left out of coverage and recall so that "the", "to" and "is"
# cannot make a wrong answer look covered. A closed grammatical class, not a list of product terms.
_FUNCTION_WORDS = (
    "a an the and or but if then so of to in on at by for from with without into onto about as is are was "
    "were be been being am do does did doing done have has had having i me my mine we us our ours you "
    "your yours he him his she her it its they them their this that these those there here what which who "
    "whom whose when where why how can could would should will shall may might must not no nor than too "
    "very just also any all some each every both either neither one ones s t don't doesn't didn't can't "
    "won't isn't aren't wasn't weren't it's i'm i've i'd we're we've you're they're let's please hi hello "
    "thanks thank up out off over again still yet now get got getting go going while because although though "
    "unless whether"
)
STOPWORDS = frozenset(_FUNCTION_WORDS.split())


class UnitKind(StrEnum):
    SENTENCE = "sentence"
    STEP = "step"
    ROW = "row"


@dataclass(frozen=True)
class Unit:
    """A sentence, a numbered step that belongs to procedure `group`, or a table row, under `heading`;
    `line` numbers the article's source line it came from (sentences of one paragraph or bullet share it)."""

    text: str
    group: int | None
    heading: str = ""
    kind: UnitKind = UnitKind.SENTENCE
    line: int = 0

    @property
    def embed_text(self) -> str:
        return f"{self.heading}: {self.text}" if self.heading else self.text

    @cached_property
    def terms(self) -> frozenset[str]:
        """`content_words` of `embed_text`, stemmed once per unit: units are cached per article version, and
        answer selection reads them for every candidate on every ticket."""
        return frozenset(content_words(self.embed_text))


def split_units(body: str) -> list[Unit]:
    """Sentences, numbered steps (grouped per procedure) and table rows (as "label — header: value; ...")."""
    units: list[Unit] = []
    group, in_steps = 0, False
    header: list[str] | None = None
    heading = ""
    for number, raw in enumerate(body.splitlines()):
        line = raw.strip()
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("|"):
            cells = [clean(c) for c in line.strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue  # the |---|---| separator
            if header is None:
                header = cells
            elif len(cells) == len(header) and cells[0]:
                pairs = "; ".join(f"{h}: {c}" for h, c in zip(header[1:], cells[1:], strict=True) if c)
                units.append(Unit(f"{cells[0]} — {pairs}", None, heading, UnitKind.ROW, number))
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
            units.append(Unit(clean(line), group, heading, UnitKind.STEP, number))
            continue
        in_steps = False
        text = clean(_BULLET.sub("", line))
        units.extend(Unit(s, None, heading, line=number) for s in _SENTENCE_END.split(text) if len(s.split()) >= 3)
    return [u for u in units if not (_ASKS_FOR_SECRET.search(u.text) and not _NEVER.search(u.text))]


def step_number(unit: Unit) -> int | None:
    """The article's number of a step ("3. Try a private window." -> 3); None for any other unit."""
    match = _STEP.match(unit.text) if unit.kind is UnitKind.STEP else None
    return int(match.group(1)) if match else None


def unnumbered(text: str) -> str:
    """A step's text without the article's number."""
    return _STEP.sub("", text, count=1)


def clean(text: str) -> str:
    return re.sub(r"\*\*|__|`", "", text).strip()


def words(text: str) -> list[str]:
    """Lower-cased word tokens (numbers and codes such as 409 or 2fa included)."""
    return _WORD.findall(text.lower().replace("’", "'"))


def content_words(text: str) -> set[str]:
    """The words that carry meaning, stemmed (Snowball, as the lexical retriever does) so that "arrives"
    covers "arrive" and "charges" covers "charge"."""
    kept = [w for w in words(text) if w not in STOPWORDS]
    return set(STEMMER.stemWords(kept))
