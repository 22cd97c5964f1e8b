"""The package's contract: what it exports, and the layers it keeps."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import assist

ROOT = Path(__file__).parents[1]


def test_all_names_exist_and_are_sorted() -> None:
    assert all(hasattr(assist, name) for name in assist.__all__)
    assert assist.__all__ == sorted(assist.__all__)


def test_the_entry_points_the_pages_use_are_exported() -> None:
    """The real entry points: every service function a page calls to act on tickets is in `assist.__all__`."""
    services = {"ticket_actions", "queue", "inbox", "pipeline"}
    used: set[str] = set()
    for page in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]:
        for node in ast.walk(ast.parse(page.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1] in services:
                used |= {alias.name for alias in node.names if not alias.name[0].isupper()}
    assert used and used <= set(assist.__all__), sorted(used - set(assist.__all__))


def test_importing_every_core_module_loads_neither_streamlit_nor_the_ui() -> None:
    """In a fresh interpreter: a text search would miss an importlib route into the UI."""
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "assist").rglob("*.py")
        if "migrations" not in p.parts and p.name != "__main__.py"
    )
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'ui', 'pages'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert len(modules) > 60
