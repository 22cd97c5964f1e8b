from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assist.cli import main
from assist.embeddings import Embedder
from tests.conftest import article


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))  # never ./data
    return url


def test_seed_demo_twice_reports_the_same_workspace(db_url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["seed-demo"])
    second = runner.invoke(main, ["seed-demo"])
    assert first.exit_code == 0 and first.output.startswith("Created demo workspace")
    assert second.exit_code == 0 and "Already present" in second.output
    assert first.output.splitlines()[0].split(":")[-1] == second.output.splitlines()[0].split(":")[-1]
    assert "admin@lumen.app" in first.output and "lumen-demo-admin" in first.output  # demo mode prints sign-ins


def test_reset_asks_for_confirmation(db_url: str) -> None:
    runner = CliRunner()
    runner.invoke(main, ["seed-demo"])
    refused = runner.invoke(main, ["seed-demo", "--reset"], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    accepted = runner.invoke(main, ["seed-demo", "--reset"], input="y\n")
    assert accepted.exit_code == 0 and "Created demo workspace" in accepted.output


def test_unreachable_database_is_a_friendly_error() -> None:
    result = CliRunner().invoke(main, ["db", "upgrade", "--url", "postgresql://x@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "Error: Cannot reach the database" in result.output
    assert "Traceback" not in result.output


def test_bench_prints_one_json_line_per_benchmark(db_url: str) -> None:
    result = CliRunner().invoke(main, ["bench", "inbox", "--tickets", "500"])
    assert result.exit_code == 0, result.output
    (line,) = result.output.strip().splitlines()
    figures = json.loads(line)
    assert figures["bench"] == "inbox" and figures["tickets"] == 500
    assert 0 < figures["p50_ms"] <= figures["p95_ms"]


def test_unknown_benchmark_is_refused() -> None:
    result = CliRunner().invoke(main, ["bench", "nope"])
    assert result.exit_code == 2 and "unknown benchmark nope" in result.output


def test_csat_import_reports_row_errors(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["seed-demo"])
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("ticket,score,comment,date\nLUM-10001,5,great,2026-10-01\nLUM-10001,9,,\nNOPE,4,,\n")
    result = runner.invoke(main, ["csat", "import", str(ratings)])
    assert result.exit_code == 1
    assert "imported 1 ratings, 0 already imported, 2 rows with errors" in result.output


@pytest.mark.model
def test_long_steps_say_what_they_do_and_count_in_their_own_unit(db_url: str, tmp_path: Path) -> None:
    """Defect: precompute was silent for 30 s, then showed a bar labelled "Embedding … passage/s" counting tickets."""
    import os

    os.environ["CHROMA_PATH"] = str(tmp_path / "chroma")
    os.environ["TRIAGE_MODEL_PATH"] = str(tmp_path / "none.skops")
    try:
        runner = CliRunner()
        runner.invoke(main, ["seed-demo"])
        result = runner.invoke(main, ["precompute", "1", "2", "--quiet"])
    finally:
        del os.environ["CHROMA_PATH"], os.environ["TRIAGE_MODEL_PATH"]
    assert result.exit_code == 0, result.output
    assert result.output.index("Loading the models") < result.output.index("Preparing assistance")
    assert "2/2" in result.output and " ticket" in result.output and "passage" not in result.output


def test_a_restart_with_nothing_to_prepare_does_not_load_the_models(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect (issue 34): a no-op `make run` loaded the models in `precompute` only to find nothing to do."""
    from assist import factories
    from assist.config import get_settings

    get_settings.cache_clear()
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0

    def loading(*_: object, **__: object) -> None:
        raise AssertionError("the models were loaded")

    monkeypatch.setattr(factories, "build_assistant", loading)
    result = CliRunner().invoke(main, ["precompute", "--all", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "nothing to prepare" in result.output and "Loading the models" not in result.output
    get_settings.cache_clear()


def test_the_progress_bar_starts_again_for_each_stage(capsys: pytest.CaptureFixture[str]) -> None:
    """Defect (issue 37): a crawl reports 3 pages fetched, then 40 passages embedded; the bar kept the first
    stage's total, so it showed 40/3."""
    from assist.cli import _ProgressBar

    with _ProgressBar(unit="step", desc="Fetching and embedding") as bar:
        for done in range(4):
            bar(done, 3, f"Fetched {done} of 3 pages")
        for done in (0, 20, 40):
            bar(done, 40, f"Embedded {done} of 40 passages")
    shown = capsys.readouterr().err
    assert "3/3" in shown and "40/40" in shown and "40/3" not in shown


def test_kb_sources_are_configured_synced_by_name_and_listed_with_their_last_error(
    db_url: str, tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 37: `kb sources add`, `kb sync NAME` / `--all` and `kb sources`; a source that fails is recorded and
    listed, the next one still syncs, and the command exits 1."""
    from assist import factories

    monkeypatch.setattr(factories, "build_embedder", lambda _settings: embedder)
    handbook = tmp_path / "handbook"
    handbook.mkdir()
    (handbook / "refunds.md").write_bytes(article("refunds", "Refunds", "Card refunds take 5-10 business days."))
    (tmp_path / "gone").mkdir()
    runner = CliRunner()
    added = runner.invoke(main, ["kb", "sources", "add", "handbook", "folder", str(handbook)])
    assert added.exit_code == 0 and "kb sync handbook" in added.output
    assert runner.invoke(main, ["kb", "sources", "add", "archive", "folder", str(tmp_path / "gone")]).exit_code == 0
    (tmp_path / "gone").rmdir()
    refused = runner.invoke(main, ["kb", "sources", "add", "wiki", "confluence", "https://wiki"])
    assert refused.exit_code == 1 and "use one of: folder, git, sitemap" in refused.output

    synced = runner.invoke(main, ["kb", "sync", "--all"])
    assert synced.exit_code == 1  # "archive" failed (it syncs first) ...
    assert "archive: " in synced.output and "is not a folder" in synced.output
    assert "added 1" in synced.output  # ... and "handbook" still synced after it
    listed = runner.invoke(main, ["kb", "sources"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert any(line.startswith("handbook") and "1 articles" in line and f"folder {handbook}" in line for line in lines)
    assert any("last sync" in line and "1 new" in line for line in lines)
    assert any("last error:" in line and "is not a folder on this machine" in line for line in lines)
    assert runner.invoke(main, ["kb", "sync"]).exit_code == 2  # names nothing: a usage error, before any model loads
