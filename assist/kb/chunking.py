"""Heading-aware chunking: split on markdown headings, then by size, keeping each passage's heading path.

CHUNK_CHARS / OVERLAP_CHARS were chosen with `python -m assist eval retrieval` on the labelled
questions in tests/data/ (README, "Chunk size"): small passages (about two sentences) under their
heading path retrieved best; 200-2000 characters were measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from assist.kb.parsers import ParsedArticle

CHUNK_CHARS = 300
OVERLAP_CHARS = 100
_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]


@dataclass(frozen=True)
class Chunk:
    article_id: str
    index: int
    heading: str  # "Refund policy > When the money arrives"
    text: str  # the passage as shown to agents

    def embed_text(self, title: str) -> str:
        """What gets embedded and BM25-indexed: the passage with its article title and heading path."""
        context = title if not self.heading or self.heading == title else f"{title} > {self.heading}"
        return f"{context}\n{self.text}"


def chunk_article(
    article: ParsedArticle, *, chunk_chars: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS
) -> list[Chunk]:
    sections = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True).split_text(article.text)
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_chars, chunk_overlap=overlap)
    chunks: list[Chunk] = []
    for section in sections:
        path = [str(section.metadata[key]) for _, key in _HEADERS if key in section.metadata]
        # The h1 is usually the article title; keep the path short and informative.
        if path and path[0].strip().lower() == article.title.strip().lower():
            path = path[1:]
        for piece in splitter.split_text(section.page_content):
            if piece.strip():
                chunks.append(Chunk(article.article_id, len(chunks), " > ".join(path), piece.strip()))
    return chunks
