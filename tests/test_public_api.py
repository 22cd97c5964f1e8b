"""The package's contract: what it exports, and the layers it keeps."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import assist

ROOT = Path(__file__).parents[1]


def test_all_names_exist_once() -> None:
    assert all(hasattr(assist, name) for name in assist.__all__)
    assert len(set(assist.__all__)) == len(assist.__all__)  # the order is ruff's (RUF022)


def _ui_imports_of_assist() -> dict[str, list[str]]:
    """Every import of the assist package in the UI (app.py, ui/, pages/), as written, by file."""
    found: dict[str, list[str]] = {}
    for path in [ROOT / "app.py", *(ROOT / "ui").rglob("*.py"), *(ROOT / "pages").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "assist":
                names = [f"from {node.module} import {a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [f"import {a.name}" for a in node.names if a.name.split(".")[0] == "assist"]
            else:
                continue
            found.setdefault(path.relative_to(ROOT).as_posix(), []).extend(names)
    return found


def test_the_ui_imports_only_what_the_package_exports() -> None:
    """The pages and the UI helpers see the core through `assist.__all__` alone: a module moved or renamed
    inside the package changes nothing above it, and what the UI relies on is the list below."""
    exported = {f"from assist import {name}" for name in assist.__all__}
    imports = _ui_imports_of_assist()
    outside = {path: sorted(set(names) - exported) for path, names in imports.items() if set(names) - exported}
    assert imports and not outside, outside


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


def test_importing_the_package_loads_no_heavy_library_until_a_name_needs_it() -> None:
    """Every command (`python -m assist …`), worker and server process starts with `import assist`. It imported the
    whole public API, with torch, chromadb, langchain, pandas and scipy: 2.5 s before `--help` could answer. Names
    are now imported from their module on first use; the settings and the errors need none of those."""
    heavy = ("torch", "chromadb", "langchain_core", "pandas", "scipy", "transformers")
    code = (
        "import json, sys\n"
        "import assist\n"
        "from assist import AssistError, Settings, get_settings\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))))\n"
        "from assist import KnowledgeBase\n"
        "print('chromadb' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded, on_use = done.stdout.strip().splitlines()[-2:]
    assert json.loads(loaded) == []
    assert on_use == "True"  # a name that needs chromadb still brings it
