from __future__ import annotations

from assist.kb.chunking import chunk_article
from assist.kb.parsers import parse_file
from tests.conftest import article

BODY = (
    """Intro paragraph about refunds.

## Monthly plans
Cancel within 14 days for a full refund.

## Annual plans
Full refund within 30 days.

### After 30 days
Unused months minus a 10% fee. """
    + "More words here. " * 40
)


def test_chunks_keep_their_heading_path_and_order() -> None:
    chunks = chunk_article(parse_file("r.md", article("refunds", "Refunds", BODY)))
    assert [c.index for c in chunks] == list(range(len(chunks)))
    headings = [c.heading for c in chunks]
    assert headings[0] == ""  # the h1 equals the title, so it is not repeated
    assert "Monthly plans" in headings
    assert "Annual plans > After 30 days" in headings
    assert sum(h == "Annual plans > After 30 days" for h in headings) > 1  # a long section is split


def test_embedded_text_carries_title_and_heading() -> None:
    chunks = chunk_article(parse_file("r.md", article("refunds", "Refunds", BODY)))
    monthly = next(c for c in chunks if c.heading == "Monthly plans")
    assert monthly.embed_text("Refunds").startswith("Refunds > Monthly plans\nCancel within 14 days")


def test_small_chunk_limit_is_respected() -> None:
    chunks = chunk_article(parse_file("r.md", article("refunds", "Refunds", BODY)), chunk_chars=120, overlap=20)
    assert all(len(c.text) <= 120 for c in chunks)
