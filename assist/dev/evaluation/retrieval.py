"""Retrieval quality on labelled questions: recall@1/5/10, MRR and latency, per search mode."""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.config import Settings
from assist.dev.bench.timing import summary_ms
from assist.domain import Hit, SearchMode
from assist.embeddings import Embedder
from assist.errors import ValidationError
from assist.factories import build_engine, build_knowledge_base
from assist.kb import KnowledgeBase
from assist.users import OPERATOR


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    gold: str
    accepted: frozenset[str] = frozenset()  # other answers that count as right (calibration only)


def load_queries(path: Path) -> list[LabelledQuery]:
    """Read `{"query": ..., "gold": ...}` lines; blank lines, and lines no article answers (gold null), are skipped."""
    queries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if row["gold"] is None:
                continue
            queries.append(LabelledQuery(query=str(row["query"]), gold=str(row["gold"])))
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise ValidationError(f'{path}:{n}: expected {{"query": ..., "gold": ...}} ({e}).') from e
    if not queries:
        raise ValidationError(f"{path} holds no queries.")
    return queries


def temporary_knowledge_base(kb_dir: Path, workdir: Path, *, embedder: Embedder) -> KnowledgeBase:
    """A fresh index of `kb_dir` under `workdir` (never the app's own database or chroma folder)."""
    settings = Settings(
        database_url=f"sqlite:///{workdir / 'eval.db'}", chroma_path=workdir / "chroma", chroma_host=None
    )
    kb = build_knowledge_base(settings, engine=build_engine(settings), embedder=embedder)
    report = kb.ingest_paths([kb_dir], actor=OPERATOR)
    if report.failed:
        raise ValidationError("Some articles failed to ingest: " + "; ".join(f.error for f in report.failed))
    return kb


def score(kb: KnowledgeBase, queries: list[LabelledQuery], *, mode: SearchMode, k: int) -> dict[str, Any]:
    ranks: list[int | None] = []
    latencies: list[float] = []
    for q in queries:
        started = time.perf_counter()
        hits = kb.search(q.query, k=k, mode=mode)
        latencies.append(time.perf_counter() - started)
        ranks.append(_rank_of(q.gold, hits))
    n = len(queries)

    def recall(at: int) -> float:
        return round(sum(1 for r in ranks if r is not None and r <= at) / n, 4)

    return {
        "mode": mode.value,
        "recall@1": recall(1),
        "recall@5": recall(5),
        "recall@10": recall(10),
        "mrr": round(sum(1 / r for r in ranks if r is not None) / n, 4),
        "n": n,
        **summary_ms(latencies),
    }


def evaluate(
    *, kb_dir: Path, queries_file: Path, modes: list[SearchMode], k: int = 10, embedder: Embedder | None = None
) -> list[dict[str, Any]]:
    queries = load_queries(queries_file)
    embedder = embedder or Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        kb = temporary_knowledge_base(kb_dir, Path(tmp), embedder=embedder)
        kb.search("warm up", k=1)  # first call builds the BM25 index; keep it out of the latency figures
        results = [score(kb, queries, mode=mode, k=k) for mode in modes]
        kb.engine.dispose()
    return results


def _rank_of(gold: str, hits: list[Hit]) -> int | None:
    for i, hit in enumerate(hits, start=1):
        if hit.article_id == gold:
            return i
    return None
