"""A knowledge source that is a website, read by its sitemap (issue 37), against a local HTTP server the test
starts: pages fetched, navigation dropped and headings kept, canonical addresses kept as links, pages gone from
the sitemap removed, and only that source touched."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assist.errors import ValidationError
from assist.kb import KnowledgeBase
from assist.kb.sitemap_source import sync_sitemap
from assist.users import OPERATOR
from tests.conftest import article

PAGE = """<html><head><title>{title} | Lumen Help</title><link rel="canonical" href="https://help.lumen.app{path}">
</head><body><nav><a href="/">Home</a> · <a href="/billing">Billing</a> · Sign in</nav>
<header>Lumen Help Centre — search 300 articles</header>
<main><h1>{title}</h1><h2>{heading}</h2><p>{text}</p></main>
<footer>© Lumen · Privacy · Status</footer></body></html>"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "site"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _publish(root: Path, base: str, pages: dict[str, tuple[str, str, str]]) -> None:
    for path, (title, heading, text) in pages.items():
        (root / path.strip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.strip("/")).write_text(PAGE.format(title=title, heading=heading, text=text, path=path))
    urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in pages)
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def test_a_website_is_synced_by_its_sitemap(knowledge_base: KnowledgeBase, site: tuple[Path, str]) -> None:
    root, base = site
    knowledge_base.ingest_files([("faq.md", article("faq", "FAQ", "Another source."))], actor=OPERATOR)
    _publish(
        root,
        base,
        {
            "/billing/refunds.html": ("Refunds", "When the money arrives", "Card refunds take 5-10 business days."),
            "/account/sso.html": ("Single sign-on", "Okta", "Assign the Lumen app to the user in Okta."),
        },
    )
    first = sync_sitemap(knowledge_base, f"{base}/sitemap.xml", source="help-centre", actor=OPERATOR)
    assert first.added == ("account-sso", "billing-refunds") and first.failed == ()
    refunds = knowledge_base.get_article("billing-refunds")
    assert refunds.title == "Refunds | Lumen Help" and refunds.url == "https://help.lumen.app/billing/refunds.html"
    assert "## When the money arrives" in refunds.body  # headings kept
    assert "Sign in" not in refunds.body and "search 300" not in refunds.body and "Privacy" not in refunds.body
    _publish(root, base, {"/billing/refunds.html": ("Refunds", "When the money arrives", "Now 3-5 business days.")})
    second = sync_sitemap(knowledge_base, f"{base}/sitemap.xml", source="help-centre", actor=OPERATOR)
    assert (second.updated, second.removed) == (("billing-refunds",), ("account-sso",))
    assert sorted(a.id for a in knowledge_base.list_articles()) == ["billing-refunds", "faq"]


def test_a_page_that_fails_is_reported_and_removes_nothing(
    knowledge_base: KnowledgeBase, site: tuple[Path, str]
) -> None:
    root, base = site
    _publish(root, base, {"/a.html": ("A", "Part", "Alpha text."), "/b.html": ("B", "Part", "Beta text.")})
    sync_sitemap(knowledge_base, f"{base}/sitemap.xml", source="web", actor=OPERATOR)
    (root / "b.html").unlink()  # still listed, but gone: a broken page, not a removed one
    report = sync_sitemap(knowledge_base, f"{base}/sitemap.xml", source="web", actor=OPERATOR)
    assert [f.source for f in report.failed] == [f"{base}/b.html"] and report.removed == ()
    assert sorted(a.id for a in knowledge_base.list_articles()) == ["a", "b"]
    (root / "sitemap.xml").write_text(  # the pages moved to another host: an empty sync would remove them all
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://www.lumen.app/a.html</loc></url>'
        "</urlset>"
    )
    with pytest.raises(ValidationError, match="lists no pages"):
        sync_sitemap(knowledge_base, f"{base}/sitemap.xml", source="web", actor=OPERATOR)
    assert sorted(a.id for a in knowledge_base.list_articles()) == ["a", "b"]
    (root / "sitemap.xml").write_text("not xml at all")
    with pytest.raises(ValidationError, match="not a sitemap"):
        sync_sitemap(knowledge_base, f"{base}/sitemap.xml", source="web", actor=OPERATOR)
