from __future__ import annotations

import io

import pytest
from fpdf import FPDF

from assist.errors import ValidationError
from assist.kb.parsers import parse_file
from tests.conftest import article


def _pdf(text: str | None) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    if text:
        pdf.multi_cell(0, 10, text)
    else:
        pdf.rect(10, 10, 50, 50)  # a page with a drawing and no text, like a scan
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def test_markdown_front_matter_sets_the_metadata() -> None:
    parsed = parse_file("refunds.md", article("refund-policy", "Refund policy", "Refunds take 5-10 days."))
    assert (parsed.article_id, parsed.title, parsed.category, parsed.product, parsed.updated) == (
        "refund-policy",
        "Refund policy",
        "billing",
        "all",
        "2026-10-01",
    )
    assert "Refunds take 5-10 days." in parsed.text


def test_markdown_without_front_matter_uses_file_name_heading_and_defaults() -> None:
    parsed = parse_file("Reset Password.md", b"# How to reset\n\nClick forgot password.", category="account")
    assert (parsed.article_id, parsed.title, parsed.category, parsed.product) == (
        "reset-password",
        "How to reset",
        "account",
        "all",
    )


def test_plain_text_title_is_the_first_line() -> None:
    parsed = parse_file("notes.txt", b"Office hours\nWe answer 9-5.")
    assert parsed.title == "Office hours"


def test_html_drops_scripts_and_styles_and_keeps_headings_and_lists() -> None:
    html = b"""<html><head><title>Webhooks</title><style>.x{color:red}</style></head><body>
    <script>alert('owned')</script><h2>Retries</h2><p>We retry <b>15</b> times.</p>
    <ul><li>after 1 min</li><li>after 5 min</li></ul><a href="javascript:alert(1)">click</a></body></html>"""
    parsed = parse_file("hooks.html", html)
    assert parsed.title == "Webhooks"
    assert "## Retries" in parsed.text
    assert "* after 1 min" in parsed.text
    assert "alert" not in parsed.text and "color:red" not in parsed.text and "javascript" not in parsed.text


def test_pdf_text_is_extracted() -> None:
    parsed = parse_file("guide.pdf", _pdf("Invoices are emailed on the first of the month."), category="billing")
    assert "Invoices are emailed" in parsed.text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", _pdf(None), "no extractable text"),
        ("fake.pdf", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "cannot be read"),
        ("truncated.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "cannot be read"),
        ("binary.md", b"MZ\x90\x00\x03\x00\x00\x00", "binary"),
        ("latin1.txt", "Caf\xe9 cr\xe8me".encode("latin-1"), "not valid UTF-8"),
        ("empty.md", b"", "empty"),
        ("blank.txt", b"  \n\t ", "empty"),
        ("only-front-matter.md", b"---\ntitle: x\n---\n", "no text left"),
        ("bad-yaml.md", b"---\ntitle: [unclosed\n---\nbody", "not valid YAML"),
        ("list-yaml.md", b"---\n- a\n- b\n---\nbody", "key: value"),
        ("wrong-category.md", article("x", "X", "body", category="sales"), "unknown category 'sales'"),
        ("malware.exe", b"MZ", "unsupported file type '.exe'"),
        ("noext", b"hello", "unsupported file type 'none'"),
    ],
)
def test_bad_files_are_refused_with_a_clear_reason(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_file(name, data)


def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(ValidationError, match="over the 1 MB limit"):
        parse_file("big.txt", b"x" * 1_000_001, max_bytes=1_000_000)


@pytest.mark.parametrize("name", ["../../etc/passwd.md", "..\\..\\windows\\evil.md", "/abs/path/evil.md"])
def test_path_components_in_upload_names_are_discarded(name: str) -> None:
    parsed = parse_file(name, b"# Title\n\nbody text")
    assert "/" not in parsed.source and "\\" not in parsed.source and ".." not in parsed.source
    assert "/" not in parsed.article_id


def test_invisible_and_bidirectional_control_characters_are_removed() -> None:
    parsed = parse_file("t.md", "# Ti\u200btle\u202e\n\nBo\u200bdy\u2066 text\x07".encode())
    assert parsed.title == "Title" and "Body text" in parsed.text


def test_content_hash_changes_with_content_only() -> None:
    a = parse_file("a.md", article("a", "A", "one"))
    same = parse_file("a.md", article("a", "A", "one"))
    other = parse_file("a.md", article("a", "A", "two"))
    assert a.content_hash == same.content_hash != other.content_hash
