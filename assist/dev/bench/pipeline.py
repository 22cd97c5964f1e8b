"""The whole assist pipeline, offline and warm, on the demo workspace; next to embedding one query.

One encoder pass per ticket is shared by triage, retrieval and the offline drafter; sentiment runs
its own fine-tuned copy of the encoder. The ratio shows what the rest of the pipeline adds.
"Warm" means every ticket was assisted once before timing, so the drafter has the sentence vectors
of the articles it uses (the first use of an article costs one extra batch encode, ~50 ms).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from assist.config import Settings
from assist.demo import seed_demo
from assist.dev.bench.timing import percentile, summary_ms
from assist.drafting.thread import retrieval_query
from assist.factories import build_assistant, build_engine
from assist.pipeline import compute_assistance
from assist.store.db import session_scope
from assist.store.models import TicketRow
from assist.store.tickets import ticket_detail
from assist.users import OPERATOR

KB_DOCS = Path(__file__).parents[3] / "kb_docs"


def run(*, tickets: int = 60, rounds: int = 2, **_options: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = Settings(
            database_url=f"sqlite:///{work / 'bench.db'}",
            chroma_path=work / "chroma",
            chroma_host=None,
            openai_api_key=None,
            openai_base_url=None,
            triage_model_path=work / "triage.skops",
            otlp_endpoint=None,
        )
        engine = build_engine(settings)
        seed_demo(engine)
        assistant = build_assistant(settings, engine=engine)
        assistant.knowledge_base.ingest_paths([KB_DOCS], actor=OPERATOR)
        with session_scope(engine) as session:
            ids = list(session.scalars(select(TicketRow.id).order_by(TicketRow.created_at.desc()).limit(tickets)))
            queries = [retrieval_query(ticket_detail(session, ticket_id=i)) for i in ids]
        for ticket_id in ids:  # warm: every article's sentence vectors cached, BM25 built, lazy init done
            compute_assistance(assistant, ticket_id=ticket_id)
        totals: list[float] = []
        embeds: list[float] = []
        steps: dict[str, list[float]] = {}
        for _ in range(rounds):
            for ticket_id, query in zip(ids, queries, strict=True):
                started = time.perf_counter()
                result = compute_assistance(assistant, ticket_id=ticket_id)
                totals.append(time.perf_counter() - started)
                for name, ms in result.timings_ms.items():
                    steps.setdefault(name, []).append(ms)
                started = time.perf_counter()
                assistant.embedder.encode_one(query)
                embeds.append(time.perf_counter() - started)
        engine.dispose()
    ours, embed = summary_ms(totals), summary_ms(embeds)
    return {
        "runs": len(totals),
        "p50_ms": ours["p50_ms"],
        "p95_ms": ours["p95_ms"],
        "embed_query_p95_ms": embed["p95_ms"],
        "ratio": round(ours["p95_ms"] / embed["p95_ms"], 3),
        "steps": {name: round(percentile(values, 95), 2) for name, values in steps.items() if name != "total"},
        "mode": "offline",
    }
