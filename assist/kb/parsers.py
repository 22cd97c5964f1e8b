"""Turn an uploaded file (md, txt, html, pdf) into a `ParsedArticle`: metadata + markdown-ish text.

Headings survive as `#` lines so the chunker can keep each passage's heading path. Every parse runs
under the one guard, `assist.kb.guard.run_parser`: a hostile or broken file is that file's error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, cast

import yaml
from anyascii import anyascii
from bs4 import BeautifulSoup, Tag
from frontmatter.default_handlers import YAMLHandler
from markdownify import markdownify
from pypdf import PdfReader

from assist.domain import Category
from assist.errors import ValidationError
from assist.kb.guard import Budget, Clock, ParseLimits, run_parser
from assist.store.limits import ARTICLE_ID, ARTICLE_PRODUCT, ARTICLE_SOURCE, ARTICLE_TITLE, ARTICLE_URL
from assist.text import is_blank

SUPPORTED = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf"}
MAX_NAME_CHARS = ARTICLE_SOURCE
MAX_PRODUCT_CHARS = ARTICLE_PRODUCT
MAX_ID_CHARS = ARTICLE_ID
ID_HASH_CHARS = 10  # the suffix that keeps non-ASCII names apart (40 bits)
_SLUG = re.compile(r"[^a-z0-9]+")
# Invisible and direction controls, and lone surrogates (a PDF's text may hold them; no database stores them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


@dataclass(frozen=True)
class ParsedArticle:
    article_id: str
    title: str
    category: str
    product: str
    updated: str  # ISO date
    source: str  # the file name it came from
    text: str  # markdown with headings
    url: str | None = None  # public help-center address (front matter `url`)
    id_declared: bool = False  # the id came from the file's own front matter, not from its name
    date_declared: bool = True  # `updated` came from the article; False: the day it was parsed

    @property
    def content_hash(self) -> str:
        """Changes when anything that ends up in the index changes. A date the article does not state (an HTML page,
        a PDF, a markdown file without `updated:`) is the day it was parsed, so it is left out: otherwise an
        unchanged page synced every night would be re-embedded every day."""
        updated = self.updated if self.date_declared else ""
        fields = (self.title, self.category, self.product, updated, self.source, self.text, self.url or "")
        return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def slugify(name: str) -> str:
    """The article id for a file name or a front-matter id: lower-case ASCII letters, digits and dashes.

    A plain ASCII name keeps its readable slug ("Reset Password" -> "reset-password"). Any other name is
    transliterated for reading and gets a short hash of what it says, so names that differ in more than
    case, width and ASCII punctuation never share an id ("返金ポリシー" and "請求書の見方" used to both be
    "article"). A name of punctuation alone has nothing readable and is hashed too: as plain "article" it
    took the id of a file named "Article".
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    significant = "".join(ch for ch in folded if ch.isalnum() or not ch.isascii())
    readable = _SLUG.sub("-", anyascii(folded).lower()).strip("-")
    if folded.isascii() and readable and len(readable) <= MAX_ID_CHARS:
        return readable
    digest = hashlib.sha256(significant.encode()).hexdigest()[:ID_HASH_CHARS]
    return f"{readable[: MAX_ID_CHARS - ID_HASH_CHARS - 1].strip('-') or 'article'}-{digest}"


def parse_file(
    name: str,
    data: bytes,
    *,
    category: str | None = None,
    product: str | None = None,
    max_bytes: int | None = None,
    limits: ParseLimits | None = None,
    clock: Clock = time.monotonic,
) -> ParsedArticle:
    """Parse one upload under the parser guard. `category`/`product` fill in what the file does not say.

    Raises:
        ValidationError: unsupported type, too large, empty, undecodable, a PDF without text, over a limit of
            `limits` (depth, pages, characters, time), or any failure of a parser on this file.
    """
    safe_name = _CONTROL.sub("", PurePath(name.replace("\\", "/")).name)  # never trust a path inside a name
    return run_parser(
        safe_name[:80],
        lambda budget: _parse(safe_name, data, budget, category=category, product=product, max_bytes=max_bytes),
        limits=limits or ParseLimits(),
        clock=clock,
    )


def _parse(
    safe_name: str, data: bytes, budget: Budget, *, category: str | None, product: str | None, max_bytes: int | None
) -> ParsedArticle:
    if len(safe_name) > MAX_NAME_CHARS:
        raise ValidationError(
            f"{safe_name[:40]}…: the file name is {len(safe_name)} characters; rename it to at most {MAX_NAME_CHARS}."
        )
    suffix = PurePath(safe_name).suffix.lower()
    if suffix not in SUPPORTED:
        raise ValidationError(
            f"{safe_name}: unsupported file type '{suffix or 'none'}'. Upload .md, .txt, .html or .pdf files."
        )
    if max_bytes is not None and len(data) > max_bytes:
        raise ValidationError(
            f"{safe_name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit. Split the document."
        )
    if not data.strip():
        raise ValidationError(f"{safe_name}: the file is empty.")
    meta: dict[str, object] = {}
    if suffix == ".pdf":
        text = _pdf_text(safe_name, data, budget)
    else:
        raw = _decode(safe_name, data)
        if suffix in {".md", ".markdown"}:
            meta, text = _front_matter(safe_name, raw)
        elif suffix in {".html", ".htm"}:
            meta, text = _html(raw, budget)
        else:
            text = raw
    budget.tick()
    text = _CONTROL.sub("", text).strip()
    if is_blank(text):
        raise ValidationError(f"{safe_name}: no text left after parsing.")
    title = str(meta.get("title") or _first_heading(text) or PurePath(safe_name).stem.replace("-", " ").title())
    chosen_category = str(meta.get("category") or category or "general").lower()
    if chosen_category not in {c.value for c in Category}:
        raise ValidationError(
            f"{safe_name}: unknown category '{chosen_category}'. Use one of: {', '.join(c.value for c in Category)}."
        )
    chosen_product = _CONTROL.sub("", str(meta.get("product") or product or "all")).strip() or "all"
    if len(chosen_product) > MAX_PRODUCT_CHARS:
        raise ValidationError(
            f"{safe_name}: the product name is {len(chosen_product)} characters; use at most {MAX_PRODUCT_CHARS}."
        )
    declared = meta.get("id")
    stated = _iso_date(meta.get("updated"))
    return ParsedArticle(
        article_id=slugify(str(declared or PurePath(safe_name).stem)),
        title=_CONTROL.sub("", title).strip()[:ARTICLE_TITLE],
        category=chosen_category,
        product=chosen_product,
        updated=stated or dt.datetime.now(dt.UTC).date().isoformat(),
        date_declared=stated is not None,
        source=safe_name,
        text=text,
        url=_url(safe_name, meta.get("url")),
        id_declared=bool(declared),
    )


def _url(name: str, value: object) -> str | None:
    if value is None or value == "":
        return None
    url = str(value).strip()
    if len(url) > ARTICLE_URL:
        raise ValidationError(
            f"{name}: the url in the front matter is {len(url)} characters; use at most {ARTICLE_URL}."
        )
    if not re.fullmatch(r"https?://[^\s<>\"'`]+", url):
        raise ValidationError(f"{name}: the url in the front matter must be an http(s) address without spaces.")
    return url


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ValidationError(f"{name}: looks like a binary file, not text. Upload the original document.")
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(f"{name}: the text is not valid UTF-8. Save it as UTF-8 and upload again.")


MAX_FRONT_MATTER_CHARS = 4000
MAX_FRONT_MATTER_DEPTH = 4


def _check_shape(name: str, block: str) -> None:
    """Refuse what front matter never needs before PyYAML composes it: anchors and aliases (nested aliases,
    a "billion laughs" bomb, expand a few hundred bytes into gigabytes) and deep nesting (its composer
    recurses once per level: 1,900 `[` in 3.8 kB overflowed the stack). The event stream is produced
    without recursion, so this scan is safe on any input."""
    depth = 0
    for event in yaml.parse(block, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.YAMLError("anchors and aliases (& and *) are not allowed in front matter")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_FRONT_MATTER_DEPTH:
                raise ValidationError(f"{name}: the front matter is nested too deeply; use plain key: value pairs.")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _front_matter(name: str, raw: str) -> tuple[dict[str, object], str]:
    handler = YAMLHandler()
    if not handler.detect(raw):
        return {}, raw
    try:
        block, content = handler.split(raw)
        if len(block) > MAX_FRONT_MATTER_CHARS:
            raise ValidationError(
                f"{name}: the front matter is {len(block):,} characters; keep it under {MAX_FRONT_MATTER_CHARS:,} "
                "(id, title, category, product, updated, url)."
            )
        _check_shape(name, block)
        meta = yaml.load(block, Loader=yaml.SafeLoader)  # after _check_shape
    except (yaml.YAMLError, ValueError) as e:
        raise ValidationError(f"{name}: the front matter (between the --- lines) is not valid YAML: {e}") from e
    if meta is None:
        return {}, content
    if not isinstance(meta, dict):
        raise ValidationError(f"{name}: the front matter must be key: value pairs (id, title, category, ...).")
    return meta, content


def _html(raw: str, budget: Budget) -> tuple[dict[str, object], str]:
    soup = BeautifulSoup(raw, "html.parser")  # builds the tree without recursion
    budget.tick()
    budget.depth(_deepest(soup))  # markdownify and str() recurse once per level
    for tag in soup(["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "form"]):
        tag.decompose()
    meta: dict[str, object] = {}
    if soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
    canonical = soup.find("link", rel="canonical")
    href = canonical.get("href") if isinstance(canonical, Tag) else None
    if isinstance(href, str) and href.strip().startswith(("http://", "https://")):
        meta["url"] = href.strip()  # a help-centre page's own address, for links in replies (a relative one: none)
    # A page of a website: its navigation, header, footer and sidebars are not the article.
    for tag in soup(["nav", "header", "footer", "aside"]):
        tag.decompose()
    body = soup.find("main") or soup.find("article") or soup.body or soup
    text = markdownify(str(body), heading_style="ATX", strip=["a", "img"])
    return meta, re.sub(r"\n{3,}", "\n\n", text)


def _deepest(soup: BeautifulSoup) -> int:
    """How deeply elements nest, walked without recursion (descendants follow the parse order)."""
    levels: dict[int, int] = {id(soup): 0}
    deepest = 0
    for node in soup.descendants:
        if isinstance(node, Tag):
            level = levels.get(id(node.parent), 0) + 1
            levels[id(node)] = level
            deepest = max(deepest, level)
    return deepest


def _pdf_text(name: str, data: bytes, budget: Budget) -> str:
    texts: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        budget.pages(_declared_pages(reader))  # before pypdf walks the page tree
        extracted = 0
        for number, page in enumerate(reader.pages, start=1):
            budget.pages(number)  # the declared count may lie
            budget.tick()
            texts.append(page.extract_text() or "")
            extracted += len(texts[-1])
            budget.chars(extracted)
    except ValidationError:
        raise
    except Exception as e:  # pypdf raises many kinds (PdfReadError, LimitReachedError, NotImplementedError, ...)
        reason = f"{type(e).__name__}: {str(e)[:120]}"
        raise ValidationError(
            f"{name}: the PDF cannot be read ({reason}). Re-export it from the original document."
        ) from e
    text = "\n\n".join(p.strip() for p in texts if not is_blank(p))
    if not text:
        raise ValidationError(
            f"{name}: the PDF has no extractable text (probably a scan). Run OCR on it or upload the source document."
        )
    return text


def _declared_pages(reader: PdfReader) -> int:
    """The page count the document states (/Root /Pages /Count): cheap, read before any page is."""
    try:
        return int(cast(Any, reader.trailer)["/Root"]["/Pages"]["/Count"])
    except (KeyError, TypeError, ValueError):
        return 0


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip() or None
        if line.strip():
            return line.strip()[:120]
    return None


def _iso_date(value: object) -> str | None:
    """The article's own date, or None when it states none (or one that is not a date)."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    return None
