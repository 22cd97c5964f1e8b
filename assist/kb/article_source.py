"""What every knowledge source is: a name, and a sync that brings the knowledge base in line with the place its
articles live (`ArticleSource`). Each kind is one module (`folder_source`, `git_source`, `sitemap_source`) and one
line in `assist.kb.sources.KINDS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assist.domain import IngestReport, KnowledgeSource, User
from assist.kb.knowledge_base import KnowledgeBase, Progress


@dataclass(frozen=True)
class Synced:
    """What a sync did, and the version it brought in when the source has one (a Git commit)."""

    report: IngestReport
    version: str = ""


class ArticleSource(Protocol):
    """A place articles come from. A sync ingests its articles under `name` (unchanged ones embed nothing) and
    removes only this source's articles that are gone from it, and none when something could not be read."""

    @property
    def name(self) -> str: ...

    def sync(self, kb: KnowledgeBase, *, actor: User, progress: Progress) -> Synced: ...

    def forget(self) -> None:
        """Drop what the source keeps between syncs (a Git clone) once it is no longer configured."""
        ...


# How a configured source of one kind is built: from its configuration and the folder where sources may keep a
# working copy (`KnowledgeBase.checkouts`). Raises ValidationError when the configuration cannot work.
SourceKind = Callable[[KnowledgeSource, Path | None], ArticleSource]
