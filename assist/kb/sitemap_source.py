"""A knowledge source that is a website, read by its sitemap: every page the sitemap lists (on the sitemap's own
host) fetched and ingested as one source. The HTML parser keeps the page's main content with its headings and
drops navigation, header, footer and sidebars; a page's canonical address becomes its link in replies. A page
gone from the sitemap takes its article with it; unchanged pages embed nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from defusedxml import ElementTree  # type: ignore[import-untyped]  # no stubs; refuses entity bombs

from assist.domain import IngestFailure, IngestReport, KnowledgeSource, User
from assist.errors import ValidationError
from assist.kb.article_source import Synced
from assist.kb.knowledge_base import KnowledgeBase, Progress, no_progress
from assist.kb.parsers import slugify
from assist.store.actors import check_session, require

MAX_PAGES = 2000
TIMEOUT_S = 15
_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _fetch(client: httpx.Client, url: str, max_bytes: int) -> bytes:
    with client.stream("GET", url) as response:
        response.raise_for_status()
        if response.url.host != httpx.URL(url).host:  # a redirect may not take the crawler to another host
            raise ValidationError(f"{url} redirects to another host ({response.url.host}); it was skipped.")
        data = b""
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > max_bytes:
                raise ValidationError(f"{url} is over {max_bytes / 1e6:.0f} MB; it was skipped.")
        return data


def page_urls(client: httpx.Client, sitemap: str, *, max_bytes: int, nested: bool = True) -> list[str]:
    """The pages a sitemap lists on the sitemap's host (a sitemap index: the pages of each sitemap it lists, one
    level deep, so an index that lists itself ends).

    Raises:
        ValidationError: not a sitemap, or more than MAX_PAGES pages (a sync must see all of them).
    """
    host = urlsplit(sitemap).netloc
    try:
        root = ElementTree.fromstring(_fetch(client, sitemap, max_bytes))
    except (ElementTree.ParseError, ValueError) as e:  # ValueError: defusedxml refused entities
        raise ValidationError(f"{sitemap} is not a sitemap (XML): {e}") from e
    locations = [url for url in ((loc.text or "").strip() for loc in root.iter(f"{_NS}loc")) if url]
    if root.tag == f"{_NS}sitemapindex":
        children = [child for child in locations if urlsplit(child).netloc == host] if nested else []
        pages = [page for child in children for page in page_urls(client, child, max_bytes=max_bytes, nested=False)]
    else:
        pages = [url for url in locations if urlsplit(url).netloc == host]
    pages = list(dict.fromkeys(pages))
    if len(pages) > MAX_PAGES:
        raise ValidationError(f"{sitemap} lists {len(pages):,} pages; at most {MAX_PAGES:,} are synced as one source.")
    return pages


def _file_name(url: str) -> str:
    """A page's file name: its path, so two pages called index stay two articles (`/help/billing/` ->
    `help-billing.html`)."""
    path = urlsplit(url).path.strip("/").removesuffix(".html").removesuffix(".htm")
    return f"{slugify(path.replace('/', '-') or 'index')}.html"


def _check_address(sitemap: str) -> None:
    try:
        parts = urlsplit(sitemap)
    except ValueError:  # "https://[::1/x"
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError("Give the sitemap's http(s) address, e.g. https://help.example.com/sitemap.xml.")


def sync_sitemap(
    kb: KnowledgeBase, sitemap: str, *, source: str, actor: User, progress: Progress = no_progress
) -> IngestReport:
    """Sync the knowledge `source` with the website: every listed page fetched and ingested, the articles of pages
    no longer listed removed. A page that cannot be fetched is reported, and then no article is removed."""
    require(actor, action="change the knowledge base")
    check_session(kb.engine, actor=actor)  # before anything is fetched; the ingest checks again where it writes
    _check_address(sitemap)
    files: list[tuple[str, bytes]] = []
    failed: list[IngestFailure] = []
    with httpx.Client(timeout=TIMEOUT_S, follow_redirects=True) as client:
        try:
            urls = page_urls(client, sitemap, max_bytes=kb.max_upload_bytes)
        except httpx.HTTPError as e:
            raise ValidationError(f"The sitemap {sitemap} could not be read: {e}") from e
        if not urls:  # an empty sync would remove every article of the source
            raise ValidationError(
                f"{sitemap} lists no pages on {urlsplit(sitemap).netloc}; nothing was changed. Check the address "
                "(www. or not) and that the sitemap lists this host's pages."
            )
        for n, url in enumerate(urls, 1):
            progress(n, len(urls), f"Fetched {n} of {len(urls)} pages")
            try:
                files.append((_file_name(url), _fetch(client, urljoin(sitemap, url), kb.max_upload_bytes)))
            except (httpx.HTTPError, ValidationError) as e:
                failed.append(IngestFailure(source=url, error=f"{url}: {e}"))
    # A page that failed to load is not a page that was removed: with any failure, nothing is removed this time.
    report = kb.ingest_files(files, actor=actor, source=source, remove_missing=not failed, progress=progress)
    return report.model_copy(update={"failed": (*report.failed, *failed)})


@dataclass(frozen=True)
class SitemapSource:
    name: str
    sitemap: str

    @classmethod
    def configured(cls, source: KnowledgeSource, checkouts: Path | None) -> SitemapSource:
        _check_address(source.location or "")
        return cls(name=source.name, sitemap=source.location or "")

    def forget(self) -> None:
        return None  # pages are fetched afresh on every sync: nothing is kept

    def sync(self, kb: KnowledgeBase, *, actor: User, progress: Progress = no_progress) -> Synced:
        return Synced(sync_sitemap(kb, self.sitemap, source=self.name, actor=actor, progress=progress))
