"""Each field limit is defined once, by the column that stores the text (issue 36): the import rows, the HTTP
intake's schema and the identifier rules read it from `assist.store.limits`, so widening a column widens every
path that fills it, and no path refuses what another accepts."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from annotated_types import MaxLen

from assist.arrival import LIMITS
from assist.domain import ImportField
from assist.intake_api import NewMessage, NewTicket
from assist.store.models import CustomerRow, MessageRow, TicketRow

ROOT = Path(__file__).parents[1]


def _length(column: Any) -> int:
    return int(column.property.columns[0].type.length)


def _max_len(model: Any, field: str) -> int:
    return next(m.max_length for m in model.model_fields[field].metadata if isinstance(m, MaxLen))


@pytest.mark.parametrize(
    ("model", "field", "import_field", "column"),
    [
        (NewTicket, "subject", ImportField.SUBJECT, TicketRow.subject),
        (NewTicket, "customer_name", ImportField.CUSTOMER_NAME, CustomerRow.name),
        (NewMessage, "message_id", ImportField.MESSAGE_ID, MessageRow.external_id),
        (NewTicket, "external_id", None, TicketRow.external_id),
        (NewMessage, "customer_email", None, CustomerRow.email),
    ],
)
def test_the_import_and_the_http_intake_allow_what_the_column_holds(
    model: Any, field: str, import_field: ImportField | None, column: Any
) -> None:
    assert _max_len(model, field) == _length(column)
    if import_field is not None:
        assert LIMITS[import_field] == _length(column)


def test_an_article_may_use_every_character_its_columns_hold_and_no_more(postgres_engine: Any) -> None:
    """The knowledge-base parser read its limits from numbers of its own (file names 200 while the column holds
    260, titles cut at 200, addresses at 497): PostgreSQL, which enforces a column's length, stores what the
    parser accepts at each column's full length, and the parser refuses one character more."""
    from assist.errors import ValidationError
    from assist.kb.parsers import parse_file
    from assist.store import articles, limits
    from assist.store.db import session_scope

    def markdown(*, product: str, url: str) -> bytes:
        return f"---\nproduct: {product}\nurl: {url}\n---\n# {'T' * (limits.ARTICLE_TITLE + 50)}\n\nBody.\n".encode()

    name = "a" * (limits.ARTICLE_SOURCE - 3) + ".md"
    url = "https://help.example/" + "p" * (limits.ARTICLE_URL - len("https://help.example/"))
    parsed = parse_file(name, markdown(product="P" * limits.ARTICLE_PRODUCT, url=url))
    assert (len(parsed.source), len(parsed.title), len(parsed.url or "")) == (
        limits.ARTICLE_SOURCE,
        limits.ARTICLE_TITLE,
        limits.ARTICLE_URL,
    )
    stored = articles.StoredArticle(
        parsed.article_id, parsed.title, parsed.category, parsed.product, parsed.updated, parsed.source, parsed.url
    )
    with session_scope(postgres_engine) as session:
        articles.replace_articles(
            session,
            articles=[articles.NewArticle(article=stored, content_hash=parsed.content_hash, passages=[])],
            removed=(),
            ingested_by="admin@example.com",
        )
    (summary,) = articles.summaries(postgres_engine)
    assert (summary.source, summary.product, summary.url) == (name, parsed.product, url)
    with pytest.raises(ValidationError, match="file name"):
        parse_file("b" + name, markdown(product="P", url="https://help.example/"))
    with pytest.raises(ValidationError, match="product name"):
        parse_file("c.md", markdown(product="P" * (limits.ARTICLE_PRODUCT + 1), url="https://help.example/"))
    with pytest.raises(ValidationError, match="url"):
        parse_file("d.md", markdown(product="P", url=url + "p"))


def test_each_form_allows_what_its_column_holds() -> None:
    """The app's forms read their lengths from `FORM_LIMITS`, which must stay the columns' own: a form that took
    fewer characters than the column would refuse a real address, one that took more would lose the typing to
    the service's refusal. (Before, the sign-in form stated 320 itself and the new-user form had no bound.)"""
    from assist import FORM_LIMITS
    from assist.store.models import ArticleRow, MacroRow, UserRow

    assert (FORM_LIMITS.email, FORM_LIMITS.user_name) == (_length(UserRow.email), _length(UserRow.name))
    assert FORM_LIMITS.article_product == _length(ArticleRow.product)
    assert FORM_LIMITS.macro_title == _length(MacroRow.title)


# Fields whose length no column or service decides: the inbox search, the audit filters, escalation notes to and
# from a lead. Their bound is the form's.
FORM_ONLY = frozenset({"Search", "Who", "Action", "Note for the lead", "What should the agent do?"})


def _form_literals(path: Path) -> list[str]:
    """Each widget call in `path` that states its own `max_chars` number, by its label, where the label is not a
    form-only field."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        bound = next((k.value for k in node.keywords if k.arg == "max_chars"), None)
        if isinstance(bound, ast.Constant):
            label = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else "?"
            if label not in FORM_ONLY:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {label!r}")
    return found


def _service_literals(path: Path) -> list[str]:
    """Lengths a service module writes as numbers of its own: a module-level `..._CHARS` or `MAX_TITLE`-style
    number, a `max_length=` number, or text cut at a field's length (1,000 to 99,999 characters: shorter cuts
    guard a parser, such as a date header's 200, and longer ones bound the bytes read of a whole mail)."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names = [t for target in node.targets for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
            if any(isinstance(n, ast.Name) and _names_a_length(n.id) for n in names) and _numbers(node.value):
                found.append(f"line {node.lineno}")
    for item in ast.walk(tree):
        if isinstance(item, ast.keyword) and item.arg == "max_length" and isinstance(item.value, ast.Constant):
            found.append(f"line {item.value.lineno}")
        bound = item.upper if isinstance(item, ast.Slice) else None
        if isinstance(bound, ast.Constant) and isinstance(bound.value, int) and 1000 <= bound.value < 100_000:
            found.append(f"line {bound.lineno}")
    return found


def _names_a_length(name: str) -> bool:
    return name.endswith("_CHARS") or name in ("MAX_TITLE", "MAX_BODY")


def _numbers(value: ast.expr) -> bool:
    values = value.elts if isinstance(value, ast.Tuple) else [value]
    return any(isinstance(v, ast.Constant) and isinstance(v.value, int) for v in values)


def test_no_form_states_the_length_of_a_stored_field() -> None:
    files = sorted([*(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")])
    assert [hit for path in files for hit in _form_literals(path)] == []


@pytest.mark.parametrize(
    "module", ["intake_api", "mail_parse", "mail_in", "macros", "csat", "users", "kb/sources", "kb/knowledge_base"]
)
def test_no_service_that_stores_outside_text_states_a_length_of_its_own(module: str) -> None:
    """A number written in a module would drift from the column the day either changes."""
    assert _service_literals(ROOT / "assist" / f"{module}.py") == []
