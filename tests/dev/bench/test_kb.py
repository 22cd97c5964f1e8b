from __future__ import annotations

from pathlib import Path

import pytest

from assist.dev.bench.kb import generate_articles, run
from assist.kb.parsers import parse_file


def test_generated_articles_are_valid_and_distinct(tmp_path: Path) -> None:
    count = generate_articles(tmp_path, editions=("Web", "Mobile"))
    parsed = [parse_file(p.name, p.read_bytes()) for p in tmp_path.glob("*.md")]
    assert count == len(parsed) >= 60
    assert len({a.article_id for a in parsed}) == count
    assert {a.product for a in parsed} == {"web", "mobile"}


@pytest.mark.model
def test_bench_reports_ratios_from_the_same_run() -> None:
    figures = run(rounds=1, editions=("Web",))
    assert figures["articles"] >= 30 and figures["chunks"] > figures["articles"]
    assert figures["ingest_ratio"] == pytest.approx(
        figures["ingest_chunks_per_s"] / figures["embed_chunks_per_s"], rel=0.01
    )
    assert figures["search_ratio"] == pytest.approx(figures["search_p95_ms"] / figures["embed_query_p95_ms"], rel=0.01)
    assert figures["search_p50_ms"] <= figures["search_p95_ms"]
