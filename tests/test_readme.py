"""README is for users: what it is, the two commands, the walkthrough, configuration, security, figures."""

from __future__ import annotations

import re
from pathlib import Path

from assist.config import Settings

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_points_to_nothing_a_user_does_not_have() -> None:
    """Defect: README pointed to ../shared/... paths that only the developers have."""
    assert "../shared" not in README and "shared/data" not in README
    for link in re.findall(r"\]\(([^)#]+)\)", README):
        assert (ROOT / link).exists(), link


def test_readme_shows_the_two_commands_and_stays_a_user_document() -> None:
    assert "make run" in README and "make test" in README
    assert len(README.encode()) < 20_000  # internals live in docs/
    for doc in ("architecture.md", "benchmarks.md", "evaluation.md"):
        assert (ROOT / "docs" / doc).exists()


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in README, name


def test_every_command_line_command_is_documented() -> None:
    """Issue 36: a command nobody can find does not exist. Each `python -m assist` command is named in README or
    in the developer commands of docs/architecture.md (which README links)."""
    import click

    from assist.cli import main

    def commands(command: click.Command, path: tuple[str, ...] = ()) -> list[str]:
        if isinstance(command, click.Group):
            return [c for name, sub in command.commands.items() for c in commands(sub, (*path, name))]
        return [" ".join(path)]

    root = Path(__file__).parents[1]
    documented = (root / "README.md").read_text() + (root / "docs" / "architecture.md").read_text()
    assert [c for c in commands(main) if f"python -m assist {c}" not in documented] == []
