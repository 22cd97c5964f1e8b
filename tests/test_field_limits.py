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
