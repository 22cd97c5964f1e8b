"""Benchmarks behind `python -m assist bench [NAME ...]`. Each returns a flat dict of figures;
the CLI prints one JSON object per line: {"bench": NAME, ...}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assist.bench import assist, inbox, kb, sentiment

Benchmark = Callable[..., dict[str, Any]]

BENCHMARKS: dict[str, Benchmark] = {
    "inbox": inbox.run,
    "kb": kb.run,
    "sentiment": sentiment.run,
    "assist": assist.run,
}

__all__ = ["BENCHMARKS", "Benchmark"]
