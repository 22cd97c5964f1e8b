"""Draft quality on labelled questions: grounding, answer recall, abstention and calibrated confidence.

Each line of the queries file is `{"query": ..., "gold": article id | null, "answer": gold answer text,
"thread": [{"from": "customer" | "agent", "text": ...}, ...]}` ("answer" and "thread" optional; the thread
holds the messages before the query). Every line becomes a ticket of its own customer in a temporary
workspace over a temporary index of the articles, and goes through the product's own pipeline.

    grounded_at_1     the first cited article is the gold one (answerable lines)
    answer_recall     share of the gold answer's key words found in the draft (lines with an answer)
    abstain_*         the draft offered no answer (clarify or escalate) where no article answers (gold null)
    auroc, ece        the confidence against "grounded" (unanswerable lines count as not grounded)
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.config import Settings, get_settings
from assist.domain import AuthorRole, Channel
from assist.drafting.confidence import expected_calibration_error
from assist.drafting.units import content_words
from assist.embeddings import Embedder
from assist.errors import ConfigError, ValidationError
from assist.factories import build_assistant, build_engine
from assist.pipeline import Assistant, compute_assistance
from assist.store.db import session_scope
from assist.store.models import CustomerRow
from assist.store.tickets import add_message, create_ticket
from assist.users import OPERATOR

SUBJECT = ""  # labelled lines have no subject: the store uses the first line, as for a subject-less email


@dataclass(frozen=True)
class LabelledDraft:
    query: str
    gold: str | None
    answer: str | None = None
    thread: tuple[tuple[AuthorRole, str], ...] = ()


def load_labelled(path: Path) -> list[LabelledDraft]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            thread = tuple(
                (AuthorRole.AGENT if m["from"] == "agent" else AuthorRole.CUSTOMER, str(m["text"]))
                for m in data.get("thread", [])
            )
            gold = data["gold"]
            rows.append(
                LabelledDraft(str(data["query"]), None if gold is None else str(gold), data.get("answer"), thread)
            )
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise ValidationError(f'{path}:{n}: expected {{"query": ..., "gold": ...}} ({e}).') from e
    if not rows:
        raise ValidationError(f"{path} holds no queries.")
    return rows


@contextmanager
def temporary_assistant(
    kb_dir: Path, *, mode: str = "offline", embedder: Embedder | None = None
) -> Iterator[Assistant]:
    """The product's assistant over a fresh database and index of `kb_dir` (never the app's own)."""
    base = get_settings()
    if mode == "llm" and base.openai_api_key is None and not base.openai_base_url:
        raise ConfigError("--mode llm needs OPENAI_API_KEY or OPENAI_BASE_URL (an OpenAI-compatible server).")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        overrides: dict[str, Any] = {
            "database_url": f"sqlite:///{work / 'eval.db'}",
            "chroma_path": work / "chroma",
            "chroma_host": None,
            "otlp_endpoint": None,
        }
        if mode == "offline":
            overrides |= {"openai_api_key": None, "openai_base_url": None}
        settings = Settings(**{**base.model_dump(), **overrides})
        engine = build_engine(settings)
        assistant = build_assistant(settings, engine=engine, embedder=embedder)
        report = assistant.knowledge_base.ingest_paths([kb_dir], actor=OPERATOR)
        if report.failed:
            raise ValidationError("Some articles failed to ingest: " + "; ".join(f.error for f in report.failed))
        try:
            yield assistant
        finally:
            engine.dispose()


def open_ticket_for(assistant: Assistant, row: LabelledDraft, n: int) -> int:
    """A ticket of a customer of its own (so no line sees another as contact history)."""
    messages = [*row.thread, (AuthorRole.CUSTOMER, row.query)]
    with session_scope(assistant.engine) as session:
        customer = CustomerRow(name="Sam Taylor", email=f"customer{n}@eval.example")
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


def evaluate(kb_dir: Path, queries: Path, *, mode: str = "offline") -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    rows = load_labelled(queries)
    grounded: list[bool] = []
    confidences: list[float] = []
    recalls: list[float] = []
    abstains: list[bool] = []
    latencies: list[float] = []
    with temporary_assistant(kb_dir, mode=mode) as assistant:
        for n, row in enumerate(rows):
            ticket_id = open_ticket_for(assistant, row, n)
            started = time.perf_counter()
            draft = compute_assistance(assistant, ticket_id=ticket_id).draft
            latencies.append((time.perf_counter() - started) * 1000)
            grounded.append(row.gold is not None and bool(draft.sources) and draft.sources[0] == row.gold)
            confidences.append(draft.confidence)
            abstains.append(draft.action.abstains)
            if row.answer:
                recalls.append(0.0 if draft.action.abstains else answer_recall(row.answer, draft.text))
    answerable = [r.gold is not None for r in rows]
    unanswerable = [not a for a in answerable]
    caught = sum(a and u for a, u in zip(abstains, unanswerable, strict=True))
    return {
        "n": len(rows),
        "mode": mode,
        "grounded_at_1": _ratio(sum(g for g, a in zip(grounded, answerable, strict=True) if a), sum(answerable)),
        "answer_recall": round(statistics.fmean(recalls), 4) if recalls else None,
        "abstain_precision": _ratio(caught, sum(abstains)),
        "abstain_recall": _ratio(caught, sum(unanswerable)),
        "auroc": round(float(roc_auc_score(grounded, confidences)), 4) if len(set(grounded)) == 2 else None,
        "ece": expected_calibration_error(confidences, grounded),
        "p50_ms": round(statistics.median(latencies), 1),
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
