"""A knowledge source kept in a Git repository of docs (markdown, text, HTML, PDF): cloned once, brought to the
remote's head on every sync, its files ingested as one source. Unchanged files embed nothing (their content hash
is the same); a file deleted upstream takes its article with it; other sources are not touched.

Git runs as a subprocess with no prompt (a repository that asks for credentials fails instead of hanging) and
the address after `--`, so it is never read as an option.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from assist.domain import IngestReport, KnowledgeSource, User
from assist.errors import ConfigError, ValidationError
from assist.kb.article_source import Synced
from assist.kb.knowledge_base import KnowledgeBase, Progress, no_progress
from assist.store.actors import check_session, require

GIT_TIMEOUT_S = 300


def _git(*args: str, cwd: Path | None = None) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true"}
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=GIT_TIMEOUT_S, check=False
        )
    except FileNotFoundError as e:
        raise ConfigError("git is not installed on this machine; install it to sync a Git knowledge source.") from e
    except subprocess.TimeoutExpired as e:
        raise ValidationError(f"git {args[0]} took more than {GIT_TIMEOUT_S} s; check the repository address.") from e
    if done.returncode:
        raise ValidationError(f"git {args[0]} failed: {done.stderr.strip()[-400:] or 'no message'}")
    return done.stdout


def checkout(repository: str, into: Path, *, branch: str | None = None) -> str:
    """Clone `repository` (a path or an address this machine can reach) into `into`, or bring the clone already
    there to the remote's head (a clone of another repository is replaced). Returns the commit now checked out."""
    if branch is not None and (not branch.strip() or branch.startswith("-")):
        raise ValidationError(f"{branch!r} is not a branch name.")
    if (into / ".git").is_dir() and _git("remote", "get-url", "origin", cwd=into).strip() != repository:
        shutil.rmtree(into)  # the source now follows another repository: start from a fresh clone
    if (into / ".git").is_dir():
        _git("fetch", "--depth", "1", "origin", branch or "HEAD", cwd=into)
        _git("reset", "--hard", "FETCH_HEAD", cwd=into)
    else:
        into.parent.mkdir(parents=True, exist_ok=True)
        _git("clone", "--depth", "1", *(["--branch", branch] if branch else []), "--", repository, str(into))
    return _git("rev-parse", "HEAD", cwd=into).strip()


def sync_git(
    kb: KnowledgeBase,
    repository: str,
    *,
    source: str,
    into: Path,
    actor: User,
    branch: str | None = None,
    progress: Progress = no_progress,
) -> tuple[str, IngestReport]:
    """Sync the knowledge `source` with the repository: (the commit synced, what the ingest did). The session is
    checked before anything is fetched; the ingest checks it again where it writes."""
    require(actor, action="change the knowledge base")
    check_session(kb.engine, actor=actor)
    commit = checkout(repository, into, branch=branch)
    return commit, kb.ingest_paths([into], actor=actor, remove_missing=True, progress=progress, source=source)


@dataclass(frozen=True)
class GitSource:
    name: str
    repository: str
    into: Path  # its clone, kept between syncs so a pull fetches only what changed
    branch: str | None = None

    @classmethod
    def configured(cls, source: KnowledgeSource, checkouts: Path | None) -> GitSource:
        if not (source.location or "").strip():
            raise ValidationError(
                "A Git source needs the repository's address or path, e.g. https://git.example.com/help.git."
            )
        if checkouts is None:
            raise ConfigError("This knowledge base has no folder for clones (CHROMA_PATH's parent holds them).")
        folder = hashlib.sha256(source.name.encode()).hexdigest()[:16]  # any name makes a safe folder
        return cls(name=source.name, repository=source.location or "", into=checkouts / folder, branch=source.branch)

    def forget(self) -> None:
        shutil.rmtree(self.into, ignore_errors=True)  # the clone; a source added again clones afresh

    def sync(self, kb: KnowledgeBase, *, actor: User, progress: Progress = no_progress) -> Synced:
        commit, report = sync_git(
            kb, self.repository, source=self.name, into=self.into, actor=actor, branch=self.branch, progress=progress
        )
        return Synced(report, version=f"commit {commit[:12]}")
