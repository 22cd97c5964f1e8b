from __future__ import annotations

import json
from pathlib import Path

from assist.dev.reports import write


def test_reports_are_written_as_json_and_markdown(tmp_path: Path) -> None:
    rows = [{"bench": "inbox", "p95_ms": 80.1, "steps": {"a": 1}}, {"eval": "sentiment", "data": "x.csv", "n": 3}]
    json_path, md_path = write("bench", "Benchmarks", rows, folder=tmp_path)
    assert json.loads(json_path.read_text()) == rows
    text = md_path.read_text()
    assert text.startswith("# Benchmarks")
    assert "## inbox" in text and "| p95_ms | 80.1 |" in text and '| steps | {"a": 1} |' in text
    assert "## sentiment (x.csv)" in text and "| n | 3 |" in text
