"""Sentiment latency next to one forward pass of the base MiniLM encoder on the same texts.

The shipped classifier is a fine-tuned copy of the same six-layer encoder, so its own cost is one
encoder pass plus a small head and the signal patterns; the ratio shows that overhead.
"""

from __future__ import annotations

import time
from typing import Any

from assist.demo import content as demo_content
from assist.demo import voices
from assist.dev.bench.timing import summary_ms
from assist.domain import ContactHistory
from assist.embeddings import Embedder
from assist.sentiment import SentimentModel, analyze


def texts() -> list[str]:
    opening = voices.OPENINGS
    return [
        template.format(problem=problem)
        for topic in demo_content.TOPICS
        for problem in topic.problems
        for template in (opening["calm"][0], opening["angry"][1])
    ]


def run(*, rounds: int = 2, **_options: Any) -> dict[str, Any]:
    model, encoder = SentimentModel(), Embedder()
    messages = texts()
    for text in messages[:10]:  # warm-up
        model.predict_one(text)
        encoder.encode_one(text)
    single, forward = [], []
    for _ in range(rounds):
        for text in messages:
            t0 = time.perf_counter()
            analyze(model.predict_one(text), text=text, history=ContactHistory(), model=model.name)
            single.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            encoder.encode_one(text)
            forward.append(time.perf_counter() - t0)
    started = time.perf_counter()
    model.predict(messages, batch_size=32)
    batch_s = time.perf_counter() - started
    ours, base = summary_ms(single), summary_ms(forward)
    return {
        "messages": len(single),
        "p50_ms": ours["p50_ms"],
        "p95_ms": ours["p95_ms"],
        "encoder_p50_ms": base["p50_ms"],
        "encoder_p95_ms": base["p95_ms"],
        "ratio": round(ours["p95_ms"] / base["p95_ms"], 3),
        "batch_per_s": round(len(messages) / batch_s, 1),
        "model": model.name,
    }
