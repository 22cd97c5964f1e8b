"""Ingest and search against real chromadb and the real MiniLM model."""

from __future__ import annotations

import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select

from assist.domain import SearchMode
from assist.errors import NotFoundError, ValidationError
from assist.kb import KnowledgeBase
from assist.store import session_scope
from assist.store.models import AuditEventRow
from assist.users import OPERATOR
from tests.conftest import KB_DOCS, article

pytestmark = pytest.mark.model

REFUNDS = article(
    "refunds",
    "Refund policy",
    "## Annual plans\nAnnual plans are refunded in full within 30 days of renewal.\n\n"
    "## Card refunds\nCard refunds take 5 to 10 business days to appear on the statement.",
)
PASSWORD = article(
    "password-reset",
    "Reset your password",
    "Click Forgot password on the sign-in page. The reset link is valid for 60 minutes.",
    category="account",
)
WEBHOOKS = article(
    "webhooks",
    "Set up webhooks",
    "Add an HTTPS endpoint under Settings, Developers. Failed deliveries are retried for 3 days.",
    category="technical",
    product="api",
)


def _ingest(kb: KnowledgeBase, *files: tuple[str, bytes], **kwargs: object) -> object:
    return kb.ingest_files(list(files), actor=OPERATOR, **kwargs)  # type: ignore[arg-type]


def _top(kb: KnowledgeBase, query: str, **kwargs: object) -> str | None:
    hits = kb.search(query, k=3, **kwargs)  # type: ignore[arg-type]
    return hits[0].article_id if hits else None


def test_ingest_then_search_finds_the_answering_article(knowledge_base: KnowledgeBase) -> None:
    report = _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD), ("hooks.md", WEBHOOKS))
    assert report.added == ("password-reset", "refunds", "webhooks")
    assert _top(knowledge_base, "when will my money be back on my card?") == "refunds"
    assert _top(knowledge_base, "i forgot my login") == "password-reset"
    hit = knowledge_base.search("my money back on my card", k=1)[0]
    assert 0 <= hit.score <= 1
    assert hit.passages[0].heading == "Card refunds"


def test_chunks_in_chroma_carry_the_article_metadata(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS))
    stored = knowledge_base.collection.get(include=["metadatas", "documents"])
    metas = sorted(stored["metadatas"] or [], key=lambda m: int(m["chunk_index"]))
    assert [m["chunk_index"] for m in metas] == list(range(len(metas)))
    first = metas[0]
    assert {k: first[k] for k in ("article_id", "title", "category", "product", "updated", "source")} == {
        "article_id": "refunds",
        "title": "Refund policy",
        "category": "billing",
        "product": "all",
        "updated": "2026-10-01",
        "source": "refunds.md",
    }
    assert all(doc.startswith("Refund policy") for doc in stored["documents"] or [])


def test_reingesting_unchanged_articles_embeds_nothing(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD))
    before = knowledge_base.collection.count()
    again = _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD))
    assert again.unchanged == ("password-reset", "refunds") and again.chunks_embedded == 0
    assert knowledge_base.collection.count() == before


def test_changed_article_replaces_its_chunks(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS))
    changed = article("refunds", "Refund policy", "Refunds are no longer offered; we give account credit instead.")
    report = _ingest(knowledge_base, ("refunds.md", changed))
    assert report.updated == ("refunds",)
    docs = knowledge_base.collection.get(include=["documents"])["documents"] or []
    assert docs and all("account credit" in d for d in docs)
    assert "account credit" in knowledge_base.search("refund", k=1)[0].passages[0].text


def test_sync_removes_articles_that_disappeared(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD))
    report = _ingest(knowledge_base, ("refunds.md", REFUNDS), remove_missing=True)
    assert report.removed == ("password-reset",)
    assert [a.id for a in knowledge_base.list_articles()] == ["refunds"]
    metas = knowledge_base.collection.get(include=["metadatas"])["metadatas"] or []
    assert {m["article_id"] for m in metas} == {"refunds"}


def test_a_sync_of_a_folder_with_no_articles_is_refused_and_removes_nothing(
    knowledge_base: KnowledgeBase, tmp_path: Path
) -> None:
    """`kb ingest EMPTY --sync` (an unmounted share, an empty clone) removed every article of its source; the
    folder source's guard now lives here, where every sync of files goes through."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "faq.md").write_bytes(article("faq", "FAQ", "Answers."))
    knowledge_base.ingest_paths([docs], actor=OPERATOR, remove_missing=True, source="handbook")
    (docs / "faq.md").unlink()
    with pytest.raises(ValidationError, match="holds no articles"):
        knowledge_base.ingest_paths([docs], actor=OPERATOR, remove_missing=True, source="handbook")
    assert [a.id for a in knowledge_base.list_articles()] == ["faq"]


def test_a_sync_removes_only_its_own_sources_articles(knowledge_base: KnowledgeBase) -> None:
    """Defect (issue 37): one global "remove missing" flag; a sync of a second source deleted every article of the
    first. Each article keeps the source it came from, and a source's sync removes only its own."""
    _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD), source="handbook", remove_missing=True)
    website = _ingest(knowledge_base, ("webhooks.md", WEBHOOKS), source="site")
    assert website.added == ("webhooks",)  # type: ignore[attr-defined]
    synced = _ingest(knowledge_base, ("webhooks.md", WEBHOOKS), source="site", remove_missing=True)
    assert synced.removed == () and synced.unchanged == ("webhooks",)  # type: ignore[attr-defined]
    handbook = _ingest(knowledge_base, ("refunds.md", REFUNDS), source="handbook", remove_missing=True)
    assert handbook.removed == ("password-reset",)  # type: ignore[attr-defined]
    assert sorted(a.id for a in knowledge_base.list_articles()) == ["refunds", "webhooks"]
    assert [(k.name, k.articles) for k in knowledge_base.sources()] == [("handbook", 1), ("site", 1)]
    # An id belongs to one source: another source's file with it is refused, and its sync then removes nothing.
    taken = _ingest(knowledge_base, ("refunds.md", REFUNDS), source="site", remove_missing=True)
    assert "belongs to the knowledge source 'handbook'" in taken.failed[0].error  # type: ignore[attr-defined]
    assert taken.removed == ()  # type: ignore[attr-defined]
    knowledge_base.reindex(actor=OPERATOR)  # a re-index keeps each article's source
    assert _ingest(knowledge_base, source="site", remove_missing=True).removed == ("webhooks",)  # type: ignore[attr-defined]
    assert [a.id for a in knowledge_base.list_articles()] == ["refunds"]
    with pytest.raises(ValidationError, match="knowledge source"):
        _ingest(knowledge_base, ("refunds.md", REFUNDS), source=" ")


def test_delete_removes_article_vectors_and_is_audited(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD))
    knowledge_base.delete("password-reset", actor=OPERATOR)
    assert _top(knowledge_base, "forgot password reset link") == "refunds"
    with session_scope(knowledge_base.engine) as session:
        actions = session.scalars(select(AuditEventRow.action).where(AuditEventRow.entity_type == "article")).all()
    assert sorted(actions) == ["kb.delete", "kb.ingest", "kb.ingest"]
    with pytest.raises(NotFoundError):
        knowledge_base.delete("password-reset", actor=OPERATOR)


class _FailingEmbedder:
    """Wraps the real model and fails on the Nth batch, like a crash halfway through an ingest."""

    def __init__(self, real: object, fail_on_call: int) -> None:
        self.real, self.calls, self.fail_on_call = real, 0, fail_on_call
        self.dimensions = 384

    def encode(self, texts: list[str], *, batch_size: int = 32) -> object:
        self.calls += 1
        if self.calls >= self.fail_on_call:
            raise RuntimeError("out of memory")
        return self.real.encode(texts, batch_size=batch_size)  # type: ignore[attr-defined]


def _snapshot(kb: KnowledgeBase) -> list[tuple[str, float, tuple[str, ...]]]:
    return [(h.article_id, h.score, tuple(p.text for p in h.passages)) for h in kb.search("refund on my card", k=5)]


def test_failed_embedding_leaves_the_index_as_it_was(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD))
    before, listed = _snapshot(knowledge_base), knowledge_base.list_articles()
    real = knowledge_base.embedder
    knowledge_base.embedder = _FailingEmbedder(real, fail_on_call=1)  # type: ignore[assignment]
    changed = article("refunds", "Refund policy", "Completely different text about gift cards.")
    with pytest.raises(RuntimeError):
        _ingest(knowledge_base, ("refunds.md", changed), ("hooks.md", WEBHOOKS))
    knowledge_base.embedder = real
    assert _snapshot(knowledge_base) == before
    assert knowledge_base.list_articles() == listed


def test_failure_after_vectors_were_written_hides_them_and_cleans_up(
    knowledge_base: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS))
    before = _snapshot(knowledge_base)

    def database_down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("database went away")

    monkeypatch.setattr("assist.kb.knowledge_base.audit.record", database_down)
    changed = article("refunds", "Refund policy", "Completely different text about gift cards.")
    with pytest.raises(ConnectionError):
        _ingest(knowledge_base, ("refunds.md", changed))
    monkeypatch.undo()
    assert _snapshot(knowledge_base) == before  # the new vectors exist but are not searchable
    assert knowledge_base.collect_garbage() > 0
    assert _snapshot(knowledge_base) == before


def test_category_and_product_filters(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD), ("hooks.md", WEBHOOKS))
    assert {h.article_id for h in knowledge_base.search("refund password webhook", k=5, category="account")} == {
        "password-reset"
    }
    assert {h.category for h in knowledge_base.search("retries", k=5, product="api")} <= {
        "technical",
        "billing",
        "account",
    }
    assert "webhooks" not in {h.article_id for h in knowledge_base.search("webhook", k=5, product="web")}
    assert "webhooks" in {h.article_id for h in knowledge_base.search("webhook", k=5, product="api")}


def test_min_score_drops_weak_matches(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD))
    assert knowledge_base.search("quantum chromodynamics lecture notes", k=5, min_score=0.35) == []
    assert knowledge_base.search("refund annual plan", k=5, min_score=0.35)


@pytest.mark.parametrize("mode", list(SearchMode))
def test_every_mode_finds_an_exact_keyword_question(knowledge_base: KnowledgeBase, mode: SearchMode) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD), ("hooks.md", WEBHOOKS))
    assert _top(knowledge_base, "webhook deliveries retried", mode=mode) == "webhooks"


def test_empty_knowledge_base_returns_no_hits_and_empty_query_is_refused(knowledge_base: KnowledgeBase) -> None:
    assert knowledge_base.search("anything") == []
    with pytest.raises(ValidationError, match="empty"):
        knowledge_base.search("   ")


def test_hostile_query_text_is_just_text(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS))
    for query in ["'; DROP TABLE kb_chunks; --", '{"$ne": null}', "<script>alert(1)</script>", "x" * 50_000]:
        knowledge_base.search(query, k=3)
    assert [a.id for a in knowledge_base.list_articles()] == ["refunds"]


def test_bad_files_are_reported_and_good_ones_still_ingested(knowledge_base: KnowledgeBase) -> None:
    report = _ingest(knowledge_base, ("refunds.md", REFUNDS), ("x.pdf", b"not a pdf"), ("dup.md", REFUNDS))
    assert report.added == ("refunds",)
    assert [f.source for f in report.failed] == ["x.pdf", "dup.md"]
    assert "already used by refunds.md" in report.failed[1].error


def test_reindex_reembeds_every_article(knowledge_base: KnowledgeBase) -> None:
    _ingest(knowledge_base, ("refunds.md", REFUNDS), ("pw.md", PASSWORD))
    report = knowledge_base.reindex(actor=OPERATOR)
    assert report.updated == ("password-reset", "refunds") and report.chunks_embedded > 0
    assert _top(knowledge_base, "forgot my password") == "password-reset"


def test_a_reindex_reports_progress_as_it_goes(knowledge_base: KnowledgeBase) -> None:
    """Defect (issue 34): re-indexing the demo's articles showed 0 % for 26 s (progress came every 256 passages)."""
    knowledge_base.ingest_paths([KB_DOCS], actor=OPERATOR)
    steps: list[tuple[int, int]] = []
    report = knowledge_base.reindex(actor=OPERATOR, progress=lambda done, total, _: steps.append((done, total)))
    done = [d for d, _ in steps]
    total = report.chunks_embedded
    assert total > 64 and done[0] == 0 and done[-1] == total and all(t == total for _, t in steps)
    assert max(b - a for a, b in pairwise(done)) <= 32
    assert (
        _top(knowledge_base, "how long does a refund take to reach my card") == "refund-policy"
    )  # vectors kept their passages


def test_ingesting_unchanged_articles_does_not_load_the_encoder(knowledge_base: KnowledgeBase) -> None:
    """Defect (issue 34): every `make run` loaded the encoder in `kb ingest kb_docs` to embed nothing."""
    from assist.embeddings import Embedder

    _ingest(knowledge_base, ("refunds.md", REFUNDS))
    fresh = Embedder()  # what a new `kb ingest` process builds
    restarted = KnowledgeBase(
        engine=knowledge_base.engine, collection=knowledge_base.collection, embedder=fresh, max_upload_bytes=1_000_000
    )
    report = _ingest(restarted, ("refunds.md", REFUNDS))
    assert report.unchanged == ("refunds",) and not fresh.loaded
    assert _top(restarted, "refund annual plan") == "refunds" and fresh.loaded  # loaded when first needed


def test_a_second_process_sees_changes_made_by_another(knowledge_base: KnowledgeBase) -> None:
    other = KnowledgeBase(
        engine=knowledge_base.engine,
        collection=knowledge_base.collection,
        embedder=knowledge_base.embedder,
        max_upload_bytes=1_000_000,
    )
    _ingest(knowledge_base, ("refunds.md", REFUNDS))
    assert _top(other, "refund annual plan") == "refunds"
    _ingest(knowledge_base, ("pw.md", PASSWORD))
    assert _top(other, "forgot my password reset link", mode=SearchMode.BM25) == "password-reset"


def test_a_database_restored_from_a_backup_under_a_running_app_serves_the_articles_it_holds(
    knowledge_base: KnowledgeBase, tmp_path: Path
) -> None:
    """Defect: the in-memory passage set was rebuilt only when the generation number changed. A restored backup
    takes the number back, the next change brings it to the same number again, and the process kept serving the
    articles of before the restore: the new article was missing and a deleted one still answered."""
    _ingest(knowledge_base, ("refunds.md", REFUNDS))
    backup = tmp_path / "backup.db"
    live_file = Path(str(knowledge_base.engine.url.database))
    with sqlite3.connect(live_file) as live, sqlite3.connect(backup) as copy:
        live.backup(copy)
    _ingest(knowledge_base, ("pw.md", PASSWORD))
    assert _top(knowledge_base, "forgot my password reset link", mode=SearchMode.BM25) == "password-reset"
    with sqlite3.connect(backup) as copy, sqlite3.connect(live_file) as live:
        copy.backup(live)  # the restore, while this process keeps its knowledge base open
    _ingest(knowledge_base, ("webhooks.md", WEBHOOKS))  # the same generation number as before the restore
    assert _top(knowledge_base, "webhook endpoint retried deliveries", mode=SearchMode.BM25) == "webhooks"
    assert _top(knowledge_base, "forgot my password reset link", mode=SearchMode.BM25) != "password-reset"


def test_an_undated_page_synced_on_another_day_is_not_embedded_again(
    knowledge_base: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect (issue 37): an HTML page (or a PDF, or markdown without `updated:`) states no date, so it got the day
    it was parsed, and its content hash with it: a nightly sync re-embedded every such page every day."""
    import datetime as real
    import types

    from assist.kb import parsers

    page = (
        b"<html><head><title>Refunds</title></head><body><h1>Refunds</h1>"
        b"<p>Refunds take 5 to 10 business days to reach your card.</p></body></html>"
    )

    def parsed_on(day: int) -> None:
        class Today(real.datetime):
            @classmethod
            def now(cls, tz: real.tzinfo | None = None) -> Today:
                return cls(2026, 3, day, 9, tzinfo=tz)

        monkeypatch.setattr(parsers, "dt", types.SimpleNamespace(date=real.date, datetime=Today, UTC=real.UTC))

    parsed_on(1)
    first = _ingest(knowledge_base, ("refunds.html", page))
    parsed_on(2)
    again = _ingest(knowledge_base, ("refunds.html", page))
    assert first.added == ("refunds",)  # type: ignore[attr-defined]
    assert again.unchanged == ("refunds",) and again.chunks_embedded == 0  # type: ignore[attr-defined]
    assert knowledge_base.get_article("refunds").updated == "2026-03-01"  # the day it was first seen
    dated = b"---\nupdated: 2026-03-05\n---\n# Refunds\n\nRefunds take 5 to 10 business days.\n"
    _ingest(knowledge_base, ("dated.md", dated))
    changed = _ingest(knowledge_base, ("dated.md", dated.replace(b"2026-03-05", b"2026-03-06")))
    assert changed.updated == ("dated",)  # type: ignore[attr-defined]  # a date the article states still counts


def test_a_reindex_keeps_an_undated_pages_hash_so_the_next_sync_embeds_nothing(
    knowledge_base: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect (issue 37): a re-index rebuilt each article from its stored row with the date counted in its hash,
    so every undated page was embedded once more at the next sync."""
    import datetime as real
    import types

    from assist.kb import parsers

    page = b"<html><body><h1>Refunds</h1><p>Refunds take 5 to 10 business days to reach your card.</p></body></html>"

    class Today(real.datetime):
        @classmethod
        def now(cls, tz: real.tzinfo | None = None) -> Today:
            return cls(2026, 3, 1, 9, tzinfo=tz)

    monkeypatch.setattr(parsers, "dt", types.SimpleNamespace(date=real.date, datetime=Today, UTC=real.UTC))
    _ingest(knowledge_base, ("refunds.html", page))
    knowledge_base.reindex(actor=OPERATOR)
    monkeypatch.setattr(parsers, "dt", real)  # the next sync runs on another day
    again = _ingest(knowledge_base, ("refunds.html", page))
    assert again.unchanged == ("refunds",) and again.chunks_embedded == 0  # type: ignore[attr-defined]
