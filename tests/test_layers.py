"""The layer table of docs/architecture.md as data, checked against every import in the code (issue 36).

Each module belongs to one layer (the longest matching prefix below decides); a module may import its own layer
and the layers beneath it, never one above. Imports inside functions count too: a lazy import is still a
dependency. `assist/dev/`, `assist/demo/`, `tools/` and `tests/` are off the product path: they may import
anything, and nothing on the path imports them, except the CLI, whose developer commands (`eval`, `train`,
`bench`, `seed-demo`) run them. A module that belongs to no layer fails, so a new one is placed on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]

# Lowest first, as docs/architecture.md draws them.
LAYERS: dict[str, tuple[str, ...]] = {
    "shared": (
        "assist.config", "assist.errors", "assist.domain", "assist.text", "assist.times", "assist.edits",
        "assist.recalibration", "assist.sensitive_numbers",
    ),
    "store": ("assist.store",),
    "engines": (
        "assist.kb", "assist.embeddings", "assist.sentiment", "assist.triage", "assist.drafting", "assist.escalation",
        "assist.priority", "assist.history", "assist.topics", "assist.handoff", "assist.stemming", "assist.quantised",
    ),
    "services": (
        "assist.identifiers", "assist.inbox", "assist.ticket_actions", "assist.queue", "assist.pipeline",
        "assist.lifecycle", "assist.arrival", "assist.masking", "assist.intake", "assist.intake_api", "assist.mail_in",
        "assist.mail_threading", "assist.mail_mime", "assist.mail_text", "assist.mail_parse", "assist.preparation",
        "assist.signing", "assist.authentication", "assist.sessions", "assist.unsent_replies", "assist.similar",
        "assist.devices", "assist.csat", "assist.delivery", "assist.metrics", "assist.knowledge_gaps", "assist.users",
        "assist.audit", "assist.ownership", "assist.presence", "assist.csv_export", "assist.work_queue",
        "assist.factories", "assist.mail_headers", "assist.telemetry", "assist.funnel", "assist.experiments",
        "assist.effects", "assist.macros",
    ),
    "package": ("assist", "assist.cli", "assist.__main__"),  # the public API and the command line
    "ui": ("ui",),
    "pages": ("pages", "app"),
}  # fmt: skip
OFF_THE_PATH = ("assist.dev", "assist.demo", "tools", "tests")
RUNS_THE_DEV_TOOLS = frozenset({"assist.cli"})
ORDER = tuple(LAYERS)


def _prefix_of(module: str, prefixes: tuple[str, ...]) -> str | None:
    """The longest of `prefixes` that is `module` or a package above it. The package `assist` claims only its
    `__init__` (the public API): every other module of the core is placed on purpose."""
    matches = [p for p in prefixes if module == p or (p != "assist" and module.startswith(p + "."))]
    return max(matches, key=len) if matches else None


def layer_of(module: str) -> str | None:
    """The layer whose longest prefix matches; "off" for the tools off the product path; None if unplaced."""
    best: tuple[int, str] | None = None
    for layer, prefixes in {**LAYERS, "off": OFF_THE_PATH}.items():
        prefix = _prefix_of(module, prefixes)
        if prefix is not None and (best is None or len(prefix) > best[0]):
            best = (len(prefix), layer)
    return best[1] if best else None


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _exists(module: str) -> bool:
    base = ROOT.joinpath(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def imported(source: str) -> set[str]:
    """Every first-party module the source imports (`from assist import devices` is `assist.devices`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if _exists(child) else node.module)
    return {m for m in found if m.split(".")[0] in ("assist", "ui", "pages", "app", "tools", "tests")}


def product_modules() -> list[Path]:
    files = [p for d in ("assist", "ui", "pages") for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts]
    return sorted([*files, ROOT / "app.py"])


def crossings() -> tuple[set[tuple[str, str]], list[str]]:
    """(every import that breaks the table, every module no layer claims)."""
    broken: set[tuple[str, str]] = set()
    unplaced: list[str] = []
    for path in product_modules():
        module = _module_name(path)
        layer = layer_of(module)
        if layer is None:
            unplaced.append(module)
            continue
        if layer == "off":
            continue
        for target in imported(path.read_text(encoding="utf-8")):
            target_layer = layer_of(target)
            if target_layer is None:
                unplaced.append(target)
            elif target_layer == "off":
                if module not in RUNS_THE_DEV_TOOLS:
                    broken.add((module, target))
            elif ORDER.index(target_layer) > ORDER.index(layer):
                broken.add((module, target))
    return broken, unplaced


def test_every_module_has_a_layer() -> None:
    assert crossings()[1] == []


def test_no_module_imports_a_layer_above_its_own() -> None:
    broken, _ = crossings()
    assert broken == set(), "import a layer above: " + ", ".join(sorted(map(" -> ".join, broken)))


def test_the_check_sees_a_lazy_import_upward() -> None:
    """The walker itself: an import inside a function, from the store up to a service, is found."""
    source = "def f():\n    from assist.lifecycle import change_status\n"
    assert imported(source) == {"assist.lifecycle"}
    assert ORDER.index(layer_of("assist.lifecycle") or "") > ORDER.index(layer_of("assist.store.escalations") or "")


def test_a_new_core_module_belongs_to_no_layer_until_it_is_placed() -> None:
    assert layer_of("assist") == "package" and layer_of("assist.cli") == "package"
    assert layer_of("assist.a_new_module") is None  # the package's own prefix does not claim it
    assert layer_of("assist.kb.a_new_module") == "engines"
