"""Knowledge base: parse (md/txt/html/pdf) -> heading-aware chunks -> chroma + BM25 -> hybrid search."""

from assist.kb.knowledge_base import KnowledgeBase, Progress
from assist.kb.parsers import SUPPORTED, ParsedArticle, parse_file
from assist.kb.vectors import chunk_collection, make_chroma_client

__all__ = [
    "SUPPORTED",
    "KnowledgeBase",
    "ParsedArticle",
    "Progress",
    "chunk_collection",
    "make_chroma_client",
    "parse_file",
]
