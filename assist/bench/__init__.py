"""Benchmarks behind `python -m assist bench [NAME ...]`. Each returns a flat dict of figures;
the CLI prints one JSON object per line: {"bench": NAME, ...}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assist.bench import assist, inbox, kb, metrics, sentiment

Benchmark = Callable[..., dict[str, Any]]

BENCHMARKS: dict[str, Benchmark] = {
    "inbox": inbox.run,
    "kb": kb.run,
    "sentiment": sentiment.run,
    "assist": assist.run,
    "metrics": metrics.run,
    "workspace": lambda **options: _workspace(**options),
}


def _workspace(**options: Any) -> dict[str, Any]:
    # This benchmark measures the Streamlit page itself, so it lives in `ui/` (assist never imports
    # streamlit); the registry only reaches for it when asked.
    import importlib

    return dict(importlib.import_module("ui.bench").run(**options))


__all__ = ["BENCHMARKS", "Benchmark"]
