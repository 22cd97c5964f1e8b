"""Widgets of the knowledge-base admin page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pandas as pd
import streamlit as st

from assist import GOOD_MATCH, ArticleSummary, Category, Hit, IngestReport, KnowledgeSource, good_match
from ui.format import escape_markdown, kb_text

ANY = "any"


def progress_reporter(bar: st.delta_generator.DeltaGenerator) -> Callable[[int, int, str], None]:
    def report(done: int, total: int, message: str) -> None:
        bar.progress(done / total if total else 1.0, text=message)

    return report


def ingest_report(report: IngestReport) -> None:
    done = len(report.added) + len(report.updated)
    if done:
        st.success(
            f"Indexed {done} article(s): {len(report.added)} new, {len(report.updated)} updated "
            f"({report.chunks_embedded} passages)."
        )
    if report.unchanged:
        st.info(
            escape_markdown(
                f"{len(report.unchanged)} article(s) were unchanged and skipped: {', '.join(report.unchanged)}."
            )
        )
    for failure in report.failed:
        st.error(escape_markdown(failure.error))


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "never"


def source_table(sources: list[KnowledgeSource]) -> None:
    if not sources:
        st.caption(
            "Articles come from uploads below, or from a folder, a Git repository or a website configured with "
            "`python -m assist kb sources add NAME KIND LOCATION` and synced here."
        )
        return
    st.dataframe(
        pd.DataFrame(
            {
                "Source": [s.name for s in sources],
                "Syncs from": [f"{s.kind}: {s.location}" if s.configured else "uploads and kb ingest" for s in sources],
                "Articles": [s.articles for s in sources],
                "Passages": [s.passages for s in sources],
                "Last sync": [_when(s.last_sync_at) if s.configured else "" for s in sources],
                "What it did": [s.last_outcome or "" for s in sources],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    for s in sources:  # a failing source stands out, with what to fix
        if s.last_error:
            st.warning(escape_markdown(f"{s.name}: {s.last_error}"), icon=":material/sync_problem:")


def article_table(articles: list[ArticleSummary]) -> None:
    if not articles:
        st.info("The knowledge base is empty. Upload articles above, or run `python -m assist kb ingest kb_docs`.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "Article": [a.id for a in articles],
                "Title": [a.title for a in articles],
                "Category": [a.category for a in articles],
                "Product": [a.product for a in articles],
                "Chunks": [a.chunk_count for a in articles],
                "Updated": [a.updated for a in articles],
                "Ingested": [f"{a.ingested_at:%Y-%m-%d %H:%M}" for a in articles],
                "By": [a.ingested_by for a in articles],
                "Source": [a.origin for a in articles],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def category_choice(label: str, key: str, *, allow_any: bool) -> str | None:
    options = ([ANY] if allow_any else []) + [c.value for c in Category]
    choice = st.selectbox(
        label, options, key=key, format_func=lambda c: "From the file / any" if c == ANY else Category(c).label
    )
    return None if choice == ANY else choice


def hits(results: list[Hit]) -> None:
    if not results:
        st.info("No article matches. Try other words or remove the category filter.")
        return
    if not good_match(results):
        st.warning(
            f"No good match: the closest article scores {results[0].score:.2f}, below {GOOD_MATCH:.2f}. "
            "The knowledge base probably does not answer this; the closest articles follow.",
            icon=":material/search_off:",
        )
    for n, hit in enumerate(results, start=1):
        with st.expander(f"{n}. {escape_markdown(hit.title)} — score {hit.score:.2f}", expanded=n == 1):
            st.caption(
                escape_markdown(f"{hit.article_id} · {hit.category} · {hit.product} · updated {hit.updated}") + " · "
                f"semantic {hit.dense_score:.2f} (rank {hit.dense_rank or '—'}) · "
                f"keyword {hit.bm25_score:.1f} (rank {hit.bm25_rank or '—'})"
            )
            for passage in hit.passages:
                st.markdown(f"**{escape_markdown(passage.heading or hit.title)}**  \n{kb_text(passage.text)}")
