"""Knowledge-base uploads under attack (issue 31, findings 5 and 9).

5: one hostile file (YAML nested 1,900 `[` deep, HTML nested 3,000 `<div>`s, a 10,000-page PDF) aborted the
whole upload or took minutes. Every parser now runs under `assist.kb.guard.run_parser`: limits before the
heavy work, and any failure becomes that file's reported error.
9: `返金ポリシー.md`, `請求書の見方.md` and `Возврат.md` all became the article `article`, each upload silently
replacing the last. Ids now keep such names apart (`parsers.slugify`), and an upload never replaces another
file's article (`KnowledgeBase._refuse_taken_ids`).
"""

from __future__ import annotations

import io
import itertools
import unicodedata

import chromadb
import pytest
from fpdf import FPDF
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from assist.embeddings import Embedder
from assist.errors import ValidationError
from assist.kb import KnowledgeBase, chunk_collection
from assist.kb.guard import ParseLimits
from assist.kb.parsers import SUPPORTED, parse_file, slugify
from assist.kb.vectors import chroma_settings
from assist.users import OPERATOR
from tests.conftest import article

GOOD = ("good.md", article("good", "Refund timing", "Card refunds take five to ten business days."))
DEEP_YAML = b"---\ntitle: " + b"[" * 1900 + b"\n---\n# Deep\n\nText.\n"  # 3.8 kB, under the 4 kB cap
DEEP_HTML = b"<html><body>" + b"<div>" * 3000 + b"Text" + b"</div>" * 3000 + b"</body></html>"


def _pdf(pages: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for n in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 10, f"Page {n + 1}: invoices are emailed on the first of the month.")
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def _kb(engine: Engine, embedder: Embedder, limits: ParseLimits | None = None) -> KnowledgeBase:
    client = chromadb.EphemeralClient(settings=chroma_settings(allow_reset=True))
    client.reset()
    return KnowledgeBase(
        engine=engine,
        collection=chunk_collection(client, embedder),
        embedder=embedder,
        max_upload_bytes=1_000_000,
        parse_limits=limits,
    )


# 5 · one bad file aborts the upload ----------------------------------------------------------------------------


def test_deeply_nested_files_are_reported_and_the_rest_of_the_upload_is_ingested(
    engine: Engine, embedder: Embedder
) -> None:
    kb = _kb(engine, embedder)
    report = kb.ingest_files([("deep.md", DEEP_YAML), ("deep.html", DEEP_HTML), GOOD], actor=OPERATOR)
    assert report.added == ("good",)
    failed = {f.source: f.error for f in report.failed}
    assert "nested too deeply" in failed["deep.md"]
    assert "nested 3,002 levels deep" in failed["deep.html"]
    assert kb.search("how long do card refunds take", k=1)[0].article_id == "good"


def test_a_pdf_over_the_page_limit_is_refused_before_its_pages_are_read(
    sqlite_engine: Engine, embedder: Embedder
) -> None:
    kb = _kb(sqlite_engine, embedder, ParseLimits(max_pages=3))
    report = kb.ingest_files([("long.pdf", _pdf(5)), ("short.pdf", _pdf(2)), GOOD], actor=OPERATOR)
    assert report.added == ("good", "short")
    (failure,) = report.failed
    assert failure.source == "long.pdf" and "5 pages; at most 3 are read" in failure.error


def test_a_parse_over_the_time_limit_is_refused_between_pages() -> None:
    ticks = itertools.count()  # a clock that moves one second each time it is read

    def clock() -> float:
        return float(next(ticks))

    with pytest.raises(ValidationError, match=r"slow\.pdf: reading it took longer than 3 s"):
        parse_file("slow.pdf", _pdf(8), limits=ParseLimits(max_seconds=3), clock=clock)
    assert "Page 2" in parse_file("quick.pdf", _pdf(2), limits=ParseLimits(max_seconds=60), clock=clock).text


def test_extracted_text_over_the_character_limit_is_refused() -> None:
    with pytest.raises(ValidationError, match="more than 100 characters of text"):
        parse_file("wordy.pdf", _pdf(3), limits=ParseLimits(max_chars=100))


def test_any_parser_failure_becomes_the_files_own_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Failures nobody foresaw (here markdownify itself blowing up) are still the file's reported error."""
    from assist.kb import parsers

    def broken(*_: object, **__: object) -> str:
        raise KeyError("surprise")

    monkeypatch.setattr(parsers, "markdownify", broken)
    with pytest.raises(ValidationError, match=r"page\.html: the file could not be read \(KeyError"):
        parse_file("page.html", b"<html><body><p>Hello</p></body></html>")


_FRAGMENTS = st.sampled_from(
    [b"---\n", b"title: ", b"[", b"]", b"{", b"}", b"&a ", b"*a", b"\n", b"<div>", b"</div>", b"<p>", b"<script>",
     b"# ", b"%PDF-1.7\n", b"obj", b"<< /Type /Pages /Count 99999 >>", b"endobj", b"\x00", b"\xff\xfe", b"text "]
)  # fmt: skip
_CONTENT = st.one_of(
    st.binary(max_size=400),
    st.lists(_FRAGMENTS, max_size=60).map(b"".join),
    st.integers(50, 4000).map(lambda n: b"---\ntitle: " + b"[" * n + b"\n---\nText.\n"),
    st.integers(50, 4000).map(lambda n: b"<div>" * n + b"Text"),
    st.integers(50, 3000).map(lambda n: b"<ul><li>" * n),
)


@settings(max_examples=300, deadline=None)
@given(suffix=st.sampled_from(sorted(SUPPORTED)), data=_CONTENT)
def test_any_bytes_under_any_supported_extension_parse_or_are_refused_with_a_reason(suffix: str, data: bytes) -> None:
    try:
        parsed = parse_file(f"upload{suffix}", data, max_bytes=1_000_000)
    except ValidationError as e:
        refused = str(e)
        assert refused.startswith("upload")  # the message names the file
        return
    assert parsed.text and parsed.article_id


def test_an_upload_of_arbitrary_files_ingests_or_reports_each_one(sqlite_engine: Engine, embedder: Embedder) -> None:
    kb = _kb(sqlite_engine, embedder)
    unique = itertools.count()  # the knowledge base lives across examples: every example's files are new ones

    @settings(max_examples=20, deadline=None)
    @given(uploads=st.lists(st.tuples(st.sampled_from(sorted(SUPPORTED)), _CONTENT), min_size=1, max_size=4))
    def ingest(uploads: list[tuple[str, bytes]]) -> None:
        files = [(f"file{next(unique)}{suffix}", data) for suffix, data in uploads]
        report = kb.ingest_files([*files, GOOD], actor=OPERATOR)
        stored = {a.source for a in kb.list_articles()}
        reported = {f.source for f in report.failed}
        for name, _ in [*files, GOOD]:
            assert (name in stored) != (name in reported), name

    ingest()


# 9 · non-Latin file names overwrite each other --------------------------------------------------------------


def test_non_latin_file_names_become_distinct_articles(engine: Engine, embedder: Embedder) -> None:
    kb = _kb(engine, embedder)
    names = ["返金ポリシー.md", "請求書の見方.md", "Возврат.md"]
    for n, name in enumerate(names):  # one upload each, as the probe did
        report = kb.ingest_files([(name, f"# Topic {n}\n\nArticle number {n} about refunds.".encode())], actor=OPERATOR)
        assert len(report.added) == 1 and not report.failed
    articles = kb.list_articles()
    assert sorted(a.source for a in articles) == sorted(names)
    assert len({a.id for a in articles}) == 3
    assert next(a.id for a in articles if a.source == "Возврат.md").startswith("vozvrat-")


def test_an_upload_never_replaces_another_files_article(engine: Engine, embedder: Embedder) -> None:
    kb = _kb(engine, embedder)
    kb.ingest_files([("Refund Policy.md", b"# Refunds\n\nRefunds take five days.")], actor=OPERATOR)
    report = kb.ingest_files([("refund_policy.md", b"# Other\n\nSomething else entirely.")], actor=OPERATOR)
    assert not report.added and not report.updated
    (failure,) = report.failed
    assert "already belongs to Refund Policy.md, so nothing was replaced" in failure.error
    (kept,) = kb.list_articles()
    assert (kept.id, kept.source, kept.title) == ("refund-policy", "Refund Policy.md", "Refunds")
    # the same file again is an update; a file that declares the id takes it over on purpose
    assert kb.ingest_files([("Refund Policy.md", b"# Refunds\n\nNow three days.")], actor=OPERATOR).updated
    moved = kb.ingest_files([("refunds-v2.md", article("refund-policy", "Refunds v2", "Two days."))], actor=OPERATOR)
    assert moved.updated == ("refund-policy",) and not moved.failed


def _significant(name: str) -> str:
    """What a name says, ignoring case, width and ASCII punctuation and spaces."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum() or not ch.isascii())


_NAMES = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from("返金ポリシー請求書の見方ВозвратΕλληνικά한국어éü -_.!"),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(a=_NAMES, b=_NAMES)
@example(a=":", b="ARTICLE")  # found by a clean-clone run: a name of punctuation alone took the fallback "article"
def test_distinct_names_get_distinct_ids(a: str, b: str) -> None:
    first, second = slugify(a), slugify(b)
    assert first == slugify(a)  # stable
    assert len(first) <= 100 and first.isascii() and first.replace("-", "").isalnum()
    if _significant(a) != _significant(b):
        assert first != second, (a, b)
