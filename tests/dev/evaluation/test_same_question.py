"""`python -m assist eval same-question`: how often a question's nearest other question has its label, by cosine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assist.cli import main
from assist.dev.evaluation.same_question import evaluate
from assist.embeddings import Embedder
from assist.errors import ValidationError

pytestmark = pytest.mark.model

ROWS = [
    ("How do I reset my password?", "password"),
    ("how can i reset my password", "password"),
    ("My card still hasn't arrived, where is it?", "card"),
    ("My card still hasn't arrived. Where is it?", "card"),
    ("Why was I charged twice this month?", "charge"),
    ("Can I pay in euros instead of dollars?", "currency"),
]


def _csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("text,label\n" + "".join(f'"{t}",{label}\n' for t, label in rows), encoding="utf-8")
    return path


def test_questions_asked_again_in_nearly_the_same_words_share_their_label_and_lone_ones_do_not(
    tmp_path: Path, embedder: Embedder
) -> None:
    report = evaluate(_csv(tmp_path / "q.csv", ROWS), embedder)

    assert report["questions"] == 6 and report["labels"] == 4
    assert sum(b["questions"] for b in report["bands"]) == 6  # every question's nearest neighbour, once
    top = report["from"][-1]  # >= 0.95: the two password and the two card questions, each other's nearest
    assert top["questions"] == 4 and top["same_label"] == 1.0
    below = [b for b in report["bands"][:4] if b["questions"]]  # under 0.80
    assert below and all(b["same_label"] < 1.0 for b in below)  # the lone questions' neighbours ask other things


def test_the_command_prints_json_and_refuses_a_file_without_questions(tmp_path: Path) -> None:
    empty = _csv(tmp_path / "empty.csv", [])
    with pytest.raises(ValidationError, match="text,label"):
        evaluate(empty, embedder=None)  # type: ignore[arg-type]  # refused before any encoding

    result = CliRunner().invoke(main, ["eval", "same-question", "--data", str(_csv(tmp_path / "q.csv", ROWS))])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["eval"] == "same-question"
