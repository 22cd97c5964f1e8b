"""A knowledge source kept in a Git repository (issue 37), against a real repository the test creates: cloned,
then pulled after upstream commits; only changed files embed, a deleted file takes its article, other sources
and hidden folders are left alone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assist.domain import Role
from assist.errors import ValidationError
from assist.kb import KnowledgeBase
from assist.kb.git_source import sync_git
from assist.users import OPERATOR
from tests.conftest import article


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _commit(repo: Path, files: dict[str, bytes | None], message: str) -> None:
    for name, content in files.items():
        path = repo / name
        if content is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=Docs", "-c", "user.email=docs@example.com", "commit", "-q", "-m", message)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "docs"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _commit(
        repo,
        {
            "billing/refunds.md": article("refunds", "Refunds", "Card refunds take 5-10 business days."),
            "account/password.md": article("password", "Password reset", "Use Forgot password on the sign-in page."),
            ".github/template.md": article("template", "Issue template", "Not an article."),
        },
        "first docs",
    )
    return repo


def test_a_git_source_is_cloned_then_pulled_and_only_what_changed_embeds(
    knowledge_base: KnowledgeBase, repository: Path, tmp_path: Path
) -> None:
    knowledge_base.ingest_files([("faq.md", article("faq", "FAQ", "Other source."))], actor=OPERATOR)
    secret = tmp_path / "server.md"
    secret.write_text("# Server\n\nDATABASE_PASSWORD=hunter2\n")
    (repository / "leak.md").symlink_to(secret)  # a link committed upstream must not read the server's files
    _commit(repository, {}, "a link")
    into = tmp_path / "sources" / "docs"
    first_commit, first = sync_git(knowledge_base, str(repository), source="docs", into=into, actor=OPERATOR)
    assert first.added == ("password", "refunds")  # the hidden .github folder is not read
    _commit(
        repository,
        {
            "billing/refunds.md": article("refunds", "Refunds", "Card refunds take 3-5 business days now."),
            "account/password.md": None,
        },
        "faster refunds; password page moved",
    )
    second_commit, second = sync_git(knowledge_base, str(repository), source="docs", into=into, actor=OPERATOR)
    assert second_commit != first_commit
    assert (second.updated, second.removed, second.unchanged) == (("refunds",), ("password",), ())
    assert sorted(a.id for a in knowledge_base.list_articles()) == ["faq", "refunds"]  # the other source stays
    _, third = sync_git(knowledge_base, str(repository), source="docs", into=into, actor=OPERATOR)
    assert third.unchanged == ("refunds",) and third.chunks_embedded == 0


def test_files_of_the_same_name_in_different_folders_are_two_articles(
    knowledge_base: KnowledgeBase, repository: Path, tmp_path: Path
) -> None:
    """Defect (issue 37): articles were named by file name alone, so `billing/index.md` and `account/index.md`
    (no `id:` of their own, as docs sites often write them) collided and the sync was refused."""
    _commit(
        repository,
        {
            "billing/index.md": b"# Billing\n\nInvoices are issued on the first day of each month.\n",
            "account/index.md": b"# Account\n\nThe owner can rename the workspace under Settings.\n",
        },
        "section pages",
    )
    _, report = sync_git(knowledge_base, str(repository), source="docs", into=tmp_path / "clone", actor=OPERATOR)
    assert report.failed == ()
    assert {"account-index", "billing-index"} <= set(report.added)
    assert knowledge_base.get_article("billing-index").source == "billing-index.md"


def test_an_unreachable_repository_says_so_and_changes_nothing(knowledge_base: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="git clone failed"):
        sync_git(knowledge_base, str(tmp_path / "nowhere"), source="docs", into=tmp_path / "c", actor=OPERATOR)
    with pytest.raises(ValidationError, match="git clone failed"):  # an address is never read as an option
        sync_git(knowledge_base, "--upload-pack=touch /tmp/x", source="docs", into=tmp_path / "d", actor=OPERATOR)
    assert knowledge_base.list_articles() == []


def test_a_stale_session_fetches_nothing(knowledge_base: KnowledgeBase, repository: Path, tmp_path: Path) -> None:
    from assist.errors import SessionEndedError
    from assist.users import create_user, set_user_active

    admin = create_user(
        knowledge_base.engine, email="a@lumen.app", name="A", role=Role.ADMIN, password="p" * 12, actor=OPERATOR
    )
    set_user_active(knowledge_base.engine, user_id=admin.id, active=False, actor=OPERATOR)
    with pytest.raises(SessionEndedError):
        sync_git(knowledge_base, str(repository), source="docs", into=tmp_path / "c", actor=admin)
    assert not (tmp_path / "c").exists() and knowledge_base.list_articles() == []
