"""Fit when a draft is built on a reply the team sent before (assist/drafting/reuse.py, reuse.json).

On the history split of each labelled fit set (`assist.dev.evaluation.history`): about half of each article's
questions are resolved first, with the gold answer as the reply; for every other line, the closest earlier
reply that ended well is found as the product finds it, and it is a positive when it cites the line's gold
article and holds its gold answer (`GOLD_OVERLAP` of its key words). Lines no article answers are negatives
whatever comes back. The check sets are never read here; `python -m assist eval drafts --history` measures.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assist.dev.evaluation.drafts import (
    LabelledDraft,
    answer_recall,
    load_labelled,
    open_ticket_for,
    temporary_assistant,
)
from assist.dev.evaluation.history import load_history, seed_history, write_split
from assist.drafting.reuse import FEATURES, WEIGHTS, PastReply, ReplyReading, ReuseModel, features, read_reply
from assist.drafting.stated import answer_units
from assist.pipeline import closest_past_reply, confidence_policy, gather_evidence
from assist.store.db import session_scope
from assist.store.tickets import ticket_detail

ROOT = Path(__file__).parents[3]
DATA = ROOT / "tests" / "data"
FIT = (
    DATA / "drafts_fit.jsonl",
    DATA / "drafts_real_fit.jsonl",
    DATA / "drafts_tickets_fit.jsonl",
    DATA / "repeats_queries_fit.jsonl",
)
GOLD_OVERLAP = 0.6
C = 1.0


def records(source: Path, progress: Callable[[str], None]) -> list[dict[str, Any]]:
    """What the fits read, for each query line of `source`: a history split of a labelled file, or the later
    questions of a repeats file pair (`repeats_queries_*.jsonl` after `repeats_history_*.jsonl`): the gold
    article and answer, the article answer selection chose and the confidence, and the earlier reply
    found as the product finds it (`pipeline.closest_past_reply`), with whether it answers this line."""
    with tempfile.TemporaryDirectory() as tmp:
        if source.name.startswith("repeats_queries"):
            history, queries = source.with_name(source.name.replace("queries", "history")), source
        else:
            history, queries = Path(tmp) / "history.jsonl", Path(tmp) / "queries.jsonl"
            write_split(source, history, queries)
        return _records(source.name, history, queries, progress)


def _records(name: str, history: Path, queries: Path, progress: Callable[[str], None]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with temporary_assistant(ROOT / "kb_docs") as assistant:
        seed_history(assistant, load_history(history), settings=assistant.settings)
        titles = {a.id: a.title for a in assistant.knowledge_base.list_articles()}
        ids = {t.casefold(): a for a, t in titles.items()}
        policy = confidence_policy(assistant)
        rows = load_labelled(queries)
        for n, row in enumerate(rows):
            ticket_id = open_ticket_for(assistant, row, n)
            with session_scope(assistant.engine) as session:
                ticket = ticket_detail(session, ticket_id=ticket_id)
            evidence = gather_evidence(assistant, ticket)
            selection = evidence.selection
            confidence = policy.read(selection, evidence.thread.signals)
            past = closest_past_reply(assistant, ticket=ticket, evidence=evidence)
            reading = None if past is None else read_reply(assistant.selector.reader, selection, past)
            best = selection.best
            answer = " ".join(c.unit.text for c in answer_units(selection))
            out.append(
                {
                    "weighed": confidence.answerable and not confidence.needs_lead,  # as weigh_past_reply reads
                    "shown": confidence.calibrated,
                    "selected": best.article_id if best else None,
                    "kb_answers": best is not None
                    and best.article_id == row.gold
                    and row.answer is not None
                    and answer_recall(row.answer, answer) >= GOLD_OVERLAP,
                    "past": None
                    if past is None
                    else {
                        "similarity": past.similarity,
                        "reading": [reading.reply, reading.answer] if reading else [0.0, 0.0],
                        "reusable": past.reusable,
                        "articles": [ids[t.casefold()] for t in past.article_titles if t.casefold() in ids],
                        "answers": _answers(row, past.text, past.article_titles, titles),
                    },
                }
            )
            if n % 50 == 0:
                progress(f"{name}: {n}/{len(rows)}")
    return out


def _answers(row: LabelledDraft, text: str, cited: tuple[str, ...], titles: dict[str, str]) -> bool:
    if row.gold is None or row.answer is None:
        return False
    return titles.get(row.gold, "").casefold() in {t.casefold() for t in cited} and (
        answer_recall(row.answer, text) >= GOLD_OVERLAP
    )


def fit(progress: Callable[[str], None] = print) -> dict[str, Any]:
    """Fit the reuse model on the fit sets and write reuse.json; returns the figures."""
    return fit_records([r for source in FIT for r in records(source, progress)])


def fit_records(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Fit on `records` (the closest earlier reply of each line that found one) and write reuse.json."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import cross_val_predict

    x: list[list[float]] = []
    y: list[int] = []
    kb: list[int] = []
    beats: list[float] = []
    for r in rows:
        past = r["past"]
        if past is None or not past["reusable"] or not r["weighed"]:
            continue  # the product weighs a reusable past reply only against an answer the articles offer
        # Its articles as ids, those still held: the product also needs one (`pipeline.weigh_past_reply`).
        reply = PastReply(ticket_id=0, similarity=past["similarity"], text="", article_titles=tuple(past["articles"]))
        if not ReuseModel.weighs(reply):
            continue
        selected = r["selected"]  # ids on both sides: features compares names
        x.append(list(features(reply, selected_title=selected, reading=ReplyReading(*past["reading"]))))
        y.append(int(past["answers"]))
        beats.append(r["shown"])
        kb.append(int(r["kb_answers"]))
    model = LogisticRegression(C=C, max_iter=1000)
    out_of_fold = cross_val_predict(model, x, y, cv=5, method="predict_proba")[:, 1]
    model.fit(x, y)
    WEIGHTS.write_text(
        json.dumps(
            {
                "features": list(FEATURES),
                "weights": [round(float(w), 4) for w in model.coef_[0]],
                "bias": round(float(model.intercept_[0]), 4),
                "fitted_on": [p.name for p in FIT],
                "examples": len(y),
                "positives": sum(y),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    preferred = [p > b for p, b in zip(out_of_fold, beats, strict=True)]  # as `pipeline.weigh_past_reply` decides
    return {
        "examples": len(y),
        "past_reply_answers": sum(y),
        "articles_answer": sum(kb),
        "out_of_fold_auroc": round(float(roc_auc_score(y, out_of_fold)), 4) if len(set(y)) == 2 else None,
        "past_reply_preferred": int(sum(preferred)),
        "right_with_reuse": int(sum(yy if use else k for yy, k, use in zip(y, kb, preferred, strict=True))),
    }
