"""A knowledge source that is a folder on this machine (markdown, text, HTML, PDF, in sub-folders too): every sync
ingests what is there and removes the articles of files deleted from it; unchanged files embed nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assist.domain import KnowledgeSource, User
from assist.errors import ValidationError
from assist.kb.article_source import Synced
from assist.kb.knowledge_base import KnowledgeBase, Progress, no_progress


@dataclass(frozen=True)
class FolderSource:
    name: str
    folder: Path

    @classmethod
    def configured(cls, source: KnowledgeSource, checkouts: Path | None) -> FolderSource:
        folder = Path(source.location or "")
        if not (source.location or "").strip() or not folder.is_dir():
            raise ValidationError(
                f"'{source.location}' is not a folder on this machine; give the path of the folder that holds the "
                "articles, e.g. /srv/help/articles."
            )
        return cls(name=source.name, folder=folder)

    def forget(self) -> None:
        return None  # the folder is the team's own: nothing of ours to drop

    def sync(self, kb: KnowledgeBase, *, actor: User, progress: Progress = no_progress) -> Synced:
        # An empty folder (an unmounted share) is refused by ingest_paths, which every sync of files goes through.
        return Synced(
            kb.ingest_paths([self.folder], actor=actor, remove_missing=True, progress=progress, source=self.name)
        )
