"""`eval split-history` and `eval drafts --history`: the team's history as resolved tickets before the queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assist.cli import main
from assist.dev.evaluation.history import load_history, split_history
from assist.errors import ValidationError

DATA = Path(__file__).parents[2] / "data"


def _line(query: str, gold: str | None, answer: str | None = None) -> dict[str, object]:
    return {"query": query, "gold": gold, **({"answer": answer} if answer else {})}


def test_every_other_answerable_line_of_each_article_becomes_history_with_its_answer_as_the_reply() -> None:
    lines = [
        _line("a1", "refunds", "Refund A."),
        _line("b1", "exports", "Export B."),
        _line("a2", "refunds", "Refund C."),
        _line("none", None),
        _line("a3", "refunds", "Refund A."),
        _line("b2", "exports", "Export D."),
    ]

    history, queries = split_history(lines)

    assert [h["query"] for h in history] == ["a1", "b1", "a3"]
    assert history[0] | {"id": None} == {
        "id": None,
        "query": "a1",
        "thread": [],
        "article": "refunds",
        "reply": "Refund A.",
        "label": "Refund A.",
    }
    assert [q["query"] for q in queries] == ["a2", "none", "b2"]  # unanswerable lines are always queries
    assert queries[0]["label"] == "Refund C." and "label" not in queries[1]


def test_history_lines_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text('{"query": "q", "reply": "r", "article": "refunds"}\n{"query": "no reply"}\n')
    with pytest.raises(ValidationError, match=r"h.jsonl:2"):
        load_history(path)


def test_the_repeats_set_s_repeats_name_an_answer_its_history_gave() -> None:
    for half in ("fit", "check"):
        history = {h.label for h in load_history(DATA / f"repeats_history_{half}.jsonl")}
        queries = [json.loads(t) for t in (DATA / f"repeats_queries_{half}.jsonl").read_text().splitlines() if t]
        repeats = [q for q in queries if "repeat" in q["kind"]]
        assert len(repeats) >= 50 and all(q["label"] in history for q in repeats)
        assert sum(q["gold"] is None for q in queries) >= 15  # near misses no article answers
        assert not any(q.get("label") in history for q in queries if "sibling" in q["kind"])


@pytest.mark.model
def test_eval_drafts_with_history_resolves_it_first_and_reports_reuse(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    queries = tmp_path / "queries.jsonl"
    past = [json.loads(t) for t in (DATA / "repeats_history_check.jsonl").read_text().splitlines()[:6]]
    history.write_text("".join(json.dumps(h) + "\n" for h in past))
    asked = [json.loads(t) for t in (DATA / "repeats_queries_check.jsonl").read_text().splitlines()]
    queries.write_text("".join(json.dumps(q) + "\n" for q in asked[:4]))

    result = CliRunner().invoke(
        main, ["eval", "drafts", "--kb", "kb_docs", "--queries", str(queries), "--history", str(history)]
    )

    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["history"] == 6 and report["n"] == 4  # six tickets resolved before the four were drafted
    assert {"reused", "reuse_label_at_1"} <= report.keys()


def test_history_and_stored_drafts_are_not_asked_for_together(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    history.write_text('{"query": "q", "reply": "r"}\n')

    result = CliRunner().invoke(
        main, ["eval", "drafts", "--from-db", "--queries", str(DATA / "demo_gold.jsonl"), "--history", str(history)]
    )

    assert result.exit_code != 0 and "give one" in result.output
