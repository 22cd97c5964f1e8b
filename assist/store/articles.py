"""Knowledge-base articles and their passages as SQL keeps them (`kb_articles`, `kb_chunks`), and the
generation that goes up with every change.

SQL says what is searchable; the vectors live in chroma under the passages' ids (`assist.kb.knowledge_base`
keeps the two in step). A passage id is "<article>:<hash12>:<n>", so a changed article's passages get new ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from assist.domain import ArticleDetail, ArticleSummary
from assist.errors import NotFoundError
from assist.store.db import session_scope
from assist.store.models import DEFAULT_ORIGIN, ArticleRow, ChunkRow, KbStateRow

__all__ = [
    "DEFAULT_ORIGIN",
    "NewArticle",
    "StoredArticle",
    "StoredPassage",
    "all_articles",
    "bump_generation",
    "content_hashes",
    "delete_article",
    "detail",
    "generation",
    "kb_version",
    "origins",
    "passage_ids",
    "passages",
    "replace_articles",
    "sources",
    "summaries",
]


@dataclass(frozen=True)
class StoredArticle:
    id: str
    title: str
    category: str
    product: str
    updated: str
    source: str
    url: str | None
    body: str = ""
    origin: str = DEFAULT_ORIGIN  # the knowledge source it came from


@dataclass(frozen=True)
class StoredPassage:
    id: str
    article_id: str
    position: int
    heading: str
    text: str


@dataclass(frozen=True)
class NewArticle:
    """An article to store with its passages and its content hash (which the passage ids carry)."""

    article: StoredArticle
    content_hash: str
    passages: Sequence[StoredPassage]


def _article(row: ArticleRow, *, body: bool = False) -> StoredArticle:
    return StoredArticle(
        row.id,
        row.title,
        row.category,
        row.product,
        row.updated,
        row.source,
        row.url,
        row.body if body else "",
        row.origin,
    )


def sources(engine: Engine, *, ids: Collection[str]) -> dict[str, str]:
    """The file each of `ids` was ingested from, for the ids that are taken."""
    with session_scope(engine) as session:
        return dict(session.execute(select(ArticleRow.id, ArticleRow.source).where(ArticleRow.id.in_(ids))).all())


def content_hashes(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as session:
        return dict(session.execute(select(ArticleRow.id, ArticleRow.content_hash)).all())


def origins(engine: Engine) -> dict[str, str]:
    """The knowledge source each article came from: a source's sync removes only its own."""
    with session_scope(engine) as session:
        return dict(session.execute(select(ArticleRow.id, ArticleRow.origin)).all())


def all_articles(engine: Engine) -> list[StoredArticle]:
    """Every article with its text (a re-index re-chunks them)."""
    with session_scope(engine) as session:
        return [_article(row, body=True) for row in session.scalars(select(ArticleRow))]


def summaries(engine: Engine) -> list[ArticleSummary]:
    with session_scope(engine) as session:
        rows = session.scalars(select(ArticleRow).order_by(ArticleRow.category, ArticleRow.title)).all()
        return [ArticleSummary.model_validate(r) for r in rows]


def detail(engine: Engine, *, article_id: str) -> ArticleDetail:
    with session_scope(engine) as session:
        row = session.get(ArticleRow, article_id)
        if row is None:
            raise NotFoundError(f"Article '{article_id}' is not in the knowledge base.")
        return ArticleDetail.model_validate(row)


def delete_article(session: Session, *, article_id: str) -> tuple[str, list[str]]:
    """Delete the article and its passages (caller's transaction). Returns its title and the passage ids.

    Raises:
        NotFoundError: no such article.
    """
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise NotFoundError(f"Article '{article_id}' is not in the knowledge base. Reload the list.")
    passages = [c.id for c in row.chunks]
    session.delete(row)
    bump_generation(session)
    return row.title, passages


def replace_articles(
    session: Session, *, articles: Sequence[NewArticle], removed: Collection[str], ingested_by: str
) -> list[str]:
    """Store `articles` in place of their earlier rows and delete the `removed` ones, in the caller's
    transaction; returns the passage ids the replaced and removed articles had."""
    ids = [a.article.id for a in articles] + list(removed)
    old = list(session.scalars(select(ChunkRow.id).where(ChunkRow.article_id.in_(ids))))
    session.execute(delete(ChunkRow).where(ChunkRow.article_id.in_(ids)))
    session.execute(delete(ArticleRow).where(ArticleRow.id.in_(ids)))
    for new in articles:
        a = new.article
        session.add(
            ArticleRow(
                id=a.id,
                title=a.title,
                category=a.category,
                product=a.product,
                updated=a.updated,
                source=a.source,
                url=a.url,
                content_hash=new.content_hash,
                body=a.body,
                chunk_count=len(new.passages),
                ingested_by=ingested_by,
                origin=a.origin,
                chunks=[
                    ChunkRow(id=p.id, position=p.position, heading=p.heading[:500], text=p.text) for p in new.passages
                ],
            )
        )
    bump_generation(session)
    return old


def bump_generation(session: Session) -> None:
    """Every process's BM25 index and every stored assistance run older than this change are now stale."""
    state = session.get(KbStateRow, 1, with_for_update=True)
    if state is None:
        session.add(KbStateRow(id=1, generation=1, stamp=uuid.uuid4().hex))
    else:
        state.generation += 1
        state.stamp = uuid.uuid4().hex


def generation(engine: Engine) -> int:
    return kb_version(engine)[0]


def kb_version(engine: Engine) -> tuple[int, str | None]:
    """(generation, stamp): what a process compares with the passages it holds. Equal only when no change was made
    since; a restored backup brings back its own stamp, never the one of a later change."""
    with session_scope(engine) as session:
        row = session.execute(select(KbStateRow.generation, KbStateRow.stamp).where(KbStateRow.id == 1)).first()
    return (row.generation, row.stamp) if row else (0, None)


def passage_ids(engine: Engine) -> list[str]:
    """The live passages: the only ones whose vectors count."""
    with session_scope(engine) as session:
        return list(session.scalars(select(ChunkRow.id)))


def passages(engine: Engine, *, ids: Collection[str] | None = None) -> list[tuple[StoredPassage, StoredArticle]]:
    """Passages (all, or those in `ids`) with their articles, in article and reading order."""
    query = select(ChunkRow, ArticleRow).join(ArticleRow).order_by(ChunkRow.article_id, ChunkRow.position)
    if ids is not None:
        query = query.where(ChunkRow.id.in_(list(ids)))
    with session_scope(engine) as session:
        return [
            (StoredPassage(c.id, c.article_id, c.position, c.heading, c.text), _article(a))
            for c, a in session.execute(query).all()
        ]
