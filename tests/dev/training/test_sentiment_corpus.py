"""The sentiment trainer's corpus: what each support-style file gives to learning and to dev (no training here)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from assist.cli import main
from assist.dev.training import sentiment
from assist.dev.training.sentiment import NONE, SUPPORT_FRUSTRATION, Corpus, TrainingOptions, build_corpus


def _support_file(path: Path, prefix: str, rows: int) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "tone", "frustration"])
        for i in range(rows):
            tone, frustrated = [("negative", 1), ("neutral", 0), ("positive", 0), ("negative", 0)][i % 4]
            writer.writerow([f"{prefix} message {i}", tone, frustrated])
    return path


def _corpus(tmp_path: Path, *support: Path) -> Corpus:
    """The corpus of a few tweets (every run needs a tone file) and these support-style files."""
    tweets = tmp_path / "tweets.csv"
    tweets.write_text(
        "text,label\n" + "".join(f"tweet {i},{('negative', 'neutral', 'positive')[i % 3]}\n" for i in range(30))
    )
    options = TrainingOptions(data=(tweets,), out=tmp_path / "model", holdout_dir=tmp_path / "eval", support=support)
    return build_corpus(options, log=lambda _: None)


def test_every_support_file_is_learnt_from_and_a_quarter_of_them_is_dev(tmp_path: Path) -> None:
    first = _support_file(tmp_path / "first.csv", "first", 40)
    second = _support_file(tmp_path / "second.csv", "second", 80)

    corpus = _corpus(tmp_path, first, second)

    support = corpus.train[corpus.train["text"].str.split().str[0] != "tweet"]
    learnt, dev = set(support["text"]), set(corpus.dev["support"]["text"])
    assert {t.split()[0] for t in learnt} == {t.split()[0] for t in dev} == {"first", "second"}
    assert not learnt & dev and len(learnt) + len(dev) == 120 and 28 <= len(dev) <= 32  # a quarter, per label
    assert len(support) == len(learnt) * TrainingOptions.support_repeats and (support["frustration"] != NONE).all()
    assert set(corpus.dev[SUPPORT_FRUSTRATION]["label"]) == {0, 1}


def test_a_message_in_two_support_files_is_learnt_from_once_and_never_also_dev(tmp_path: Path) -> None:
    first = _support_file(tmp_path / "first.csv", "first", 40)
    second = _support_file(tmp_path / "second.csv", "second", 40)
    with first.open("a", newline="") as f:
        csv.writer(f).writerow(["Sorted, cheers!", "positive", 0])
    with second.open("a", newline="") as f:
        csv.writer(f).writerow(["sorted,  CHEERS!", "positive", 0])

    corpus = _corpus(tmp_path, first, second)

    everywhere = [*corpus.train["text"].drop_duplicates(), *corpus.dev["support"]["text"]]
    assert sum(text.lower().replace(" ", "") == "sorted,cheers!" for text in everywhere) == 1


def test_the_command_hands_every_support_file_to_the_trainer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [_support_file(tmp_path / f"{name}.csv", name, 4) for name in ("first", "second")]
    given: list[TrainingOptions] = []

    def record(options: TrainingOptions, log: object) -> dict[str, object]:
        given.append(options)
        return {"check": {}}

    monkeypatch.setattr(sentiment, "train", record)

    args = ["train", "sentiment", "--data", str(files[0]), "--out", str(tmp_path / "m")]
    result = CliRunner().invoke(main, [*args, "--support", str(files[0]), "--support", str(files[1])])

    assert result.exit_code == 0, result.output
    assert [options.support for options in given] == [tuple(files)]
