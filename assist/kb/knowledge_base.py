"""The knowledge base: ingest, list, delete, re-index and search articles.

SQL (`kb_articles`, `kb_chunks`) says what is searchable; chroma holds the chunk vectors. An ingest
embeds and upserts the new vectors first (ids carry the content hash), then swaps the article's
rows in one SQL transaction, then drops the old vectors. A failure at any step leaves the
searchable index exactly as it was; stray vectors are ignored and removed by the next ingest.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from chromadb.api.models.Collection import Collection
from sqlalchemy import Engine

from assist.domain import (
    ArticleDetail,
    ArticleSummary,
    Hit,
    IndexStatus,
    IngestFailure,
    IngestReport,
    KnowledgeSource,
    SearchMode,
    User,
)
from assist.embeddings import Embedder
from assist.errors import AssistError, NotFoundError, SearchIndexError, ValidationError
from assist.kb.chunking import Chunk, chunk_article
from assist.kb.guard import ParseLimits
from assist.kb.lexical import LexicalIndex
from assist.kb.parsers import SUPPORTED, ParsedArticle, parse_file
from assist.kb.search import Filters, LiveArticle, LiveChunk, bm25_candidates, dense_candidates, rank
from assist.kb.vectors import fatal
from assist.store import articles as stored
from assist.store import audit, limits
from assist.store.actors import check_session, current_actor, require
from assist.store.db import session_scope
from assist.store.knowledge_sources import configured as configured_sources
from assist.text import is_blank

Progress = Callable[[int, int, str], None]  # done, total, what is happening
EMBED_BATCH = 32
# Texts per progress step. The texts are sorted by length once, so small groups pad no more than one big
# one; with 256 a re-index of the demo's articles sat at 0 % for 26 s (two steps in all).
EMBED_GROUP = 32
CHROMA_BATCH = 1000
STATUS_SAMPLE = 8  # stored vectors re-embedded by each index_status (about 0.1 s)
SAME_VECTOR = 0.98  # cosine of a stored vector with a fresh embedding of its passage; batching noise is < 1e-4


_INDEX_BROKEN = (
    "The semantic search index cannot be used ({}). An admin can rebuild it from the stored articles: "
    "Re-index on the Knowledge base page, or `python -m assist kb reindex`."
)


def _index_call(step: Callable[..., object], *args: object) -> None:
    """A write to the vector index; chroma's own failures (a deleted folder, a read-only disk, an
    unreachable server) become a SearchIndexError that says what to do. SQL has not changed yet."""
    try:
        step(*args)
    except AssistError:
        raise
    except Exception as e:  # chroma raises plain exceptions
        raise SearchIndexError(
            f"The search index could not be written ({type(e).__name__}: {str(e)[:120]}); nothing changed in "
            "the knowledge base. Check the disk or the Chroma server, then try again or re-index."
        ) from e


def source_name(name: str) -> str:
    """A knowledge source's name as the articles keep it (`kb ingest --source`)."""
    cleaned = name.strip()
    if not cleaned or len(cleaned) > limits.ARTICLE_ORIGIN:
        raise ValidationError(
            f"A knowledge source needs a name of 1 to {limits.ARTICLE_ORIGIN} characters, e.g. 'handbook'."
        )
    return cleaned


def _document(file: Path, folder: Path) -> bool:
    """A file of a folder that is an article: a supported type, not inside a hidden folder (`.git`, `.github`),
    and really inside the folder (a link in a synced repository could point at the server's own files)."""
    hidden = any(part.startswith(".") for part in file.relative_to(folder).parts[:-1])
    inside = not file.is_symlink() and file.resolve().is_relative_to(folder.resolve())
    return file.suffix.lower() in SUPPORTED and file.is_file() and not hidden and inside


def documents(folder: Path) -> Iterator[Path]:
    """The files of `folder` that are articles (`_document`), in a stable order."""
    return (p for p in sorted(folder.rglob("*")) if _document(p, folder))


def _name_in(file: Path, folder: Path) -> str:
    """A file's name as its article knows it: its path inside the folder, folders joined by '-', so that
    `billing/index.md` and `account/index.md` are two articles (a slash would be dropped as a path in a name)."""
    return "-".join(file.relative_to(folder).parts)


def _passage(p: stored.StoredPassage) -> Chunk:
    return Chunk(p.article_id, p.position, p.heading, p.text)


def _as_parsed(article: stored.StoredArticle, content_hash: str | None) -> ParsedArticle:
    """A stored article as the parser gave it. Whether its date was its own is not stored, but its hash says so:
    a re-index must keep an undated page's hash, or the next sync would embed the page again."""
    a = article
    dated = ParsedArticle(a.id, a.title, a.category, a.product, a.updated, a.source, a.body, a.url)
    undated = replace(dated, date_declared=False)
    return undated if content_hash == undated.content_hash else dated


def no_progress(done: int, total: int, message: str) -> None:
    return None


@dataclass
class _Live:
    generation: int
    stamp: str | None  # with the generation, what `_current` compares (see `stored.kb_version`)
    chunks: dict[str, LiveChunk]
    articles: dict[str, LiveArticle]
    lexical: LexicalIndex


@dataclass(frozen=True)
class _Prepared:
    article: ParsedArticle
    chunks: list[Chunk]

    def chunk_id(self, chunk: Chunk) -> str:
        return f"{self.article.article_id}:{self.article.content_hash[:12]}:{chunk.index}"


class KnowledgeBase:
    def __init__(
        self,
        *,
        engine: Engine,
        collection: Collection,
        embedder: Embedder,
        max_upload_bytes: int,
        help_center_url: str | None = None,
        parse_limits: ParseLimits | None = None,
        location: str = "",
        checkouts: Path | None = None,
    ) -> None:
        self.engine = engine
        self.checkouts = checkouts  # where knowledge sources keep working copies (a Git source's clone)
        self.location = location  # where the vectors live, for messages
        self.parse_limits = parse_limits or ParseLimits()
        self.help_center_url = help_center_url
        self.collection = collection
        self.embedder = embedder
        self.max_upload_bytes = max_upload_bytes
        self._live: _Live | None = None
        self._lock = threading.Lock()

    # ---- ingest -------------------------------------------------------------------------------

    def ingest_files(
        self,
        files: Iterable[tuple[str, bytes]],
        *,
        actor: User,
        category: str | None = None,
        product: str | None = None,
        remove_missing: bool = False,
        progress: Progress = no_progress,
        source: str = stored.DEFAULT_ORIGIN,
    ) -> IngestReport:
        """Parse, chunk, embed and index uploads (admins). Bad files are reported, the rest are ingested.

        The articles belong to the knowledge `source` ("files": uploads and folders); an id another source holds
        is refused and reported. With `remove_missing`, that source's articles not in `files` are deleted (a full
        sync of it), unless a file failed (a file that could not be read is not a file that was removed); other
        sources' articles always stay.
        """
        require(actor, action="change the knowledge base")
        source = source_name(source)
        check_session(self.engine, actor=actor)  # before parsing and embedding; the swap re-checks
        parsed: dict[str, ParsedArticle] = {}
        failures: list[IngestFailure] = []
        for name, data in files:
            try:
                article = parse_file(
                    name,
                    data,
                    category=category,
                    product=product,
                    max_bytes=self.max_upload_bytes,
                    limits=self.parse_limits,
                )
            except ValidationError as e:
                failures.append(IngestFailure(source=name, error=str(e)))
                continue
            if article.article_id in parsed:
                failures.append(
                    IngestFailure(
                        source=name,
                        error=f"{name}: article id '{article.article_id}' is already used by "
                        f"{parsed[article.article_id].source} in this upload; give one of them another id.",
                    )
                )
                continue
            parsed[article.article_id] = article
        articles, taken = self._refuse_taken_ids(list(parsed.values()), syncing=remove_missing)
        articles, elsewhere = self._refuse_other_sources(articles, source)
        refused = [*failures, *taken, *elsewhere]
        report = self._apply(
            articles,
            actor=actor,
            origins=dict.fromkeys((a.article_id for a in articles), source),
            syncing=source if remove_missing and not refused else None,
            progress=progress,
        )
        return report.model_copy(update={"failed": tuple(refused)})

    def _refuse_other_sources(
        self, articles: list[ParsedArticle], source: str
    ) -> tuple[list[ParsedArticle], list[IngestFailure]]:
        """An article id belongs to one knowledge source: another source's file with the same id (two repositories'
        index pages) would take it over on every sync, and back on the other's."""
        owners = stored.origins(self.engine)
        kept, refused = [], []
        for a in articles:
            owner = owners.get(a.article_id, source)
            if owner == source:
                kept.append(a)
            else:
                refused.append(
                    IngestFailure(
                        source=a.source,
                        error=f"{a.source}: article id '{a.article_id}' belongs to the knowledge source '{owner}'; "
                        "give this file its own `id:` in the front matter, or delete that article first.",
                    )
                )
        return kept, refused

    def _refuse_taken_ids(
        self, articles: list[ParsedArticle], *, syncing: bool
    ) -> tuple[list[ParsedArticle], list[IngestFailure]]:
        """An upload never silently replaces another file's article: an id derived from this file's name that
        an article from a different file already holds is refused and reported. A file may take the id over
        when its front matter declares that id, or in a sync where the other file is gone (a rename)."""
        owners = stored.sources(self.engine, ids=[a.article_id for a in articles])
        uploaded = {a.source.casefold() for a in articles}
        kept, refused = [], []
        for a in articles:
            owner = owners.get(a.article_id)
            if (
                owner is None
                or owner.casefold() == a.source.casefold()
                or a.id_declared
                or (syncing and owner.casefold() not in uploaded)
            ):
                kept.append(a)
                continue
            refused.append(
                IngestFailure(
                    source=a.source,
                    error=f"{a.source}: its article id '{a.article_id}' already belongs to {owner}, so nothing was "
                    f"replaced. Rename this file, give it its own `id:` in the front matter, or delete "
                    f"'{a.article_id}' first if this file replaces it.",
                )
            )
        return kept, refused

    def ingest_paths(
        self,
        paths: Sequence[Path],
        *,
        actor: User,
        remove_missing: bool = False,
        progress: Progress = no_progress,
        source: str = stored.DEFAULT_ORIGIN,
    ) -> IngestReport:
        """Ingest files and folders (folders: every supported file inside, recursively). A sync of paths that
        hold no article at all is refused: it would remove every article of the source."""
        files: list[tuple[str, Path]] = []
        for path in paths:
            if path.is_dir():
                files.extend((_name_in(p, path), p) for p in documents(path))
            elif path.is_file():
                files.append((path.name, path))
            else:
                raise NotFoundError(f"{path} does not exist. Check the path and try again.")
        if remove_missing and not files:  # an unmounted share or an empty clone: a sync would remove every article
            where = ", ".join(str(p) for p in paths)
            raise ValidationError(
                f"{where} holds no articles (markdown, text, HTML or PDF); nothing was changed. Check that it is "
                "mounted and readable."
            )
        unreadable: dict[str, str] = {}

        def read(name: str, file: Path) -> bytes:
            try:
                with file.open("rb") as f:
                    return f.read(self.max_upload_bytes + 1)  # enough for the parser to refuse a bigger file
            except OSError as e:  # deleted or unreadable while syncing
                unreadable[name] = f"{name}: cannot be read ({e.strerror or e})."
                return b""  # refused by the parser as empty, so this sync removes nothing

        report = self.ingest_files(
            ((name, read(name, p)) for name, p in files),
            actor=actor,
            remove_missing=remove_missing,
            progress=progress,
            source=source,
        )
        failed = [f.model_copy(update={"error": unreadable.get(f.source, f.error)}) for f in report.failed]
        return report.model_copy(update={"failed": tuple(failed)})

    def reindex(self, *, actor: User, progress: Progress = no_progress) -> IngestReport:
        """Re-chunk and re-embed every article from its stored text (after a model or chunking change)."""
        require(actor, action="re-index the knowledge base")
        check_session(self.engine, actor=actor)  # before embedding; the swap re-checks
        kept = stored.all_articles(self.engine)
        hashes = stored.content_hashes(self.engine)
        articles = [_as_parsed(a, hashes.get(a.id)) for a in kept]
        origins = {a.id: a.origin for a in kept}
        return self._apply(articles, actor=actor, origins=origins, syncing=None, progress=progress, force=True)

    def delete(self, article_id: str, *, actor: User) -> None:
        require(actor, action="delete articles")
        with session_scope(self.engine) as session:
            current_actor(session, actor)
            title, old_ids = stored.delete_article(session, article_id=article_id)
            audit.record(
                session,
                actor=actor.email,
                action="kb.delete",
                entity_type="article",
                entity_id=article_id,
                detail={"title": title},
            )
        self._drop_vectors(old_ids)

    def _apply(
        self,
        articles: list[ParsedArticle],
        *,
        actor: User,
        origins: dict[str, str],
        syncing: str | None,
        progress: Progress,
        force: bool = False,
    ) -> IngestReport:
        """Store `articles` (each in the knowledge source `origins` names); when `syncing` names a source, its
        articles missing from `articles` are removed."""
        _index_call(self.collect_garbage)
        existing = stored.content_hashes(self.engine)
        # An article never changes source here: ingest_files refused ids another source holds, a re-index keeps each.
        changed = [a for a in articles if force or existing.get(a.article_id) != a.content_hash]
        unchanged = tuple(sorted(a.article_id for a in articles if a not in changed))
        present = {a.article_id for a in articles}
        owned = stored.origins(self.engine) if syncing else {}
        removed = tuple(sorted(i for i, o in owned.items() if o == syncing and i not in present))
        prepared = [_Prepared(a, chunk_article(a)) for a in changed]
        vectors = self._embed(prepared, progress)
        _index_call(self._upsert_vectors, prepared, vectors)
        stale = self._swap_rows(prepared, removed, origins, actor=actor)
        self._drop_vectors(stale)
        return IngestReport(
            added=tuple(sorted(p.article.article_id for p in prepared if p.article.article_id not in existing)),
            updated=tuple(sorted(p.article.article_id for p in prepared if p.article.article_id in existing)),
            unchanged=unchanged,
            removed=removed,
            chunks_embedded=len(vectors),
        )

    def _embed(self, prepared: list[_Prepared], progress: Progress) -> npt.NDArray[np.float32]:
        texts = [c.embed_text(p.article.title) for p in prepared for c in p.chunks]
        progress(0, len(texts), f"Embedding {len(texts)} passages from {len(prepared)} articles")
        vectors = np.zeros((len(texts), self.embedder.dimensions), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), EMBED_GROUP):
            rows = order[start : start + EMBED_GROUP]
            vectors[rows] = self.embedder.encode([texts[i] for i in rows], batch_size=EMBED_BATCH)
            done = min(len(texts), start + EMBED_GROUP)
            progress(done, len(texts), f"Embedded {done} of {len(texts)} passages")
        return vectors

    def _upsert_vectors(self, prepared: list[_Prepared], vectors: npt.NDArray[np.float32]) -> None:
        ids, docs, metas = [], [], []
        for p in prepared:
            a = p.article
            for c in p.chunks:
                ids.append(p.chunk_id(c))
                docs.append(c.embed_text(a.title))
                metas.append(
                    {
                        "article_id": a.article_id,
                        "title": a.title,
                        "category": a.category,
                        "product": a.product,
                        "updated": a.updated,
                        "source": a.source,
                        "chunk_index": c.index,
                        "heading": c.heading,
                        "content_hash": a.content_hash,
                    }
                )
        for start in range(0, len(ids), CHROMA_BATCH):
            end = start + CHROMA_BATCH
            self.collection.upsert(
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=docs[start:end],
                metadatas=metas[start:end],  # type: ignore[arg-type]
            )

    def _swap_rows(
        self, prepared: list[_Prepared], removed: Sequence[str], origins: dict[str, str], *, actor: User
    ) -> list[str]:
        """Replace the articles' rows in one transaction; returns the chunk ids that are no longer live."""
        if not prepared and not removed:
            return []
        new = [
            stored.NewArticle(
                article=stored.StoredArticle(
                    p.article.article_id,
                    p.article.title,
                    p.article.category,
                    p.article.product,
                    p.article.updated,
                    p.article.source,
                    p.article.url,
                    p.article.text,
                    origins[p.article.article_id],
                ),
                content_hash=p.article.content_hash,
                passages=[
                    stored.StoredPassage(p.chunk_id(c), p.article.article_id, c.index, c.heading, c.text)
                    for c in p.chunks
                ],
            )
            for p in prepared
        ]
        with session_scope(self.engine) as session:
            current_actor(session, actor)
            stale = stored.replace_articles(session, articles=new, removed=removed, ingested_by=actor.email)
            for p in prepared:
                a = p.article
                audit.record(
                    session,
                    actor=actor.email,
                    action="kb.ingest",
                    entity_type="article",
                    entity_id=a.article_id,
                    detail={"title": a.title, "source": a.source, "chunks": len(p.chunks)},
                )
            for article_id in removed:
                audit.record(
                    session, actor=actor.email, action="kb.delete", entity_type="article", entity_id=article_id
                )
        live = {p.chunk_id(c) for p in prepared for c in p.chunks}
        return [cid for cid in stale if cid not in live]

    def _drop_vectors(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), CHROMA_BATCH):
            try:
                self.collection.delete(ids=list(ids[start : start + CHROMA_BATCH]))
            except Exception:
                return

    def index_status(self) -> IndexStatus:
        """Compare the vector index with SQL: a deleted, damaged or tampered index shows up here, not as worse
        answers. Every live passage must have a vector, and a random sample of the stored vectors must be
        the embeddings of their passages (vectors overwritten with random ones once still looked healthy)."""
        live = stored.passage_ids(self.engine)
        present = 0
        try:
            for start in range(0, len(live), CHROMA_BATCH):
                present += len(self.collection.get(ids=live[start : start + CHROMA_BATCH], include=[])["ids"])
            checked, mismatched = self._check_sample(live)
        except BaseException as e:  # chroma raises plain exceptions, or Rust panics, when its store is damaged
            if fatal(e):
                raise
            error = f"{type(e).__name__}: {str(e)[:160]}"
            return IndexStatus(passages=len(live), vectors=present, error=error, location=self.location)
        return IndexStatus(
            passages=len(live), vectors=present, checked=checked, mismatched=mismatched, location=self.location
        )

    def _check_sample(self, live: list[str]) -> tuple[int, int]:
        """Re-embed a random sample of live passages from their SQL text and compare with the stored vectors.
        Returns (checked, mismatched)."""
        sample = random.sample(live, min(STATUS_SAMPLE, len(live)))
        if not sample:
            return 0, 0
        got = self.collection.get(ids=sample, include=["embeddings"])
        vectors = dict(zip(got["ids"], got["embeddings"] if got["embeddings"] is not None else [], strict=True))
        texts = {p.id: _passage(p).embed_text(a.title) for p, a in stored.passages(self.engine, ids=list(vectors))}
        ids = [chunk_id for chunk_id in vectors if chunk_id in texts]
        if not ids:
            return 0, 0
        fresh = self.embedder.encode([texts[i] for i in ids])
        kept = np.asarray([vectors[i] for i in ids], dtype=np.float32)
        cosine = (kept * fresh).sum(axis=1) / np.maximum(np.linalg.norm(kept, axis=1), 1e-9)
        return len(ids), int((cosine < SAME_VECTOR).sum())

    def collect_garbage(self) -> int:
        """Delete vectors whose chunk is not live (left by an interrupted ingest). Returns how many."""
        live = set(stored.passage_ids(self.engine))
        stray = [cid for cid in self.collection.get(include=[])["ids"] if cid not in live]
        self._drop_vectors(stray)
        return len(stray)

    def _url(self, article: stored.StoredArticle) -> str | None:
        """The article's own public address, else HELP_CENTER_URL/<id> when a help center is configured."""
        if article.url:
            return article.url
        return f"{self.help_center_url}/{article.id}" if self.help_center_url else None  # kept without a final /

    # ---- read ---------------------------------------------------------------------------------

    def list_articles(self) -> list[ArticleSummary]:
        return stored.summaries(self.engine)

    def sources(self) -> list[KnowledgeSource]:
        """Every knowledge source: the configured ones (`assist.kb.sources`), synced or not, and every name articles
        were ingested under (uploads and folders are "files"), each with its articles and passages."""
        by_name: dict[str, list[ArticleSummary]] = {}
        for a in self.list_articles():
            by_name.setdefault(a.origin, []).append(a)
        configured = {s.name: s for s in configured_sources(self.engine)}
        return [
            (configured.get(name) or KnowledgeSource(name=name)).model_copy(
                update={
                    "articles": len(kept),
                    "passages": sum(a.chunk_count for a in kept),
                    "last_ingested_at": max((a.ingested_at for a in kept), default=None),
                }
            )
            for name, kept in sorted((name, by_name.get(name, [])) for name in {*by_name, *configured})
        ]

    def get_article(self, article_id: str) -> ArticleDetail:
        return stored.detail(self.engine, article_id=article_id)

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        category: str | None = None,
        product: str | None = None,
        mode: SearchMode = SearchMode.HYBRID,
        min_score: float = 0.0,
        query_vector: npt.NDArray[np.float32] | None = None,
    ) -> list[Hit]:
        """Articles that answer `query`, best first, each with its best passages.

        `query_vector` lets a caller that already embedded the text (the assist pipeline) skip a second pass.
        """
        text = query.strip()[: limits.KB_QUERY]
        if is_blank(text):
            raise ValidationError("The search text is empty: type a question or a few keywords.")
        live = self._current()
        if not live.chunks:
            return []
        filters = Filters(category=category or None, product=product or None)
        dense: dict[str, float] = {}
        if mode is not SearchMode.BM25:
            vector = query_vector if query_vector is not None else self.embedder.encode_one(text)
            try:
                dense = dense_candidates(self.collection, vector, live=live.chunks, filters=filters)
            except Exception as e:
                raise SearchIndexError(_INDEX_BROKEN.format(f"{type(e).__name__}: {str(e)[:120]}")) from e
            if not dense and self.collection.count() == 0:
                raise SearchIndexError(_INDEX_BROKEN.format(f"it is empty while {len(live.chunks)} passages exist"))
        bm25 = (
            bm25_candidates(live.lexical, text, live=live.chunks, filters=filters)
            if mode is not SearchMode.DENSE
            else {}
        )
        return rank(
            dense=dense, bm25=bm25, live=live.chunks, articles=live.articles, mode=mode, k=k, min_score=min_score
        )

    def generation(self) -> int:
        """Goes up with every change to the knowledge base (assistance computed before a change is stale)."""
        return self._current().generation

    def _current(self) -> _Live:
        """The live chunk set and BM25 index, rebuilt only when another writer changed the KB (or a backup was
        restored under this process)."""
        generation, stamp = stored.kb_version(self.engine)
        with self._lock:
            if self._live is not None and (self._live.generation, self._live.stamp) == (generation, stamp):
                return self._live
            rows = stored.passages(self.engine)
            articles = {
                a.id: LiveArticle(a.id, a.title, a.category, a.product, a.updated, a.source, self._url(a))
                for _, a in rows
            }
            chunks = {c.id: LiveChunk(c.id, c.article_id, c.heading, c.text, a.category, a.product) for c, a in rows}
            texts = [_passage(c).embed_text(a.title) for c, a in rows]
            self._live = _Live(generation, stamp, chunks, articles, LexicalIndex(list(chunks), texts))
            return self._live
