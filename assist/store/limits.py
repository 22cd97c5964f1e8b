"""How long each piece of outside text may be, read from the column that stores it: one definition of
each limit, checked before anything else (a regex, a parser, the database) looks at the text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String

from assist.errors import ValidationError
from assist.store.models import CustomerRow, MessageRow, TicketRow, UserRow


def column_length(column: Any) -> int:
    """The declared length of a String column."""
    kind = column.property.columns[0].type
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{column} has no declared length")
    return int(kind.length)


EMAIL = column_length(UserRow.email)
USER_NAME = column_length(UserRow.name)
CUSTOMER_EMAIL = column_length(CustomerRow.email)
CUSTOMER_NAME = column_length(CustomerRow.name)
SUBJECT = column_length(TicketRow.subject)
EXTERNAL_ID = column_length(TicketRow.external_id)
MESSAGE_KEY = column_length(MessageRow.external_id)


def within(text: str, limit: int, *, what: str) -> str:
    """`text`, if it is at most `limit` characters.

    Raises:
        ValidationError: longer; the message names the field and the limit.
    """
    if len(text) > limit:
        raise ValidationError(f"The {what} is {len(text):,} characters; the limit is {limit:,}. Shorten it.")
    return text
