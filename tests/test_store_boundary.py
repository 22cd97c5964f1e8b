"""The store is the only code that speaks SQL (docs/architecture.md, issue 36).

A module outside `assist/store/` speaks SQL when it imports the ORM module (`assist.store.models`) or
builds a query with SQLAlchemy's constructs (`select`, `update`, `func`, a dialect's `insert`, ...). Passing an
`Engine` or a `Session` through, or catching SQLAlchemy's errors, is not speaking SQL. `assist/dev/` and
`assist/demo/` are off the product path.

Not every service has moved its queries into a repository yet: `NOT_YET_MOVED` names the ones that have not.
The list may only shrink. A new module that speaks SQL fails the test, and so does a listed module that no
longer does (take it off the list, so it cannot quietly start again).
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
NOT_YET_MOVED = frozenset(
    {
        "assist/kb/knowledge_base.py",
        "assist/metrics.py",
    }
)


def speaks_sql(source: str) -> list[str]:
    """What in `source` speaks SQL: each offending import, as written."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name == "assist.store.models"]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "assist.store.models":
                names = [a.name for a in node.names]  # the rows, and nothing else lives there
            elif node.module.startswith("sqlalchemy.dialects"):
                names = [a.name for a in node.names]
            elif node.module.split(".")[0] == "sqlalchemy":
                names = [a.name for a in node.names if a.name in QUERY_BUILDERS]
            else:
                names = []
            found += [f"from {node.module} import {name}" for name in names]
    return found


def test_the_check_recognises_each_way_of_speaking_sql() -> None:
    assert speaks_sql("from assist.store.models import TicketRow") == ["from assist.store.models import TicketRow"]
    assert speaks_sql("from assist.store.models import Base") == ["from assist.store.models import Base"]
    assert speaks_sql("from assist.times import utcnow") == []  # the clock is not the ORM
    assert speaks_sql("from sqlalchemy import Engine, select") == ["from sqlalchemy import select"]
    assert speaks_sql("from sqlalchemy.dialects import postgresql") == ["from sqlalchemy.dialects import postgresql"]
    assert speaks_sql("import assist.store.models") == ["import assist.store.models"]
    assert speaks_sql("from sqlalchemy import Engine\nfrom sqlalchemy.exc import IntegrityError") == []


def test_only_the_store_speaks_sql_and_the_modules_not_yet_moved_only_shrink() -> None:
    speaking = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "assist").rglob("*.py")
        if not path.relative_to(ROOT).as_posix().startswith(OFF_THE_PRODUCT_PATH) and speaks_sql(path.read_text())
    }
    assert not speaking - NOT_YET_MOVED, f"new SQL outside assist/store/ (add a repository): {speaking - NOT_YET_MOVED}"
    assert not NOT_YET_MOVED - speaking, f"no longer speaks SQL, take it off NOT_YET_MOVED: {NOT_YET_MOVED - speaking}"
