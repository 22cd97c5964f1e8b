"""Draft quality on labelled questions: grounding, answer recall, abstention and calibrated confidence.

Each line of the queries file is `{"query": ..., "gold": article id | null, "answer": gold answer text,
"thread": [{"from": "customer" | "agent", "text": ...}, ...], "stance": "answer" | "clarify" | "escalate"}`
("answer", "thread" and "stance" optional; the thread holds the messages before the query). Every line becomes
a ticket of its own customer in a temporary workspace over a temporary index of the articles, and goes through
the product's own pipeline.

    grounded_at_1     the first cited article is the gold one (answerable lines)
    answer_recall     share of the gold answer's key words found in the draft (lines with an answer)
    abstain_*         the draft offered no answer (clarify or escalate) where no article answers (gold null)
    action_accuracy   the draft's stance is the expected one (lines with a "stance"; a holding reply while a
                      lead takes over counts as "escalate")
    auroc, ece        the confidence against "grounded" (unanswerable lines count as not grounded)
    likely_sent_grounded  share of the drafts badged "likely sent as is" that are grounded
    answered_auroc, likely_sent_answered  the same against "answered": grounded, and the draft holds at least
                      half the gold answer's key words (`ANSWERED`). The right article quoted at the wrong sentence
                      is grounded but needs a rewrite, which is what a person judging the drafts counts
    reused            share of drafts built on a reply the team sent before (`--history`)
    reuse_label_at_1  of those, where both lines carry a "label": the reused reply's label is the query's
    regenerated       (`--regenerate`) the drafts Regenerate offers after each line's: how many, the share on the
                      gold article, their mean figure, its AUROC and ECE against that, and how many were badged
                      "likely sent as is"
"""

from __future__ import annotations

import itertools
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine

from assist.config import Settings, get_settings
from assist.domain import AuthorRole, Channel, ConfidenceBand, Draft, DraftAction
from assist.drafting.confidence import expected_calibration_error
from assist.drafting.units import content_words
from assist.embeddings import Embedder
from assist.errors import ConfigError, NoAlternativeError, ValidationError
from assist.factories import build_assistant, build_engine
from assist.pipeline import Assistant, compute_assistance
from assist.store.db import session_scope
from assist.store.models import CustomerRow
from assist.store.runs import stored_draft
from assist.store.tickets import add_message, create_ticket
from assist.users import OPERATOR

# A grounded draft holding at least this share of the gold answer's key words answers the question; below it, it
# quotes another sentence of the right article (a rewrite, for a person judging the drafts).
ANSWERED = 0.5
SUBJECT = ""  # labelled lines have no subject: the store uses the first line, as for a subject-less email
STANCES = ("answer", "clarify", "escalate")
T = TypeVar("T")
# What each stance of the product means in the labels: a holding reply while a lead takes over is "escalate".
LABEL_OF = {
    DraftAction.ANSWER: "answer",
    DraftAction.HOLD: "escalate",
    DraftAction.CLARIFY: "clarify",
    DraftAction.ESCALATE: "escalate",
}


@dataclass(frozen=True)
class LabelledDraft:
    query: str
    gold: str | None
    answer: str | None = None
    thread: tuple[tuple[AuthorRole, str], ...] = ()
    stance: str | None = None  # answer | clarify | escalate
    ticket: str | None = None  # a workspace ticket's external id (scoring stored drafts: --from-db)
    label: str | None = None  # what the answer is (a history split's gold answer): reuse_label_at_1 compares it


def read_lines(path: Path, expected: str, parse: Callable[[dict[str, Any], int], T]) -> list[T]:
    """Each non-blank JSON line of `path` through `parse` (the object and its line number).

    Raises:
        ValidationError: a line is not JSON or not what `parse` expects (named by `expected`).
    """
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(parse(json.loads(line), n))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                raise ValidationError(f"{path}:{n}: expected {expected} ({e}).") from e
    return rows


def read_thread_lines(data: dict[str, Any]) -> tuple[tuple[AuthorRole, str], ...]:
    """A line's "thread": the messages before its query, oldest first."""
    role = {"agent": AuthorRole.AGENT}
    return tuple((role.get(m["from"], AuthorRole.CUSTOMER), str(m["text"])) for m in data.get("thread", []))


def _labelled(data: dict[str, Any], _: int) -> LabelledDraft:
    gold, stance = data["gold"], data.get("stance")
    if stance not in (None, *STANCES):
        raise ValueError(f"stance must be one of {', '.join(STANCES)}")
    return LabelledDraft(
        str(data["query"]),
        None if gold is None else str(gold),
        data.get("answer"),
        read_thread_lines(data),
        stance,
        data.get("ticket"),
        data.get("label"),
    )


def load_labelled(path: Path) -> list[LabelledDraft]:
    rows = read_lines(path, '{"query": ..., "gold": ...}', _labelled)
    if not rows:
        raise ValidationError(f"{path} holds no queries.")
    return rows


def scratch_settings(work: Path, *, offline: bool = True) -> Settings:
    """Today's settings over a database and a Chroma in `work` (never the app's own), offline unless told."""
    overrides: dict[str, Any] = {
        "database_url": f"sqlite:///{work / 'eval.db'}",
        "chroma_path": work / "chroma",
        "chroma_host": None,
        "otlp_endpoint": None,
    }
    if offline:
        overrides |= {"openai_api_key": None, "openai_base_url": None}
    return Settings(**{**get_settings().model_dump(), **overrides})


@contextmanager
def temporary_assistant(
    kb_dir: Path, *, mode: str = "offline", embedder: Embedder | None = None
) -> Iterator[Assistant]:
    """The product's assistant over a fresh database and index of `kb_dir` (never the app's own)."""
    base = get_settings()
    if mode == "llm" and base.openai_api_key is None and not base.openai_base_url:
        raise ConfigError("--mode llm needs OPENAI_API_KEY or OPENAI_BASE_URL (an OpenAI-compatible server).")
    with tempfile.TemporaryDirectory() as tmp:
        settings = scratch_settings(Path(tmp), offline=mode == "offline")
        engine = build_engine(settings)
        assistant = build_assistant(settings, engine=engine, embedder=embedder)
        report = assistant.knowledge_base.ingest_paths([kb_dir], actor=OPERATOR)
        if report.failed:
            raise ValidationError("Some articles failed to ingest: " + "; ".join(f.error for f in report.failed))
        try:
            yield assistant
        finally:
            engine.dispose()


def open_ticket_for(
    assistant: Assistant, row: LabelledDraft, n: int, *, name: str = "Sam Taylor", key: str = "customer"
) -> int:
    """A ticket of a customer of its own (so no line sees another as contact history); `key` keeps the
    addresses of one kind of line apart from another's."""
    messages = [*row.thread, (AuthorRole.CUSTOMER, row.query)]
    with session_scope(assistant.engine) as session:
        customer = CustomerRow(name=name, email=f"{key}{n}@eval.example")
        session.add(customer)
        session.flush()
        ticket = create_ticket(
            session, customer=customer, subject=SUBJECT, body=messages[0][1], actor="eval", channel=Channel.EMAIL
        )
        for role, text in messages[1:]:
            add_message(session, ticket=ticket, role=role, body=text, actor="eval")
        session.flush()
        return ticket.id


def answer_recall(answer: str, text: str) -> float:
    wanted = content_words(answer)
    return len(wanted & content_words(text)) / len(wanted) if wanted else 1.0


def evaluate(
    kb_dir: Path, queries: Path, *, mode: str = "offline", history: Path | None = None, regenerate: bool = False
) -> dict[str, Any]:
    """Draft every line; with `history`, after resolving each of its lines as a ticket of its own
    (`assist.dev.evaluation.history`), so drafts can be built on the team's past replies. With `regenerate`, also
    every draft Regenerate offers after it (`regenerated`)."""
    from assist.dev.evaluation.history import load_history, seed_history

    rows = load_labelled(queries)
    past = load_history(history) if history is not None else []
    outcomes: list[Outcome] = []
    alternatives: list[Outcome] = []
    with temporary_assistant(kb_dir, mode=mode) as assistant:
        made = seed_history(assistant, past, settings=assistant.settings)
        for n, row in enumerate(rows):
            ticket_id = open_ticket_for(assistant, row, n)
            started = time.perf_counter()
            draft = compute_assistance(assistant, ticket_id=ticket_id).draft
            outcomes.append(Outcome.of(row, draft, (time.perf_counter() - started) * 1000))
            if regenerate:
                alternatives.extend(Outcome.of(row, d, 0.0) for d in _regenerated(assistant, ticket_id))
    reused = [(r, made[o.reused_from]) for r, o in zip(rows, outcomes, strict=True) if o.reused_from in made]
    labelled = [r.label == h.label for r, h in reused if r.label is not None and h.label is not None]
    return {
        "n": len(rows),
        "mode": mode,
        "history": len(past),
        **score(rows, outcomes),
        "reuse_label_at_1": _ratio(sum(labelled), len(labelled)),
        **({"regenerated": regenerated(alternatives)} if regenerate else {}),
    }


def _regenerated(assistant: Assistant, ticket_id: int) -> Iterator[Draft]:
    """Each draft Regenerate offers for the ticket, in its order, until it says there is no other candidate."""
    for alternative in itertools.count(1):
        try:
            yield compute_assistance(assistant, ticket_id=ticket_id, alternative=alternative).draft
        except NoAlternativeError:
            return


def regenerated(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """How honest the figure of Regenerate's drafts is: how many it offered, the share on the gold article, the
    mean figure shown, AUROC and ECE of that figure against being on the gold article, and how many it badged
    "likely sent as is"."""
    grounded = [o.grounded for o in outcomes]
    shown = [o.confidence for o in outcomes]
    return {
        "drafts": len(outcomes),
        "on_gold": _ratio(sum(grounded), len(outcomes)),
        "mean_shown": round(statistics.fmean(shown), 4) if shown else None,
        "auroc": _auroc(grounded, shown),
        "ece": expected_calibration_error(shown, grounded) if shown else None,
        "likely_sent": sum(o.likely_sent for o in outcomes),
    }


def evaluate_stored(engine: Engine, queries: Path) -> dict[str, Any]:
    """Score the drafts a workspace stored for the tickets the labelled lines name (by external id): what
    agents were shown, not a fresh run. A ticket whose newest customer message differs from the line's query
    is reported, not scored (the label is about another message)."""
    rows = [r for r in load_labelled(queries) if r.ticket]
    if not rows:
        raise ValidationError(f'{queries} names no tickets: give each line a "ticket" (the external id).')
    scored, outcomes, missing = [], [], []
    for row in rows:
        stored = stored_draft(engine, external_id=str(row.ticket), newest=row.query)
        if stored is None:
            missing.append(row.ticket)
            continue
        scored.append(row)
        outcomes.append(Outcome.of(row, stored, 0.0))
    if not outcomes:
        raise ValidationError(f"None of the {len(rows)} tickets has a stored draft for the labelled message.")
    report = {"n": len(scored), "mode": "stored", **score(scored, outcomes), "not_scored": missing}
    report.pop("p50_ms")
    return report


@dataclass(frozen=True)
class Outcome:
    """What one line's draft did, as the figures count it."""

    grounded: bool
    confidence: float
    abstained: bool
    action: str
    likely_sent: bool
    recall: float | None
    ms: float
    reused_from: int | None = None  # the earlier ticket whose reply the draft is built on

    @classmethod
    def of(cls, row: LabelledDraft, draft: Draft, ms: float) -> Outcome:
        # Abstaining is declining because no article answers; a holding reply without facts is a hand-over, not
        # that (its confidence is 0 all the same, so the calibration figures count it as offering no answer).
        abstained = draft.action.abstains
        return cls(
            grounded=row.gold is not None and bool(draft.sources) and draft.sources[0] == row.gold,
            confidence=draft.confidence,
            abstained=abstained,
            action=LABEL_OF[draft.action],
            likely_sent=draft.band is ConfidenceBand.LIKELY_SENT,
            recall=(0.0 if abstained else answer_recall(row.answer, draft.text)) if row.answer else None,
            ms=ms,
            reused_from=draft.reused_from,
        )


def score(rows: Sequence[LabelledDraft], outcomes: Sequence[Outcome]) -> dict[str, Any]:
    answerable = [r.gold is not None for r in rows]
    grounded = [o.grounded for o in outcomes]
    confidences = [o.confidence for o in outcomes]
    abstains = [o.abstained for o in outcomes]
    recalls = [o.recall for o in outcomes if o.recall is not None]
    caught = sum(o.abstained and not a for o, a in zip(outcomes, answerable, strict=True))
    labelled = [(r.stance, o.action) for r, o in zip(rows, outcomes, strict=True) if r.stance]
    badged = [o.grounded for o in outcomes if o.likely_sent]
    answered = [holds_answer(o.grounded, o.recall) for o in outcomes]
    badged_answered = [a for a, o in zip(answered, outcomes, strict=True) if o.likely_sent]
    return {
        "grounded_at_1": _ratio(sum(g for g, a in zip(grounded, answerable, strict=True) if a), sum(answerable)),
        "answer_recall": round(statistics.fmean(recalls), 4) if recalls else None,
        "abstain_precision": _ratio(caught, sum(abstains)),
        "abstain_recall": _ratio(caught, len(rows) - sum(answerable)),
        "action_accuracy": _ratio(sum(want == got for want, got in labelled), len(labelled)),
        "auroc": _auroc(grounded, confidences),
        "ece": expected_calibration_error(confidences, grounded),
        "likely_sent_grounded": _ratio(sum(badged), len(badged)),
        "answered_auroc": _auroc(answered, confidences),
        "likely_sent_answered": _ratio(sum(badged_answered), len(badged_answered)),
        "likely_sent_share": _ratio(len(badged), len(rows)),
        "reused": _ratio(sum(o.reused_from is not None for o in outcomes), len(outcomes)),
        "p50_ms": round(statistics.median(o.ms for o in outcomes), 1),
    }


def _auroc(labels: Sequence[bool], scores: Sequence[float]) -> float | None:
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(labels, scores)), 4) if len(set(labels)) == 2 else None


def holds_answer(grounded: bool, recall: float | None) -> bool:
    """Answered, as a person judging the drafts counts it: the right article, and at least `ANSWERED` of the gold
    answer's key words (`recall` None: the line has no gold answer to hold)."""
    return grounded and (recall is None or recall >= ANSWERED)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
