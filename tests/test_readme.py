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
