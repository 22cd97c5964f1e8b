"""What a reply states from the chosen article: the best unit and the units that belong with it (its paragraph,
its procedure when the customer asks how, close neighbours that score nearly as well). The offline drafter writes
them out, the LLM drafter is given them, and the confidence policy reads how clearly the best one stands out
from the units of its article left unstated.
"""

from __future__ import annotations

from assist.drafting.answers import Candidate, Selection
from assist.drafting.units import UnitKind

MAX_LINES = 8
EXTRA_UNITS = 2
EXTRA_RELATIVE = 0.8  # a neighbour joins the answer when it scores at least this share of the best
NEIGHBOURHOOD = 2  # units apart, within the same section


def answer_units(selection: Selection) -> list[Candidate]:
    """The units the reply states, in article order: the best unit; its whole procedure when the customer asks
    how to do something; otherwise the sentences next to it in its paragraph, and up to two neighbours in its
    section that score nearly as well."""
    best = selection.best
    if best is None:
        return []
    same = [c for c in selection.candidates if c.article_id == best.article_id]
    chosen = {best.index: best}
    if best.unit.kind is UnitKind.STEP and selection.question.how_to:
        chosen |= {c.index: c for c in same if c.unit.group == best.unit.group}
    elif best.unit.text.endswith(":"):  # a lead-in ("If you lost access to the mailbox:") needs what it introduces
        following = [c for c in same if c.index > best.index and c.unit.group is not None]
        group = min(following, key=lambda c: c.index).unit.group if following else None
        chosen |= {c.index: c for c in following if c.unit.group == group}
    else:
        # The sentences either side of it in the same paragraph or bullet: an article's author writes a point
        # as one paragraph ("Authenticator codes depend on the clock. Turn on automatic date and time…"),
        # and a lone sentence of it often states the cause without the fix (issue 15, measured in
        # docs/evaluation.md).
        chosen |= {c.index: c for c in same if same_paragraph(c, best)}
        near = [
            c
            for c in same
            if c.index != best.index
            and c.unit.heading == best.unit.heading
            and abs(c.index - best.index) <= NEIGHBOURHOOD
            and c.probability >= best.probability * EXTRA_RELATIVE
            and (c.unit.kind is not UnitKind.STEP or c.unit.group == best.unit.group)
        ]
        chosen |= {c.index: c for c in near[:EXTRA_UNITS]}
        chosen |= _steps_between(chosen, same)
    return [chosen[i] for i in sorted(chosen)][:MAX_LINES]


def _steps_between(chosen: dict[int, Candidate], same: list[Candidate]) -> dict[int, Candidate]:
    """The steps of a procedure between two chosen steps of it: steps 1 and 3 without 2 read as a broken list
    ("1.", then "3.") and skip what the customer must do in between."""
    filled: dict[int, Candidate] = {}
    for group in {c.unit.group for c in chosen.values() if c.unit.kind is UnitKind.STEP}:
        at = [i for i, c in chosen.items() if c.unit.kind is UnitKind.STEP and c.unit.group == group]
        filled |= {
            c.index: c
            for c in same
            if c.unit.kind is UnitKind.STEP and c.unit.group == group and min(at) < c.index < max(at)
        }
    return filled


def same_paragraph(a: Candidate, b: Candidate) -> bool:
    """Adjacent sentences of one article paragraph or bullet (of the same article)."""
    return (
        a.article_id == b.article_id
        and abs(a.index - b.index) == 1
        and a.unit.line == b.unit.line
        and a.unit.kind is UnitKind.SENTENCE
        and b.unit.kind is UnitKind.SENTENCE
    )


def stated_margin(selection: Selection) -> float | None:
    """How far the best unit's probability stands above the likeliest unit of its article that the reply leaves
    unstated; None when there is no answer, or when the reply states every unit the article offers (no other
    sentence of it could be the answer). Among drafts the confidence badges "likely sent as is", a thin margin
    marks the ones that quote the wrong sentence of the right article (docs/evaluation.md, "Drafts on real
    tickets")."""
    best = selection.best
    if best is None:
        return None
    stated = {c.index for c in answer_units(selection)}
    unstated = [
        c.probability for c in selection.candidates if c.article_id == best.article_id and c.index not in stated
    ]
    return best.probability - max(unstated) if unstated else None
