"""Benchmarks behind `python -m assist bench [NAME ...]`. Each returns a flat dict of figures;
the CLI prints one JSON object per line: {"bench": NAME, ...}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assist.dev.bench import inbox, intake, kb, metrics, pipeline, sentiment

Benchmark = Callable[..., dict[str, Any]]

BENCHMARKS: dict[str, Benchmark] = {
    "inbox": inbox.run,
    "kb": kb.run,
    "sentiment": sentiment.run,
    "pipeline": pipeline.run,
    "metrics": metrics.run,
    "intake": intake.run,
    "ticket_page": lambda **options: _tool("bench_ticket_page", **options),
    "browser": lambda **options: _tool("bench_browser", **options),
}


def _tool(name: str, **options: Any) -> dict[str, Any]:
    """Benchmarks of the Streamlit pages are tools beside the UI (`tools/bench_ticket_page.py`,
    `tools/bench_browser.py`), run in their own interpreter: the core never imports the UI."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    args = [sys.executable, "-m", f"tools.{name}"]
    if options.get("tickets"):
        args += ["--tickets", str(options["tickets"])]
    done = subprocess.run(args, cwd=Path(__file__).parents[3], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {name} benchmark failed:\n{done.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


__all__ = ["BENCHMARKS", "Benchmark"]
