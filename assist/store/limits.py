"""How long each piece of outside text may be, read from the column that stores it: one definition of each
limit, checked before anything else (a regex, a parser, the database) looks at the text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String

from assist.store.models import (
    ArticleRow,
    CustomerRow,
    KnowledgeSourceRow,
    MacroRow,
    MessageRow,
    TicketRow,
    UserRow,
)


def column_length(column: Any) -> int:
    """The declared length of a String column."""
    kind = column.property.columns[0].type
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{column} has no declared length")
    return int(kind.length)


EMAIL = column_length(UserRow.email)
USER_NAME = column_length(UserRow.name)
CUSTOMER_EMAIL = column_length(CustomerRow.email)
EXTERNAL_ID = column_length(TicketRow.external_id)
SUBJECT = column_length(TicketRow.subject)
CUSTOMER_NAME = column_length(CustomerRow.name)
MESSAGE_ID = column_length(MessageRow.external_id)  # the helpdesk's or the mail's message id
ARTICLE_ID = column_length(ArticleRow.id)
ARTICLE_TITLE = column_length(ArticleRow.title)
ARTICLE_PRODUCT = column_length(ArticleRow.product)
ARTICLE_SOURCE = column_length(ArticleRow.source)  # the file name an article came from
ARTICLE_URL = column_length(ArticleRow.url)
ARTICLE_ORIGIN = column_length(ArticleRow.origin)  # a knowledge source's name
SOURCE_LOCATION = column_length(KnowledgeSourceRow.location)  # a source's folder, repository or sitemap
SOURCE_BRANCH = column_length(KnowledgeSourceRow.branch)
MACRO_TITLE = column_length(MacroRow.title)
# Two texts stored in unbounded (Text) columns, bounded here so that each bound still has one home.
MACRO_BODY = 5000
SURVEY_COMMENT = 2000  # a customer's CSAT comment: longer is cut, not refused (the rating counts)


@dataclass(frozen=True)
class FormLimits:
    """What the app's forms let a person type into a field that fills one of these columns: the same numbers,
    so a form never accepts what the service then refuses, nor refuses what it would store."""

    email: int = EMAIL
    user_name: int = USER_NAME
    article_product: int = ARTICLE_PRODUCT
    macro_title: int = MACRO_TITLE
    macro_body: int = MACRO_BODY
    survey_comment: int = SURVEY_COMMENT


FORM_LIMITS = FormLimits()
