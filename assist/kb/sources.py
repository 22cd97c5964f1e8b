"""Knowledge sources as configuration: an admin names a source and where it lives (`add_source`), and
`sync_source` brings its articles in line with that place, recording when it ran, what it did and what failed.
A sync touches only its own source's articles (`KnowledgeBase.ingest_files`).

A new kind of source is one module with a class that follows `article_source.ArticleSource` and one line in
KINDS; the command line (`kb sources add NAME KIND LOCATION`, `kb sync NAME`) and the Knowledge base page read
the registry, so nothing else changes.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

from assist.domain import IngestReport, KnowledgeSource, User
from assist.errors import AssistError, ConfigError, PermissionDeniedError, SessionEndedError, ValidationError
from assist.kb.article_source import SourceKind, Synced
from assist.kb.folder_source import FolderSource
from assist.kb.git_source import GitSource
from assist.kb.knowledge_base import KnowledgeBase, Progress, no_progress, source_name
from assist.kb.sitemap_source import SitemapSource
from assist.store import audit, limits
from assist.store import knowledge_sources as stored
from assist.store.actors import check_session, current_actor, require
from assist.store.articles import DEFAULT_ORIGIN
from assist.store.db import session_scope
from assist.times import utcnow

KINDS: dict[str, SourceKind] = {
    "folder": FolderSource.configured,
    "git": GitSource.configured,
    "sitemap": SitemapSource.configured,
}


def add_source(
    kb: KnowledgeBase, *, name: str, kind: str, location: str, actor: User, branch: str | None = None
) -> KnowledgeSource:
    """Configure the knowledge source `name` (admins), or point an existing one elsewhere. Nothing is fetched:
    `sync_source` does that.

    Raises:
        ValidationError: an unknown kind, a reserved or overlong name, or a place this kind cannot sync from.
    """
    require(actor, action="change the knowledge base")
    name = source_name(name)
    if name == DEFAULT_ORIGIN:
        raise ValidationError(
            f"'{DEFAULT_ORIGIN}' holds the uploaded articles, which a sync would remove; give the source another name."
        )
    if kind not in KINDS:
        raise ValidationError(f"'{kind}' is not a kind of knowledge source; use one of: {', '.join(KINDS)}.")
    location = location.strip()
    branch = (branch or "").strip() or None
    if len(location) > limits.SOURCE_LOCATION or (branch is not None and len(branch) > limits.SOURCE_BRANCH):
        raise ValidationError(
            f"A source's address is at most {limits.SOURCE_LOCATION:,} characters "
            f"and its branch {limits.SOURCE_BRANCH}."
        )
    if _holds_a_secret(location):
        raise ValidationError(
            "Put no password or token in a source's address: it would be stored and shown. Give the machine access "
            "another way (an SSH key, a git credential helper, a read-only deploy key)."
        )
    if kind == "folder" and location:
        try:
            location = str(Path(location).expanduser().resolve())  # the same folder whichever process syncs it
        except (RuntimeError, ValueError, OSError) as e:
            raise ValidationError(f"'{location[:200]}' is not a folder path this machine can read ({e}).") from e
    source = KnowledgeSource(name=name, kind=kind, location=location, branch=branch)
    KINDS[kind](source, kb.checkouts)  # refuses a configuration this kind cannot sync from, before it is stored
    known = stored.find(kb.engine, name)
    if known is not None and known.kind != kind:  # its articles came from another kind of place
        raise ValidationError(
            f"'{name}' is a {known.kind} source. Remove it first (`python -m assist kb sources remove {name}`), or "
            "give the new source another name."
        )
    with session_scope(kb.engine) as session:
        current_actor(session, actor)
        new = stored.save(session, name=name, kind=kind, location=location, branch=branch, by=actor.email)
        audit.record(
            session,
            actor=actor.email,
            action="kb.source_added" if new else "kb.source_changed",
            entity_type="knowledge_source",
            entity_id=name,
            detail={"kind": kind, "location": location, "branch": branch},
        )
    return stored.configured_source(kb.engine, name)


def remove_source(kb: KnowledgeBase, name: str, *, actor: User) -> None:
    """Forget a source's configuration (admins). Its articles stay searchable until deleted one by one or
    synced again under a new configuration.

    Raises:
        NotFoundError: no source of that name is configured.
    """
    require(actor, action="change the knowledge base")
    config = stored.configured_source(kb.engine, name)
    with session_scope(kb.engine) as session:
        current_actor(session, actor)
        stored.forget(session, name=name)
        audit.record(
            session, actor=actor.email, action="kb.source_removed", entity_type="knowledge_source", entity_id=name
        )
    with suppress(ValidationError, ConfigError):  # a folder that is gone leaves nothing of ours to drop
        KINDS[config.kind or ""](config, kb.checkouts).forget()


def sync_source(kb: KnowledgeBase, name: str, *, actor: User, progress: Progress = no_progress) -> Synced:
    """Sync the configured source `name` and record how it went: when, what it did, and what failed (a sync that
    raises is recorded as failed, then raised; one in which some files failed records them).

    Raises:
        NotFoundError: no source of that name is configured.
        AssistError: the sync failed (the message says what to check); nothing was removed.
    """
    require(actor, action="change the knowledge base")
    check_session(kb.engine, actor=actor)  # a signed-out session syncs nothing and records nothing
    config = stored.configured_source(kb.engine, name)
    started = utcnow()
    try:
        synced = KINDS[config.kind or ""](config, kb.checkouts).sync(kb, actor=actor, progress=progress)
    except (SessionEndedError, PermissionDeniedError):
        raise  # about who asked, not about the source: a signed-out session records nothing
    except Exception as e:  # recorded, a defect included, so the sources list shows that this sync failed
        stored.record_sync(kb.engine, name=name, at=started, outcome=None, error=failure(e)[: limits.SOURCE_ERROR])
        raise
    stored.record_sync(
        kb.engine,
        name=name,
        at=started,
        outcome=outcome(synced)[: limits.SOURCE_OUTCOME],
        error=_failures(synced.report),
    )
    return synced


def failure(error: Exception) -> str:
    """Why a sync failed, in words: an AssistError says what to check; anything else is a defect to report."""
    if isinstance(error, AssistError):
        return str(error)
    return f"{type(error).__name__}: {str(error)[:300]} (a defect: report it)"


def _holds_a_secret(location: str) -> bool:
    """A password in any address, or a user name in a web address (`https://bot:token@…`, `https://token@…`).
    `ssh://git@host/…` names the SSH user, not a secret."""
    try:
        parts = urlsplit(location)
        return bool(parts.password) or (parts.scheme in ("http", "https") and bool(parts.username))
    except ValueError:  # not a URL at all ("https://[::1/x"): the kind's own check refuses it
        return False


def outcome(synced: Synced) -> str:
    """What a sync did, in words: "3 new, 1 updated, 40 unchanged, 2 removed (commit 1a2b3c4d5e6f)"."""
    r = synced.report
    counts = [(len(r.added), "new"), (len(r.updated), "updated"), (len(r.unchanged), "unchanged")]
    counts += [(len(r.removed), "removed"), (len(r.failed), "failed")]
    said = ", ".join(f"{n:,} {what}" for n, what in counts if n) or "no articles"
    return f"{said} ({synced.version})" if synced.version else said


def _failures(report: IngestReport) -> str | None:
    if not report.failed:
        return None
    more = f" (and {len(report.failed) - 1:,} more)" if len(report.failed) > 1 else ""
    return f"{report.failed[0].error[: limits.SOURCE_ERROR - 80]}{more}. Nothing was removed."
