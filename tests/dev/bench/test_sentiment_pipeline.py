from __future__ import annotations

import pytest

from assist.dev.bench import pipeline as assist_bench
from assist.dev.bench import sentiment as sentiment_bench

pytestmark = pytest.mark.model


def test_sentiment_bench_reports_the_ratio_of_its_own_figures() -> None:
    figures = sentiment_bench.run(rounds=1)
    assert figures["messages"] == len(sentiment_bench.texts())
    assert figures["ratio"] == pytest.approx(figures["p95_ms"] / figures["encoder_p95_ms"], rel=0.01)
    assert figures["batch_per_s"] > 0


def test_assist_bench_breaks_the_time_down_per_step() -> None:
    figures = assist_bench.run(tickets=6, rounds=1)
    assert figures["runs"] == 6 and figures["mode"] == "offline"
    assert set(figures["steps"]) >= {"embed", "retrieve", "sentiment", "draft", "escalate"}
    assert figures["ratio"] == pytest.approx(figures["p95_ms"] / figures["embed_query_p95_ms"], rel=0.01)
