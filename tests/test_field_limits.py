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


def test_no_intake_path_states_a_length_of_its_own() -> None:
    """A number written in the schema would drift from the column the day either changes."""
    tree = ast.parse((ROOT / "assist" / "intake_api.py").read_text(encoding="utf-8"))
    literal = [
        f"line {node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "max_length" and isinstance(node.value, ast.Constant)
    ]
    assert literal == []


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
