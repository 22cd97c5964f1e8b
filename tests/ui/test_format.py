from __future__ import annotations

from datetime import timedelta

import pytest
from markdown_it import MarkdownIt

from tests.conftest import NOW
from ui.format import ago, escape_markdown

HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "**bold** _it_ `code` # heading",
    "$x^2$ and :smile:",
    "| a | b |\n|---|---|",
    "> quote\n- item",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_the_same_literal_text(text: str) -> None:
    html = MarkdownIt("commonmark", {"html": True}).render(escape_markdown(text))
    for tag in ("<script", "<img", "<a ", "<strong", "<em", "<code", "<h1", "<blockquote", "<li"):
        assert tag not in html
    assert "$" not in escape_markdown(text).replace("\\$", "")


def test_line_breaks_are_kept() -> None:
    assert escape_markdown("a\nb") == "a  \nb"


@pytest.mark.parametrize(
    ("delta", "label"),
    [(timedelta(seconds=5), "1 min ago"), (timedelta(hours=3), "3 h ago"), (timedelta(days=2), "2 d ago")],
)
def test_ago(delta: timedelta, label: str) -> None:
    assert ago(NOW - delta, now=NOW) == label


def test_counts_read_as_english() -> None:
    """Defect: "1 tickets", "1 messages"."""
    from ui.format import plural

    assert plural(1, "ticket") == "1 ticket" and plural(2, "ticket") == "2 tickets"
    assert plural(1, "reply", "replies") == "1 reply" and plural(0, "reply", "replies") == "0 replies"


def test_missing_values_show_as_a_dash() -> None:
    from ui.format import blank

    assert blank(None) == "–" and blank(float("nan")) == "–" and blank(4.5, "{:.2f}") == "4.50"
