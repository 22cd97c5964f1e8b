from __future__ import annotations

import json
from pathlib import Path

import pytest

from assist.dev.evaluation.retrieval import evaluate, load_queries
from assist.domain import SearchMode
from assist.errors import ValidationError
from tests.conftest import article


def _write_queries(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    return path


def test_load_queries_reports_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"query": "a", "gold": "x"}\n{"query": "b"}\n')
    with pytest.raises(ValidationError, match=r"q.jsonl:2"):
        load_queries(path)


def test_empty_query_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text("\n")
    with pytest.raises(ValidationError, match="no queries"):
        load_queries(path)


@pytest.mark.model
def test_evaluation_scores_each_mode(tmp_path: Path, embedder: object) -> None:
    kb_dir = tmp_path / "kb"
    kb_dir.mkdir()
    (kb_dir / "refunds.md").write_bytes(article("refunds", "Refund policy", "Card refunds take 5 to 10 business days."))
    (kb_dir / "pw.md").write_bytes(article("pw", "Reset your password", "Use Forgot password.", category="account"))
    queries = _write_queries(
        tmp_path / "q.jsonl",
        [
            {"query": "when do I get my refund", "gold": "refunds"},
            {"query": "forgot password", "gold": "pw"},
            {"query": "something unknown", "gold": "missing-article"},
        ],
    )
    results = evaluate(kb_dir=kb_dir, queries_file=queries, modes=list(SearchMode), embedder=embedder)  # type: ignore[arg-type]
    assert [r["mode"] for r in results] == ["hybrid", "bm25", "dense"]
    hybrid = results[0]
    assert hybrid["n"] == 3
    assert hybrid["recall@1"] == pytest.approx(2 / 3, abs=1e-3)
    assert hybrid["mrr"] == pytest.approx(2 / 3, abs=1e-3)
    assert hybrid["p50_ms"] > 0
