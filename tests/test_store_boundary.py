"""The store is the only code that speaks SQL (docs/architecture.md, issue 36).

A module speaks SQL when it imports the ORM module (`assist.store.models`, however the import is written), builds a
query with SQLAlchemy's constructs (`select`, `update`, `func`, a dialect's `insert`, ..., also as `sa.select`) or
runs SQL written as a string (`exec_driver_sql`). Passing an `Engine` or a `Session` through,
or catching SQLAlchemy's errors, is not speaking SQL. The product is `assist/`, `ui/`, `pages/` and `app.py`;
`assist/dev/`, `assist/demo/` and `tools/` are off its path (benchmarks, the demo's seed, scripts).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
OFF_THE_PRODUCT_PATH = ("assist/store/", "assist/dev/", "assist/demo/")
QUERY_BUILDERS = frozenset(
    {
        "and_", "asc", "bindparam", "case", "cast", "column", "delete", "desc", "distinct", "exists", "false",
        "func", "insert", "join", "lateral", "literal", "literal_column", "not_", "null", "or_", "outerjoin",
        "over", "select", "table", "text", "true", "tuple_", "union", "union_all", "update", "values",
    }
)  # fmt: skip


def speaks_sql(source: str) -> list[str]:
    """What in `source` speaks SQL: each offending import or use, as written."""
    found = []
    tree = ast.parse(source)
    sqlalchemy_names = set()  # what `import sqlalchemy[.orm] [as sa]` bound
    store_names = set()  # what `from assist import store` bound
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "assist.store.models" or a.name.startswith("sqlalchemy.dialects"):
                    found.append(f"import {a.name}")
                elif a.name.split(".")[0] == "sqlalchemy":
                    sqlalchemy_names.add(a.asname or "sqlalchemy")
                elif a.name.split(".")[:2] == ["assist", "store"] and a.asname is None:
                    store_names.add("assist")  # `assist.store.models.X` starts at `assist`
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "assist.store.models":
                names = [a.name for a in node.names]  # the rows, and nothing else lives there
            elif node.module == "assist.store":
                names = [a.name for a in node.names if a.name == "models"]
            elif node.module.startswith("sqlalchemy.dialects"):
                names = [a.name for a in node.names]
            elif node.module.split(".")[0] == "sqlalchemy":
                names = [a.name for a in node.names if a.name in QUERY_BUILDERS]
            else:
                names = []
            if node.module == "assist":
                store_names |= {a.asname or a.name for a in node.names if a.name == "store"}
            found += [f"from {node.module} import {name}" for name in names]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "exec_driver_sql":  # SQL written as a string
            found.append(".exec_driver_sql")
    for chain in _chains(tree):
        root, parts = chain[0], chain[1:]
        if (root in sqlalchemy_names and QUERY_BUILDERS & set(parts)) or (root in store_names and "models" in parts):
            found.append(".".join(chain))
    return found


def _chains(tree: ast.AST) -> list[list[str]]:
    """Every outermost `name.attr.attr...` in `tree`, as its parts."""
    inner = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    chains = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            parts: list[str] = []
            current: ast.expr = node
            while isinstance(current, ast.Attribute):
                parts.insert(0, current.attr)
                current = current.value
            if isinstance(current, ast.Name):
                chains.append([current.id, *parts])
    return chains


def test_the_check_recognises_each_way_of_speaking_sql() -> None:
    assert speaks_sql("from assist.store.models import TicketRow") == ["from assist.store.models import TicketRow"]
    assert speaks_sql("from assist.store.models import Base") == ["from assist.store.models import Base"]
    assert speaks_sql("from assist.times import utcnow") == []  # the clock is not the ORM
    assert speaks_sql("from sqlalchemy import Engine, select") == ["from sqlalchemy import select"]
    assert speaks_sql("from sqlalchemy.dialects import postgresql") == ["from sqlalchemy.dialects import postgresql"]
    assert speaks_sql("import assist.store.models") == ["import assist.store.models"]
    assert speaks_sql("from sqlalchemy import Engine\nfrom sqlalchemy.exc import IntegrityError") == []
    assert speaks_sql("from assist.store import models, runs") == ["from assist.store import models"]
    assert speaks_sql("import sqlalchemy as sa\nq = sa.select(1)\nsa.Engine") == ["sa.select"]
    assert speaks_sql("import sqlalchemy\nsqlalchemy.func.count()") == ["sqlalchemy.func.count"]
    assert speaks_sql("import sqlalchemy.orm\nsqlalchemy.select(1)") == ["sqlalchemy.select"]
    assert speaks_sql("import sqlalchemy as sa\nsa.sql.select(1)") == ["sa.sql.select"]
    assert speaks_sql("from assist import store\nstore.models.TicketRow") == ["store.models.TicketRow"]
    assert speaks_sql("import assist.store.runs\nassist.store.models.TicketRow") == ["assist.store.models.TicketRow"]
    assert speaks_sql("from assist import store\nstore.runs.is_current") == []
    assert speaks_sql("conn.exec_driver_sql('DELETE FROM tickets')") == [".exec_driver_sql"]


def test_only_the_store_speaks_sql() -> None:
    product = [*(ROOT / "assist").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), *(ROOT / "pages").rglob("*.py")]
    speaking = {
        where: found
        for path in [*product, ROOT / "app.py"]
        if not (where := path.relative_to(ROOT).as_posix()).startswith(OFF_THE_PRODUCT_PATH)
        and (found := speaks_sql(path.read_text()))
    }
    assert not speaking, f"SQL outside assist/store/ (add a function to a repository there): {speaking}"
