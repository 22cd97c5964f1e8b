"""Fit answer selection and draft confidence on the fit half of the labelled questions (tests/data).

Six fits, in order, each on the product's own pipeline output (a ticket per line, as in `eval drafts`):
1. the answer selector: which unit answers (a unit of the gold article that shares most of its key words
   with the gold answer is a positive);
2. the confidence model: the draft is grounded in the gold article (unanswerable lines never are);
3. the need model (assist/drafting/needs.py): answer, clarify, hand over or a lead's call, from the newest
   words' embedding and the confidence features, on the lines labelled with a stance;
4. the abstention thresholds: the need model's decline probability and the confidence below which no answer is
   offered, chosen together on out-of-fold figures to make the most drafts right (a grounded answer offered, or
   none where none exists);
5. the figure shown: a Platt scaling of the model's, fitted on the out-of-fold figures of the ticket-like lines
   that are offered an answer (the model is fitted on crisp one-line questions too, and reads tickets too low);
6. the badge's margin: how clearly the stated unit must stand out from the rest of its article for "likely sent
   as is" (assist/drafting/policy.py), the smallest that makes badged drafts hold the answer as often as it says.
The check half is never read here; `python -m assist eval drafts` measures on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assist.dev.evaluation.drafts import (
    LabelledDraft,
    answer_recall,
    holds_answer,
    load_labelled,
    open_ticket_for,
    temporary_assistant,
)
from assist.drafting.answers import WEIGHTS, Candidate, Linear, Reader, Selection, SelectorWeights
from assist.drafting.confidence import COEFFICIENTS, FEATURES, expected_calibration_error, features
from assist.drafting.links import citation
from assist.drafting.needs import COEFFICIENTS as NEEDS
from assist.drafting.needs import Need, need_features
from assist.drafting.policy import LIKELY_SENT
from assist.drafting.selection_features import ARTICLE_FEATURES, UNIT_FEATURES
from assist.drafting.stated import answer_units, stated_margin
from assist.drafting.units import content_words
from assist.errors import ValidationError
from assist.pipeline import Evidence, gather_evidence
from assist.recalibration import platt
from assist.store.db import session_scope
from assist.store.tickets import ticket_detail

ROOT = Path(__file__).parents[3]
KB_DOCS = ROOT / "kb_docs"
DATA = ROOT / "tests" / "data"
# Fit halves: crisp one-line questions, and tickets as agents get them (threads, long messages, follow-ups).
# The reader's scores choose no article or sentence: measured on the realistic check half, selection with them
# put the right article first less often (grounded@1 0.725 against 0.800 without); they feed the confidence.
SELECTION_IGNORES = frozenset({"reader", "best_reader", "reader_margin"})
FIT = (DATA / "drafts_fit.jsonl", DATA / "drafts_real_fit.jsonl", DATA / "drafts_tickets_fit.jsonl")
# Answer selection is fitted on the first two only. Fitted on all 811 lines it chose the intro sentence over the
# steps on tickets the issue names (#309's auditors' export, "where do I create an API key?"), and grounded@1 fell
# on both check halves (realistic 0.792 -> 0.767, issue 15 0.798 -> 0.771), so the third set fits the confidence
# and the need model only.
SELECTION_FIT = FIT[:2]
# The figure shown and the badge promise what happens to a ticket's draft: both are fitted on the ticket-like files.
TICKET_FIT = FIT[1:]
MARGINS = tuple(round(0.05 * i, 2) for i in range(11))
GOLD_OVERLAP = 0.6
# The need model reads 384 embedding dimensions from 811 lines, so how hard it is held back decides what it learns
# (too little, and it learns the fit lines' wording: docs/evaluation.md); the trainer picks C from this grid by
# out-of-fold need accuracy (5 folds, 3 cuts).
NEED_CS = (0.003, 0.01, 0.03, 0.1, 0.3)
MIN_SCALE = 1e-6  # a spread below this is float noise (the features that vary spread 0.02 or more)


def is_gold_unit(candidate: Candidate, row: LabelledDraft) -> bool:
    if row.gold is None or row.answer is None or candidate.article_id != row.gold:
        return False
    unit, answer = content_words(candidate.unit.text), content_words(row.answer)
    return bool(unit) and len(unit & answer) / min(len(unit), len(answer)) >= GOLD_OVERLAP


def fit(
    *,
    queries: tuple[Path, ...] = FIT,
    selector_target: Path = WEIGHTS,
    target: Path = COEFFICIENTS,
    needs_target: Path = NEEDS,
    reader_for: Callable[[int], Reader] | None = None,
    selection_ignores: frozenset[str] = SELECTION_IGNORES,
    selection_from: tuple[Path, ...] | None = SELECTION_FIT,
    tickets_from: tuple[Path, ...] | None = TICKET_FIT,
) -> dict[str, Any]:
    """`reader_for(n)`: the answer reader that scores line n (cross-fitting: one that never trained on it);
    default the shipped one."""
    tagged = [(path, row) for path in queries for row in load_labelled(path)]
    rows = [row for _, row in tagged]
    chosen = None if selection_from is None else {p.resolve() for p in selection_from}
    selects = [chosen is None or path.resolve() in chosen for path, _ in tagged]  # fits answer selection
    if not any(selects):
        raise ValidationError("None of the labelled files fits answer selection: pass selection_from=None for all.")
    names = " + ".join(p.name for p in queries)
    selected = " + ".join(p.name for p in queries if chosen is None or p.resolve() in chosen)
    with temporary_assistant(KB_DOCS) as assistant:
        selector = assistant.selector
        shipped = selector.reader

        def use_reader(n: int) -> None:
            selector.reader = reader_for(n) if reader_for is not None else shipped

        evidence: list[Evidence] = []
        for n, row in enumerate(rows):
            use_reader(n)
            ticket_id = open_ticket_for(assistant, row, n)
            with session_scope(assistant.engine) as session:
                ticket = ticket_detail(session, ticket_id=ticket_id)
            evidence.append(gather_evidence(assistant, ticket))

        ax, ay, ux, uy = [], [], [], []
        for row, ev, used in zip(rows, evidence, selects, strict=True):
            if not used:
                continue
            seen: set[str] = set()
            for c in ev.selection.candidates:
                if c.article_id not in seen:  # one row per candidate article
                    seen.add(c.article_id)
                    ax.append(list(c.article_features))
                    ay.append(c.article_id == row.gold)
                if c.article_id == row.gold:  # the unit model ranks units within the right article
                    ux.append(list(c.features))
                    uy.append(is_gold_unit(c, row))
        ax = _without(ax, ARTICLE_FEATURES, selection_ignores)
        ux = _without(ux, UNIT_FEATURES, selection_ignores)
        weights = SelectorWeights(Linear(*linear(ax, ay, c=0.5)), Linear(*linear(ux, uy, c=0.5, balanced=True)))
        selector.weights = weights

        cx, cy, selections = [], [], []
        for n, (row, ev) in enumerate(zip(rows, evidence, strict=True)):
            use_reader(n)
            s = ev.selection
            selection = selector.select(s.question, list(s.hits), s.articles)
            selections.append(selection)
            x = features(selection, ev.thread.signals)
            cx.append(x if x is not None else [0.0] * len(FEATURES))
            cy.append(row.gold is not None and selection.best is not None and selection.best.article_id == row.gold)
        conf_weights, conf_bias = linear(cx, cy, c=0.5)
        # The threshold is chosen on out-of-fold confidences: in-sample ones are optimistic.
        held_out = out_of_fold(cx, cy, c=0.5)
        probabilities = [Linear(conf_weights, conf_bias).probability(x) for x in cx]
        margins = [stated_margin(s) for s in selections]
        answered = [states_answer(row, s) for row, s in zip(rows, selections, strict=True)]
        # The need model reads the confidence as a feature: the out-of-fold one, as it will be on new tickets.
        need_x = [
            need_features(sel, features(sel, ev.thread.signals), c)
            for sel, ev, c in zip(selections, evidence, held_out, strict=True)
        ]

    needs, needs_report, decline = fit_needs(rows, need_x)
    unanswerable = [r.gold is None for r in rows]
    needs["decline_above"], threshold = decline_cut(held_out, cy, unanswerable, decline)
    needs_target.write_text(json.dumps(needs, indent=1) + "\n", encoding="utf-8")
    needs_report["decline_above"] = needs["decline_above"]
    ticket_files = None if tickets_from is None else {p.resolve() for p in tickets_from}
    offered = [  # the ticket-like lines that are offered an answer, so show a figure
        (ticket_files is None or path.resolve() in ticket_files) and c >= threshold and d < needs["decline_above"]
        for (path, _), c, d in zip(tagged, held_out, decline, strict=True)
    ]
    tickets_out_of_fold = [(c, g) for c, g, o in zip(held_out, cy, offered, strict=True) if o]
    ticket_grounded = [g for _, g in tickets_out_of_fold]
    shown = platt([c for c, _ in tickets_out_of_fold], ticket_grounded)
    badged = [  # on out-of-fold figures, as new tickets will read (in-sample ones are optimistic)
        (1.0 if m is None else m, a)
        for c, m, a, o in zip(held_out, margins, answered, offered, strict=True)
        if o and shown.apply(c) >= LIKELY_SENT
    ]
    margin = likely_sent_margin(badged)
    selector_target.write_text(
        json.dumps(
            {
                "article": _named(ARTICLE_FEATURES, weights.article),
                "unit": _named(UNIT_FEATURES, weights.unit),
                "fitted_on": f"{sum(selects)} questions of {selected} ({len(ax)} candidate articles, "
                f"{len(ux)} units of the right articles)",
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    report = {
        "weights": dict(zip(FEATURES, (round(w, 4) for w in conf_weights), strict=True)),
        "bias": round(conf_bias, 4),
        "abstain_below": threshold,
        "shown": {
            "slope": shown.slope,
            "intercept": shown.intercept,
            "fitted_on": f"{len(tickets_out_of_fold)} ticket-like fit lines offered an answer, out-of-fold figures",
            "their_ece": {  # out-of-fold, before and after the mapping
                "model": expected_calibration_error([c for c, _ in tickets_out_of_fold], ticket_grounded),
                "shown": expected_calibration_error([shown.apply(c) for c, _ in tickets_out_of_fold], ticket_grounded),
            },
        },
        "likely_sent_margin": margin,
        "badged_fit_lines": {
            "all": len(badged),
            "answered": _share([a for _, a in badged]),
            "kept": sum(m >= margin for m, _ in badged),
            "kept_answered": _share([a for m, a in badged if m >= margin]),
        },
        "fitted_on": f"{len(rows)} questions of {names}",
        "train_grounded": round(sum(cy) / len(cy), 4),
        "train_ece": expected_calibration_error(probabilities, cy),
    }
    target.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return {**report, "needs": needs_report}


def states_answer(row: LabelledDraft, selection: Selection) -> bool:
    """What `eval drafts` counts as answered (`holds_answer`), read from the reply's facts: the units it states and
    the citation that names their article (its greeting and sign-off are fixed words)."""
    best = selection.best
    if best is None or best.article_id != row.gold:
        return False
    article = selection.articles[best.article_id]
    stated = " ".join([*(c.unit.text for c in answer_units(selection)), citation(article.title, article.url)])
    return holds_answer(True, None if row.answer is None else answer_recall(row.answer, stated))


def likely_sent_margin(badged: list[tuple[float, bool]], *, cuts: tuple[float, ...] = MARGINS) -> float:
    """The smallest cut of `cuts` at which the badged lines (margin, answered) whose margin reaches it hold the answer
    at least as often as the badge says (`LIKELY_SENT`); the largest cut when none does."""
    for cut in cuts:
        kept = [a for m, a in badged if m >= cut]
        if kept and sum(kept) / len(kept) >= LIKELY_SENT:
            return cut
    return cuts[-1]


def _share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def need_of(row: LabelledDraft) -> Need:
    """The labelled stance as a need: an escalation is a lead's call when an article applies, else a hand-over.
    A line without a stance (the issue-15 set's one-line questions) needs its answer, or a hand-over when no
    article answers it (none of them is vague or needs a lead)."""
    if row.stance is None:
        return Need.ANSWER if row.gold is not None else Need.UNANSWERED
    if row.stance == "escalate":
        return Need.UNANSWERED if row.gold is None else Need.LEAD
    return Need(row.stance)


def fit_needs(
    rows: list[LabelledDraft], xs: list[list[float]], *, cs: tuple[float, ...] = NEED_CS
) -> tuple[dict[str, Any], dict[str, Any], list[float]]:
    """The need model, its C the one of `cs` with the best out-of-fold accuracy: (its coefficients, a report, each
    line's P(no answer should be drafted) from a model that did not see it)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    z, mean, scale = _standardised(xs)
    y = np.asarray([need_of(row) for row in rows])
    index = np.searchsorted(np.unique(y), y)  # each line's class as a column of the probabilities (sorted classes)
    held_out = {c: _need_out_of_fold(z, y, c) for c in cs}
    accuracy = {c: float(np.mean([(p.argmax(axis=1) == index).mean() for p in held_out[c]])) for c in cs}
    c = max(cs, key=accuracy.__getitem__)
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(z, y)
    probabilities = held_out[c][0]  # the first cut's: each line's P from a model that did not see it
    declining = [i for i, name in enumerate(model.classes_) if not Need(name).answerable]
    decline = [float(p[declining].sum()) for p in probabilities]
    coef, intercept = model.coef_, model.intercept_
    if coef.shape[0] == 1:  # two classes: sklearn keeps one row (the second class's logit); the product wants two
        coef, intercept = np.vstack([-coef[0] / 2, coef[0] / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    weights, bias = _folded(coef, intercept, mean, scale)
    coefficients = {
        "classes": [str(v) for v in model.classes_],
        "weights": [[float(w) for w in row] for row in weights],
        "bias": [float(b) for b in bias],
        "fitted_on": f"{len(rows)} labelled lines; C={c}",
    }
    report = {
        "lines": len(rows),
        "c": c,
        "out_of_fold_need_accuracy": {str(k): round(v, 4) for k, v in accuracy.items()},
    }
    return coefficients, report, decline


def _need_out_of_fold(z: Any, y: Any, c: float, *, cuts: int = 3) -> list[Any]:
    """For each of `cuts` stratified 5-fold cuts, each line's class probabilities (columns in sorted class order)
    from a model that did not see it."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    return [
        cross_val_predict(
            LogisticRegression(C=c, max_iter=3000),
            z,
            y,
            cv=StratifiedKFold(5, shuffle=True, random_state=seed),
            method="predict_proba",
        )
        for seed in range(cuts)
    ]


def decline_cut(
    confidences: list[float], grounded: list[bool], unanswerable: list[bool], decline: list[float]
) -> tuple[float, float]:
    """(P(no answer) from which the need model declines, the confidence below which the draft abstains), chosen
    together on out-of-fold figures to make the most drafts right, as `best_threshold` counts them."""
    best = (1.01, 0.0)
    best_right = -1
    for cut in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01):
        declined = [d >= cut for d in decline]
        threshold = best_threshold(confidences, grounded, unanswerable, declined=declined)
        right = drafts_right(confidences, grounded, unanswerable, declined, threshold)
        if right > best_right:
            best, best_right = (cut, threshold), right
    return best


def _without(rows: list[list[float]], names: tuple[str, ...], ignored: frozenset[str]) -> list[list[float]]:
    """The rows with the ignored features at 0, so their fitted weight is 0 and selection does not use them."""
    drop = [i for i, name in enumerate(names) if name in ignored]
    return [[0.0 if i in drop else v for i, v in enumerate(row)] for row in rows]


def _named(names: tuple[str, ...], model: Linear) -> dict[str, Any]:
    return {
        "weights": dict(zip(names, (round(w, 4) for w in model.weights), strict=True)),
        "bias": round(model.bias, 4),
    }


def linear(
    xs: list[list[float]], ys: list[bool], *, c: float, balanced: bool = False
) -> tuple[tuple[float, ...], float]:
    """Logistic regression on standardised features, folded back into weights over the raw features (so the
    product applies it with a dot product and no scaler)."""
    from sklearn.linear_model import LogisticRegression

    z, mean, scale = _standardised(xs)
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None)
    model.fit(z, ys)
    weights, bias = _folded(model.coef_, model.intercept_, mean, scale)
    return tuple(float(w) for w in weights[0]), float(bias[0])


def _standardised(xs: list[list[float]]) -> tuple[Any, Any, Any]:
    """(the features standardised, their means, their scales). A feature that is constant up to float noise keeps
    scale 1: MiniLM has dimensions that are 0 within 1e-32 for every text (127 and 223) or 1e-8 (319), and dividing by
    that spread made weights of 1e31 that read float noise as evidence (up to a logit per message)."""
    import numpy as np

    x = np.asarray(xs, dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < MIN_SCALE] = 1.0
    return (x - mean) / scale, mean, scale


def _folded(coef: Any, intercept: Any, mean: Any, scale: Any) -> tuple[Any, Any]:
    """A model fitted on standardised features as weights and biases over the raw features (one row per logit), so
    the product applies it with a dot product and no scaler."""
    return coef / scale, intercept - (coef * mean / scale).sum(axis=1)


def out_of_fold(xs: list[list[float]], ys: list[bool], *, c: float, folds: int = 5, repeats: int = 10) -> list[float]:
    """Each line's confidence from models that did not see it, averaged over `repeats` different fold cuts: one
    cut of 152 lines moves the chosen threshold anywhere between 0.2 and 0.5."""
    from sklearn.model_selection import KFold

    predictions = [0.0] * len(xs)
    for seed in range(repeats):
        for train, test in KFold(folds, shuffle=True, random_state=seed).split(xs):
            model = Linear(*linear([xs[i] for i in train], [ys[i] for i in train], c=c))
            for i in test:
                predictions[i] += model.probability(xs[i]) / repeats
    return predictions


def best_threshold(
    confidences: list[float], grounded: list[bool], unanswerable: list[bool], *, declined: list[bool] | None = None
) -> float:
    """The confidence cut that makes the most drafts right: a grounded answer offered, or no answer offered
    where no article answers. (Abstaining on a question the articles do answer is a miss, like a wrong answer.)
    `declined`: lines the need model already keeps from an answer, whatever the confidence."""
    declined = declined or [False] * len(confidences)
    best, best_right = 0.0, -1
    for t in sorted({0.0, *(round(c, 2) for c in confidences)}):
        right = drafts_right(confidences, grounded, unanswerable, declined, t)
        if right > best_right:
            best, best_right = t, right
    return best


def drafts_right(
    confidences: list[float], grounded: list[bool], unanswerable: list[bool], declined: list[bool], threshold: float
) -> int:
    """How many drafts are right: a grounded answer offered, or none offered where no article answers."""
    return sum(
        ((c < threshold or d) and u) or (c >= threshold and not d and g)
        for c, g, u, d in zip(confidences, grounded, unanswerable, declined, strict=True)
    )
