"""`python -m assist eval drafts` and `train confidence` on small labelled files, through the real pipeline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assist.cli import main
from assist.dev.evaluation.drafts import LabelledDraft, Outcome, answer_recall, load_labelled, score
from assist.dev.training.confidence import best_threshold, fit, fit_needs, likely_sent_margin, linear
from assist.drafting.answers import SelectorWeights
from assist.drafting.confidence import ConfidenceModel
from assist.drafting.needs import Need, NeedModel
from assist.drafting.units import clean, words
from assist.errors import ValidationError
from assist.kb.parsers import parse_file

DATA = Path(__file__).parents[2] / "data"
KB_DOCS = Path(__file__).parents[3] / "kb_docs"


def test_labelled_lines_are_validated_and_threads_read(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"query": "when?", "gold": "refund-policy", "answer": "5-10 days", '
        '"thread": [{"from": "customer", "text": "refund please"}, {"from": "agent", "text": "done"}]}\n'
        '{"query": "dark mode?", "gold": null}\n'
    )
    first, second = load_labelled(path)
    assert [role.value for role, _ in first.thread] == ["customer", "agent"] and second.gold is None
    path.write_text('{"query": "a", "gold": "x"}\n{"gold": "y"}\n')
    with pytest.raises(ValidationError, match=r"q.jsonl:2"):
        load_labelled(path)


def test_the_shipped_labelled_set_has_two_disjoint_halves_with_enough_unanswerable_questions() -> None:
    fit_rows, check_rows = load_labelled(DATA / "drafts_fit.jsonl"), load_labelled(DATA / "drafts_check.jsonl")
    rows = fit_rows + check_rows
    assert len(rows) >= 200 and sum(r.gold is None for r in rows) / len(rows) >= 0.20
    assert not {r.query for r in fit_rows} & {r.query for r in check_rows}
    assert sum(bool(r.thread) for r in rows) >= 20 and all(r.answer for r in rows if r.gold)


def test_answer_recall_counts_the_gold_answers_key_words() -> None:
    assert answer_recall("Card refunds take 5–10 business days.", "Refunds by card take 5–10 business days") == 1.0
    assert answer_recall("Card refunds take 5–10 business days.", "Please reset your password.") == 0.0


def test_a_draft_that_quotes_the_wrong_sentence_of_the_right_article_is_grounded_but_not_answered() -> None:
    """Issue 32: a person judging drafts counts the right article at the wrong sentence as a rewrite; grounding alone
    called the badge right (realistic check half: 47 of 51 "likely sent" drafts grounded, 36 holding the answer)."""
    rows = [LabelledDraft(f"q{n}", "refund-policy", "Card refunds take 5–10 business days.") for n in range(3)]
    rows.append(LabelledDraft("q3", None, None))

    def outcome(grounded: bool, confidence: float, recall: float | None) -> Outcome:
        likely = confidence >= 0.75
        return Outcome(grounded, confidence, False, "answer", likely, recall, 1.0)

    report = score(
        rows,
        [
            outcome(True, 0.95, 0.2),  # the right article, another sentence of it: confident and wrong
            outcome(True, 0.8, 1.0),  # the answer
            outcome(True, 0.5, 0.5),  # the answer, with half of its key words
            outcome(False, 0.3, None),  # no article answers: not grounded
        ],
    )
    assert report["auroc"] == 1.0 and report["likely_sent_grounded"] == 1.0
    assert report["answered_auroc"] == 0.5 and report["likely_sent_answered"] == 0.5


def test_the_threshold_maximises_drafts_that_are_right() -> None:
    # Unanswerable lines at 0.2, 0.3 and 0.5; a grounded answer at 0.6: only a cut at 0.6 gets all four right.
    assert best_threshold([0.2, 0.3, 0.6, 0.5], [False, False, True, False], [True, True, False, True]) == 0.6
    # Abstaining on an answerable question is a miss too: a cut above 0.6 would lose the grounded answer.
    assert best_threshold([0.2, 0.6, 0.7], [False, True, True], [True, False, False]) == 0.6


def test_the_badge_margin_is_the_smallest_at_which_badged_drafts_hold_the_answer_as_often_as_the_badge_says() -> None:
    # (margin, answered): the two thin margins quote the wrong sentence; from 0.1 three of the four kept answer.
    badged = [(0.02, False), (0.05, False), (0.12, True), (0.3, True), (0.4, False), (0.6, True)]
    assert likely_sent_margin(badged) == 0.1
    assert likely_sent_margin([(0.3, True), (0.1, True), (0.0, True), (0.2, False)]) == 0.0
    assert likely_sent_margin([(0.3, False)]) == 0.5  # none holds the answer: the strictest cut
    assert likely_sent_margin([]) == 0.5


@pytest.mark.model
def test_eval_drafts_prints_every_figure(tmp_path: Path) -> None:
    lines = (DATA / "drafts_check.jsonl").read_text().splitlines()
    queries = tmp_path / "q.jsonl"
    queries.write_text("\n".join(lines[:12] + [line for line in lines if '"gold": null' in line][:3]) + "\n")
    result = CliRunner().invoke(main, ["eval", "drafts", "--kb", "kb_docs", "--queries", str(queries)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["n"] == 15 and report["mode"] == "offline"
    for key in ("grounded_at_1", "answer_recall", "abstain_precision", "abstain_recall", "auroc", "ece", "p50_ms"):
        assert key in report
    assert 0 <= report["grounded_at_1"] <= 1 and report["p50_ms"] > 0


@pytest.mark.model
def test_eval_drafts_reports_the_drafts_regenerate_offers_after_each_line(tmp_path: Path) -> None:
    """Each question has one other candidate: the first draft of the first is on the deletion article and
    Regenerate offers the privacy one; the second's the other way round."""
    queries = tmp_path / "q.jsonl"
    erase = "A client of ours wants their personal data erased under GDPR. How do we do that"
    lines = [{"query": f"{erase}?", "gold": "privacy-gdpr"}, {"query": f"{erase} in Lumen?", "gold": "privacy-gdpr"}]
    queries.write_text("".join(json.dumps(line) + "\n" for line in lines))
    args = ["eval", "drafts", "--kb", "kb_docs", "--queries", str(queries)]

    result = CliRunner().invoke(main, [*args, "--regenerate"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    offered = report["regenerated"]
    assert offered["drafts"] == 2 and offered["on_gold"] == 0.5 and offered["likely_sent"] == 0
    assert 0 < offered["mean_shown"] < 0.75
    refused = CliRunner().invoke(main, ["eval", "drafts", "--from-db", "--queries", str(queries), "--regenerate"])
    assert refused.exit_code == 1 and "--from-db scores stored drafts" in refused.output


def test_eval_drafts_in_llm_mode_needs_a_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"query": "a", "gold": null}\n')
    result = CliRunner().invoke(main, ["eval", "drafts", "--kb", "kb_docs", "--queries", str(queries), "--mode", "llm"])
    assert result.exit_code == 1 and "OPENAI_BASE_URL" in result.output


@pytest.mark.model
def test_training_writes_models_the_product_loads(tmp_path: Path) -> None:
    lines = (DATA / "drafts_fit.jsonl").read_text().splitlines()
    unanswerable = [line for line in lines if '"gold": null' in line]
    queries = tmp_path / "fit.jsonl"
    queries.write_text("\n".join([*lines[:30], *unanswerable[:10]]) + "\n")
    report = fit(
        queries=(queries,),
        selector_target=tmp_path / "answers.json",
        target=tmp_path / "confidence.json",
        needs_target=tmp_path / "needs.json",
        selection_from=None,
        tickets_from=None,
    )
    assert 0 <= report["abstain_below"] < 1 and report["fitted_on"] == "40 questions of fit.jsonl"
    SelectorWeights.load(tmp_path / "answers.json")
    model = ConfidenceModel.load(tmp_path / "confidence.json")
    assert model.threshold == report["abstain_below"] and model.likely_sent_margin == report["likely_sent_margin"]
    needs = NeedModel.load(tmp_path / "needs.json")
    assert set(needs.classes) == {Need.ANSWER, Need.UNANSWERED} and report["needs"]["lines"] == 40
    read = needs.probabilities([0.0] * needs.weights.shape[1])  # two classes: one row of weights each
    assert set(read) == {Need.ANSWER, Need.UNANSWERED} and abs(sum(read.values()) - 1) < 1e-9


def test_a_feature_constant_up_to_float_noise_gets_no_weight() -> None:
    """Defect (issue 32): MiniLM dimensions that are 0 within 1e-32 for every text were standardised by that spread,
    and the need model stored weights of 1e31 for them, reading float noise as up to a logit of evidence."""
    import random

    rng = random.Random(3)
    xs = [[rng.gauss(0, 1), rng.gauss(0, 1e-33)] for _ in range(200)]
    ys = [x[0] + rng.gauss(0, 0.5) > 0 for x in xs]
    weights, _ = linear(xs, ys, c=0.5)
    assert abs(weights[0]) > 0.5 and abs(weights[1]) < 1.0


def test_the_need_model_takes_the_c_with_the_best_out_of_fold_accuracy() -> None:
    """Defect (issue 32): the need model's C was fixed at 0.2 (chosen from 0.05, 0.2 and 1.0); over 384 embedding
    dimensions and 811 lines it learnt the fit lines' wording ("what can an admin do that a normal member can't?" read
    89 % a lead's call). The trainer now picks C from a grid by out-of-fold accuracy, reports each, and stores the
    model fitted with it; the figures are out of fold: on noise alone they stay near the majority share (in sample,
    300 noise features separate 240 lines perfectly)."""
    import random

    rng = random.Random(5)

    def lines(signal: float) -> tuple[list[LabelledDraft], list[list[float]]]:
        rows, xs = [], []
        for n in range(240):
            answerable = n % 3 != 0
            gold, stance = ("a", "answer") if answerable else (None, "escalate")
            rows.append(LabelledDraft(query=f"q{n}", gold=gold, stance=stance))
            xs.append([(signal if answerable else -signal) + rng.gauss(0, 1), *(rng.gauss(0, 1) for _ in range(300))])
        return rows, xs

    cs = (0.003, 0.03, 0.3, 3.0)
    coefficients, informed, decline = fit_needs(*lines(1.0), cs=cs)
    _, noise, _ = fit_needs(*lines(0.0), cs=cs)
    accuracy = {float(c): a for c, a in informed["out_of_fold_need_accuracy"].items()}
    assert set(accuracy) == set(cs) and accuracy[informed["c"]] == max(accuracy.values())
    assert coefficients["fitted_on"].endswith(f"C={informed['c']}")  # the stored model is the one chosen
    assert max(noise["out_of_fold_need_accuracy"].values()) < 0.72 < accuracy[informed["c"]]
    assert len(decline) == 240 and all(0 <= d <= 1 for d in decline)


# The ticket-style labelled files: each gold answer is quoted from its article (the issue-15 files paraphrase theirs).
QUOTING = (
    "drafts_real_fit.jsonl",
    "drafts_real_check.jsonl",
    "drafts_tickets_fit.jsonl",
    "drafts_contrast_fit.jsonl",
    "drafts_whether_fit.jsonl",
    "repeats_queries_fit.jsonl",
    "repeats_queries_check.jsonl",
    "demo_gold.jsonl",
)


def _plain(text: str) -> str:
    return " ".join(clean(text).split())


@pytest.fixture(scope="module")
def articles() -> dict[str, str]:
    """Each shipped article's text as plain words, by id."""
    parsed = [parse_file(path.name, path.read_bytes()) for path in sorted(KB_DOCS.glob("*.md"))]
    return {a.article_id: _plain(a.text) for a in parsed}


@pytest.mark.parametrize("name", QUOTING)
def test_every_gold_answer_of_a_ticket_style_file_is_quoted_from_its_article(
    name: str, articles: dict[str, str]
) -> None:
    # A paraphrased gold answer measures recall against words the drafter can never quote.
    rows = [r for r in load_labelled(DATA / name) if r.gold is not None]
    assert rows
    for row in rows:
        assert row.gold in articles, f"{name}: no article {row.gold!r}"
        answer = _plain(row.answer or "")
        sentences = [s.rstrip(".") for s in re.split(r"(?<=[.!?:])\s+", answer) if s]
        assert answer in articles[row.gold] or all(s in articles[row.gold] for s in sentences), (name, row.query[:60])


def test_no_fit_line_asks_what_a_check_line_asks() -> None:
    # The same words but one are the same question, and so is a short one reworded for the same answer ("ISO 27001
    # certified?" / "r u iso 27001 certified"): a check line a model was fitted on measures nothing.
    fit = {"drafts_fit.jsonl", "drafts_real_fit.jsonl", "drafts_tickets_fit.jsonl", "drafts_contrast_fit.jsonl"}
    fit |= {"drafts_whether_fit.jsonl", "repeats_queries_fit.jsonl"}
    check = {"drafts_check.jsonl", "drafts_real_check.jsonl", "repeats_queries_check.jsonl", "demo_gold.jsonl"}
    lines = {name: [(frozenset(words(r.query)), r.answer) for r in load_labelled(DATA / name)] for name in fit | check}
    same = [
        (f, c, sorted(a))
        for f in sorted(fit)
        for c in sorted(check)
        for a, answer in lines[f]
        for b, other in lines[c]
        if a | b and len(a & b) >= (0.5 if answer is not None and answer == other else 0.8) * len(a | b)
    ]
    assert not same
