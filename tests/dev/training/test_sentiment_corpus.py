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


@pytest.mark.model
def test_calibrate_only_refits_the_stored_network_s_calibration_and_keeps_its_weights(tmp_path: Path) -> None:
    import json
    import shutil

    from assist.sentiment.artifact import CONFIG, SHIPPED, WEIGHTS, load_network

    out = tmp_path / "model"
    shutil.copytree(SHIPPED, out)
    weights = (out / WEIGHTS).read_bytes()
    config = json.loads((out / CONFIG).read_text())
    before = config["calibration"]
    config["calibration"]["frustration_curve"] = [[0.1, 0.2], [0.9, 0.8]]  # as stored before 2026-12-07
    (out / CONFIG).write_text(json.dumps(config))
    tweets = tmp_path / "tweets.csv"
    tweets.write_text(
        "text,label\n" + "".join(f"tweet {i},{('negative', 'neutral', 'positive')[i % 3]}\n" for i in range(30))
    )
    support = _support_file(tmp_path / "support.csv", "support", 480)  # 120 dev rows: the support rows decide
    trained_on = ["tweets.csv", "support (tone and frustration, x8)", "support.csv (support-style)"]
    (out / "training_report.json").write_text(json.dumps({"data": trained_on, "seed": 13, "history": []}))
    args = ["train", "sentiment", "--data", str(tweets), "--support", str(support), "--out", str(out)]
    args += ["--holdout-dir", str(tmp_path / "eval"), "--calibrate-only"]

    refused = CliRunner().invoke(main, [*args, "--seed", "14"])  # other dev rows: some were learnt from
    assert refused.exit_code == 1 and "give the same" in refused.output
    result = CliRunner().invoke(main, args)

    assert result.exit_code == 0, result.output
    assert (out / WEIGHTS).read_bytes() == weights
    _, _, calibration = load_network(out)
    assert calibration.to_config() != before
    # Every support message reads alike to the network ("support message N"), a quarter of them frustrated: the
    # scaling fitted on them reads each near that share.
    readings = sentiment.logits(*load_network(out)[:2], ["support message 7", "support message 8"], 96)[2]
    assert calibration.frustration(readings) == pytest.approx([0.25, 0.25], abs=0.1)
    report = json.loads((out / "training_report.json").read_text())
    assert report["calibration"] == calibration.to_config() and "check_in_float32" not in report
    assert set(report["check"]) == {"tweets"} and report["history"] == []  # the training run's record is kept
