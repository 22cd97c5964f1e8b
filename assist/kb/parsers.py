"""Turn an uploaded file (md, txt, html, pdf) into a `ParsedArticle`: metadata + markdown-ish text.

Headings survive as `#` lines so the chunker can keep each passage's heading path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import PurePath

import yaml
from bs4 import BeautifulSoup
from frontmatter.default_handlers import YAMLHandler
from markdownify import markdownify
from pypdf import PdfReader

from assist.domain import Category
from assist.errors import ValidationError
from assist.text import is_blank

SUPPORTED = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf"}
MAX_NAME_CHARS = 200  # kb_articles.source holds 260; leave room for nothing surprising
MAX_PRODUCT_CHARS = 60  # kb_articles.product
_SLUG = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


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

    @property
    def content_hash(self) -> str:
        """Changes when anything that ends up in the index changes."""
        fields = (self.title, self.category, self.product, self.updated, self.source, self.text, self.url or "")
        return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def slugify(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-")[:100] or "article"


def parse_file(
    name: str, data: bytes, *, category: str | None = None, product: str | None = None, max_bytes: int | None = None
) -> ParsedArticle:
    """Parse one upload. `category`/`product` fill in what the file itself does not say.

    Raises:
        ValidationError: unsupported type, too large, empty, undecodable, or a PDF without text.
    """
    safe_name = _CONTROL.sub("", PurePath(name.replace("\\", "/")).name)  # never trust a path inside a name
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
    stem = slugify(PurePath(safe_name).stem)
    meta: dict[str, object] = {}
    if suffix == ".pdf":
        text = _pdf_text(safe_name, data)
    else:
        raw = _decode(safe_name, data)
        if suffix in {".md", ".markdown"}:
            meta, text = _front_matter(safe_name, raw)
        elif suffix in {".html", ".htm"}:
            meta, text = _html(raw)
        else:
            text = raw
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
    return ParsedArticle(
        article_id=slugify(str(meta.get("id") or stem)),
        title=_CONTROL.sub("", title).strip()[:200],
        category=chosen_category,
        product=chosen_product,
        updated=_iso_date(meta.get("updated")),
        source=safe_name,
        text=text,
        url=_url(safe_name, meta.get("url")),
    )


def _url(name: str, value: object) -> str | None:
    if value is None or value == "":
        return None
    url = str(value).strip()
    if not re.fullmatch(r"https?://[^\s<>\"'`]{1,490}", url):
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


class _PlainLoader(yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML without anchors and aliases: nested aliases (a "billion laughs" bomb) expand a few
    hundred bytes into gigabytes. Front matter is a handful of key: value pairs and never needs them."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.YAMLError("anchors and aliases (& and *) are not allowed in front matter")
        return super().compose_node(parent, index)


def _depth(value: object, level: int = 0) -> int:
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


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
        meta = yaml.load(block, Loader=_PlainLoader)
    except (yaml.YAMLError, ValueError) as e:
        raise ValidationError(f"{name}: the front matter (between the --- lines) is not valid YAML: {e}") from e
    if _depth(meta) > MAX_FRONT_MATTER_DEPTH:
        raise ValidationError(f"{name}: the front matter is nested too deeply; use plain key: value pairs.")
    if meta is None:
        return {}, content
    if not isinstance(meta, dict):
        raise ValidationError(f"{name}: the front matter must be key: value pairs (id, title, category, ...).")
    return meta, content


def _html(raw: str) -> tuple[dict[str, object], str]:
    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "form"]):
        tag.decompose()
    meta: dict[str, object] = {}
    if soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
    body = soup.body or soup
    text = markdownify(str(body), heading_style="ATX", strip=["a", "img"])
    return meta, re.sub(r"\n{3,}", "\n\n", text)


def _pdf_text(name: str, data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as e:  # pypdf raises many kinds (PdfReadError, LimitReachedError, NotImplementedError, ...)
        reason = f"{type(e).__name__}: {str(e)[:120]}"
        raise ValidationError(
            f"{name}: the PDF cannot be read ({reason}). Re-export it from the original document."
        ) from e
    text = "\n\n".join(p.strip() for p in pages if not is_blank(p))
    if not text:
        raise ValidationError(
            f"{name}: the PDF has no extractable text (probably a scan). Run OCR on it or upload the source document."
        )
    return text


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip() or None
        if line.strip():
            return line.strip()[:120]
    return None


def _iso_date(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    return dt.datetime.now(dt.UTC).date().isoformat()
