"""Knowledge sources as configuration (issue 37): an admin names a folder, a Git repository or a sitemap once;
`sync_source` syncs it by name, touches only its own articles, embeds nothing that did not change, and records
when it ran, what it did and why it failed, which the sources list shows."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assist.domain import KnowledgeSource, Role
from assist.errors import NotFoundError, PermissionDeniedError, SessionEndedError, ValidationError
from assist.kb import KnowledgeBase
from assist.kb.sources import KINDS, add_source, remove_source, sync_source
from assist.users import OPERATOR
from tests.conftest import article


def _commit(repo: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        (repo / name).write_bytes(content)
    for args in (("add", "-A"), ("-c", "user.name=D", "-c", "user.email=d@example.com", "commit", "-q", "-m", "docs")):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "docs-repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    _commit(repo, {"sso.md": article("sso", "Single sign-on", "Assign the Lumen app to the user in Okta.")})
    return repo


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    handbook = tmp_path / "handbook"
    handbook.mkdir()
    (handbook / "refunds.md").write_bytes(article("refunds", "Refunds", "Card refunds take 5-10 business days."))
    (handbook / "vat.md").write_bytes(article("vat", "VAT", "Add your VAT number under Billing details."))
    return handbook


def _source(kb: KnowledgeBase, name: str) -> KnowledgeSource:
    return next(s for s in kb.sources() if s.name == name)


def test_each_configured_source_syncs_by_name_and_leaves_the_others_alone(
    knowledge_base: KnowledgeBase, folder: Path, repository: Path
) -> None:
    kb = knowledge_base
    kb.ingest_files([("faq.md", article("faq", "FAQ", "Uploaded by hand."))], actor=OPERATOR)
    add_source(kb, name="handbook", kind="folder", location=str(folder), actor=OPERATOR)
    add_source(kb, name="docs", kind="git", location=str(repository), actor=OPERATOR)
    assert _source(kb, "docs").last_sync_at is None and _source(kb, "docs").articles == 0  # configured, not synced

    assert sync_source(kb, "handbook", actor=OPERATOR).report.added == ("refunds", "vat")
    docs = sync_source(kb, "docs", actor=OPERATOR)
    assert docs.report.added == ("sso",) and docs.version.startswith("commit ")

    (folder / "vat.md").unlink()
    again = sync_source(kb, "handbook", actor=OPERATOR)
    assert again.report.removed == ("vat",) and again.report.chunks_embedded == 0  # refunds unchanged: not embedded
    unchanged = sync_source(kb, "docs", actor=OPERATOR)
    assert unchanged.report.unchanged == ("sso",) and unchanged.report.chunks_embedded == 0
    assert sorted(a.id for a in kb.list_articles()) == ["faq", "refunds", "sso"]  # nothing of another source

    handbook, files = _source(kb, "handbook"), _source(kb, "files")
    assert (handbook.kind, handbook.location, handbook.articles) == ("folder", str(folder), 1)
    assert handbook.last_outcome == "1 unchanged, 1 removed" and handbook.last_error is None
    assert handbook.last_sync_at is not None
    assert not files.configured and files.articles == 1
    assert _source(kb, "docs").last_outcome == f"1 unchanged ({unchanged.version})"


def test_a_failed_sync_is_recorded_removes_nothing_and_clears_when_it_works_again(
    knowledge_base: KnowledgeBase, repository: Path, tmp_path: Path
) -> None:
    kb = knowledge_base
    add_source(kb, name="docs", kind="git", location=str(repository), actor=OPERATOR)
    sync_source(kb, "docs", actor=OPERATOR)
    moved = tmp_path / "moved"
    shutil.move(repository, moved)
    shutil.rmtree(tmp_path / "sources")  # no clone left: the next sync must reach the repository itself
    with pytest.raises(ValidationError, match="git clone failed"):
        sync_source(kb, "docs", actor=OPERATOR)
    failed = _source(kb, "docs")
    assert failed.last_error is not None and "git clone failed" in failed.last_error
    assert failed.last_outcome.startswith("1 new (commit ") and failed.articles == 1  # the last good sync; kept

    add_source(kb, name="docs", kind="git", location=str(moved), actor=OPERATOR)  # pointed at the new place
    sync_source(kb, "docs", actor=OPERATOR)
    assert _source(kb, "docs").last_error is None


def test_a_file_that_cannot_be_read_is_the_sources_last_error(knowledge_base: KnowledgeBase, folder: Path) -> None:
    kb = knowledge_base
    add_source(kb, name="handbook", kind="folder", location=str(folder), actor=OPERATOR)
    sync_source(kb, "handbook", actor=OPERATOR)
    (folder / "vat.md").unlink()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    report = sync_source(kb, "handbook", actor=OPERATOR).report
    assert [f.source for f in report.failed] == ["broken.pdf"] and report.removed == ()
    error = _source(kb, "handbook").last_error
    assert error is not None and error.startswith("broken.pdf: ") and error.endswith("Nothing was removed.")
    assert "vat" in [a.id for a in kb.list_articles()]  # a sync with a failure removes nothing


def test_a_source_that_cannot_work_is_refused_before_it_is_stored(
    knowledge_base: KnowledgeBase, folder: Path, tmp_path: Path
) -> None:
    kb = knowledge_base
    with pytest.raises(ValidationError, match="use one of: folder, git, sitemap"):
        add_source(kb, name="wiki", kind="confluence", location="https://wiki.example.com", actor=OPERATOR)
    with pytest.raises(ValidationError, match="holds the uploaded articles"):
        add_source(kb, name="files", kind="folder", location=str(folder), actor=OPERATOR)
    with pytest.raises(ValidationError, match="is not a folder on this machine"):
        add_source(kb, name="handbook", kind="folder", location=str(tmp_path / "nowhere"), actor=OPERATOR)
    with pytest.raises(ValidationError, match="http"):
        add_source(kb, name="site", kind="sitemap", location="ftp://help.example.com/sitemap.xml", actor=OPERATOR)
    agent = OPERATOR.model_copy(update={"role": Role.AGENT})
    with pytest.raises(PermissionDeniedError):
        add_source(kb, name="handbook", kind="folder", location=str(folder), actor=agent)
    assert kb.sources() == []
    with pytest.raises(NotFoundError, match=r"No knowledge source 'handbook'\. None is configured yet\."):
        sync_source(kb, "handbook", actor=OPERATOR)
    assert set(KINDS) == {"folder", "git", "sitemap"}


def test_removing_a_source_keeps_its_articles(knowledge_base: KnowledgeBase, folder: Path) -> None:
    kb = knowledge_base
    add_source(kb, name="handbook", kind="folder", location=str(folder), actor=OPERATOR)
    sync_source(kb, "handbook", actor=OPERATOR)
    remove_source(kb, "handbook", actor=OPERATOR)
    handbook = _source(kb, "handbook")
    assert not handbook.configured and handbook.articles == 2
    with pytest.raises(NotFoundError):
        sync_source(kb, "handbook", actor=OPERATOR)


def test_an_empty_folder_is_refused_and_removes_nothing(knowledge_base: KnowledgeBase, folder: Path) -> None:
    """Second read (issue 37): an unmounted share is an empty folder, and syncing it removed every article."""
    kb = knowledge_base
    add_source(kb, name="handbook", kind="folder", location=str(folder), actor=OPERATOR)
    sync_source(kb, "handbook", actor=OPERATOR)
    for file in folder.iterdir():
        file.unlink()
    with pytest.raises(ValidationError, match="holds no articles"):
        sync_source(kb, "handbook", actor=OPERATOR)
    assert sorted(a.id for a in kb.list_articles()) == ["refunds", "vat"]
    assert "holds no articles" in (_source(kb, "handbook").last_error or "")


def test_a_file_that_cannot_be_read_while_syncing_is_reported_and_removes_nothing(
    knowledge_base: KnowledgeBase, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Second read (issue 37): an unreadable file raised out of the sync (a traceback, the next sources skipped)."""
    kb = knowledge_base
    add_source(kb, name="handbook", kind="folder", location=str(folder), actor=OPERATOR)
    sync_source(kb, "handbook", actor=OPERATOR)
    (folder / "vat.md").unlink()
    opened = Path.open

    def refuse(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "refunds.md":
            raise PermissionError(13, "Permission denied")
        return opened(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    report = sync_source(kb, "handbook", actor=OPERATOR).report
    assert [f.error for f in report.failed] == ["refunds.md: cannot be read (Permission denied)."]
    assert report.removed == () and sorted(a.id for a in kb.list_articles()) == ["refunds", "vat"]


def test_a_session_that_ends_during_a_sync_records_nothing_on_the_source(
    knowledge_base: KnowledgeBase, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Second read (issue 37): the signed-out user's "session ended" was written as the source's last error."""

    @dataclass(frozen=True)
    class EndsTheSession:
        name: str

        def sync(self, kb: KnowledgeBase, *, actor: Any, progress: Any) -> Any:
            raise SessionEndedError("Your account was disabled; you were signed out; nothing was changed.")

    kb = knowledge_base
    add_source(kb, name="handbook", kind="folder", location=str(folder), actor=OPERATOR)
    monkeypatch.setitem(KINDS, "folder", lambda source, _checkouts: EndsTheSession(source.name))
    with pytest.raises(SessionEndedError):
        sync_source(kb, "handbook", actor=OPERATOR)
    handbook = _source(kb, "handbook")
    assert (handbook.last_sync_at, handbook.last_error) == (None, None)


def test_an_address_with_a_password_is_refused_and_a_folder_is_kept_by_its_full_path(
    knowledge_base: KnowledgeBase, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = knowledge_base
    with pytest.raises(ValidationError, match="no password or token"):
        add_source(kb, name="docs", kind="git", location="https://bot:s3cret@git.example.com/h.git", actor=OPERATOR)
    with pytest.raises(ValidationError, match="no password or token"):
        add_source(kb, name="docs", kind="git", location="https://ghp_token@github.com/o/h.git", actor=OPERATOR)
    ssh = add_source(kb, name="docs", kind="git", location="ssh://git@github.com/lumen/help.git", actor=OPERATOR)
    assert ssh.location == "ssh://git@github.com/lumen/help.git"  # the SSH user is no secret: the key is
    with pytest.raises(ValidationError):
        add_source(kb, name="site", kind="sitemap", location="https://[::1/sitemap.xml", actor=OPERATOR)
    monkeypatch.chdir(folder.parent)
    source = add_source(kb, name="handbook", kind="folder", location=folder.name, actor=OPERATOR)
    assert source.location == str(folder.resolve())


def test_a_removed_git_source_leaves_no_clone_and_a_source_keeps_its_kind(
    knowledge_base: KnowledgeBase, repository: Path, folder: Path, tmp_path: Path
) -> None:
    kb = knowledge_base
    add_source(kb, name="docs", kind="git", location=str(repository), actor=OPERATOR)
    sync_source(kb, "docs", actor=OPERATOR)
    assert any((tmp_path / "sources").iterdir())  # the clone kept between syncs
    with pytest.raises(ValidationError, match=r"'docs' is a git source\. Remove it first"):
        add_source(kb, name="docs", kind="folder", location=str(folder), actor=OPERATOR)
    remove_source(kb, "docs", actor=OPERATOR)
    assert not any((tmp_path / "sources").iterdir())
    assert _source(kb, "docs").articles == 1  # its articles stay until deleted
