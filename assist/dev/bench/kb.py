"""Knowledge-base throughput and latency, each next to the raw model cost measured in the same run.

The host is shared and noisy, so the targets are ratios: ingest keeps up with raw embedding
(ingest_ratio), and a hybrid search costs little more than embedding the query (search_ratio).
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from typing import Any

from assist.config import Settings
from assist.demo import content as demo_content
from assist.dev.bench.timing import summary_ms
from assist.embeddings import Embedder
from assist.factories import build_engine, build_knowledge_base
from assist.kb.chunking import chunk_article
from assist.kb.parsers import parse_file
from assist.users import OPERATOR

KB_DOCS = Path(__file__).parents[3] / "kb_docs"
EDITIONS = ("Web", "Mobile", "API", "Agencies", "Nonprofits", "Education", "Enterprise", "Teams", "Solo")


def generate_articles(target: Path, *, editions: tuple[str, ...] = EDITIONS) -> int:
    """Write one variant of every shipped article per edition (37 x 9 = 333 articles)."""
    count = 0
    for source in sorted(KB_DOCS.glob("*.md")):
        text = source.read_text(encoding="utf-8")
        for edition in editions:
            slug = edition.lower()
            variant = re.sub(r"^id: (.+)$", rf"id: \1-{slug}", text, count=1, flags=re.M)
            variant = re.sub(r"^title: (.+)$", rf"title: \1 (Lumen {edition})", variant, count=1, flags=re.M)
            variant = re.sub(r"^product: .+$", f"product: {slug}", variant, count=1, flags=re.M)
            variant = variant.replace("Lumen ", f"Lumen {edition} ")
            (target / f"{source.stem}-{slug}.md").write_text(variant, encoding="utf-8")
            count += 1
    return count


def run(*, rounds: int = 2, editions: tuple[str, ...] = EDITIONS, **_options: Any) -> dict[str, Any]:
    embedder = Embedder()
    questions = [p for topic in demo_content.TOPICS for p in topic.problems]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "kb").mkdir()
        articles = generate_articles(work / "kb", editions=editions)
        parsed = [parse_file(p.name, p.read_bytes()) for p in sorted((work / "kb").glob("*.md"))]
        texts = [c.embed_text(a.title) for a in parsed for c in chunk_article(a)]
        embedder.encode(texts[:64])  # warm-up: first calls pay for lazy initialisation

        started = time.perf_counter()
        embedder.encode(texts)
        embed_s = time.perf_counter() - started

        settings = Settings(
            database_url=f"sqlite:///{work / 'bench.db'}", chroma_path=work / "chroma", chroma_host=None
        )
        kb = build_knowledge_base(settings, engine=build_engine(settings), embedder=embedder)
        started = time.perf_counter()
        report = kb.ingest_paths([work / "kb"], actor=OPERATOR)
        ingest_s = time.perf_counter() - started

        kb.search("warm up the lexical index", k=5)
        embed_times: list[float] = []
        search_times: list[float] = []
        for _ in range(rounds):
            for question in questions:
                t0 = time.perf_counter()
                embedder.encode_one(question)
                embed_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                kb.search(question, k=5)
                search_times.append(time.perf_counter() - t0)
        kb.engine.dispose()

    chunks = report.chunks_embedded
    search_ms, embed_ms = summary_ms(search_times), summary_ms(embed_times)
    ingest_rate, embed_rate = chunks / ingest_s, len(texts) / embed_s
    return {
        "articles": articles,
        "chunks": chunks,
        "ingest_chunks_per_s": round(ingest_rate, 1),
        "embed_chunks_per_s": round(embed_rate, 1),
        "ingest_ratio": round(ingest_rate / embed_rate, 3),
        "queries": len(search_times),
        "search_p50_ms": search_ms["p50_ms"],
        "search_p95_ms": search_ms["p95_ms"],
        "embed_query_p50_ms": embed_ms["p50_ms"],
        "embed_query_p95_ms": embed_ms["p95_ms"],
        "search_ratio": round(search_ms["p95_ms"] / embed_ms["p95_ms"], 3),
    }
