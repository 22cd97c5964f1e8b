"""Text a customer or agent reads (help-center articles, demo content) never carries the code's own names:
a rename in the code once turned "Settings → Workspace" into "Settings → OpenTicket" in four articles."""

from pathlib import Path

import pytest

from assist.demo import content

ROOT = Path(__file__).parents[1]
CODE_NAMES = ("OpenTicket", "TicketDetail", "Assistance(", "ReplyState")


@pytest.mark.parametrize("path", sorted((ROOT / "kb_docs").glob("*.md")), ids=lambda p: p.name)
def test_help_center_articles_name_no_code_identifiers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not [name for name in CODE_NAMES if name in text]


@pytest.mark.parametrize(
    "path", sorted(Path(content.__file__).parent.rglob("*.py")), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_demo_content_names_no_code_identifiers(path: Path) -> None:
    """Every module of the demo's words (topics, voices, people, scenarios), not only content.py."""
    text = path.read_text(encoding="utf-8")
    assert not [name for name in CODE_NAMES if name in text]
