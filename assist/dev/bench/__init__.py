"""Benchmarks behind `python -m assist bench [NAME ...]`. Each returns a flat dict of figures;
the CLI prints one JSON object per line: {"bench": NAME, ...}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assist.dev.bench import inbox, kb, metrics, pipeline, sentiment

Benchmark = Callable[..., dict[str, Any]]

BENCHMARKS: dict[str, Benchmark] = {
    "inbox": inbox.run,
    "kb": kb.run,
    "sentiment": sentiment.run,
    "pipeline": pipeline.run,
    "metrics": metrics.run,
    "ticket_page": lambda **options: _ticket_page(**options),
}


def _ticket_page(**options: Any) -> dict[str, Any]:
    """This benchmark measures the Streamlit page itself, so it is a tool beside the UI
    (`tools/bench_ticket_page.py`), run in its own interpreter: the core never imports the UI."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    args = [sys.executable, "-m", "tools.bench_ticket_page"]
    if options.get("tickets"):
        args += ["--tickets", str(options["tickets"])]
    done = subprocess.run(args, cwd=Path(__file__).parents[3], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the ticket page benchmark failed:\n{done.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


__all__ = ["BENCHMARKS", "Benchmark"]
