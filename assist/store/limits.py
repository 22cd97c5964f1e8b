"""How long each piece of outside text may be: one definition of each limit, checked before anything else (a
regex, a parser, the database) looks at the text. A text with a column of its own reads the column's declared
length; a few texts stored in unbounded (Text) columns have their bound here too, so that it still has one home."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String

from assist.store.models import (
    ArticleRow,
    CustomerRow,
    KnowledgeSourceRow,
    MacroRow,
    MailQuarantineRow,
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
SOURCE_OUTCOME = column_length(KnowledgeSourceRow.last_outcome)  # "3 new, 1 updated, 40 unchanged"
MACRO_TITLE = column_length(MacroRow.title)
QUARANTINE_MAILBOX = column_length(MailQuarantineRow.mailbox)
QUARANTINE_SENDER = column_length(MailQuarantineRow.sender)
QUARANTINE_SUBJECT = column_length(MailQuarantineRow.subject)
# Texts in unbounded (Text) columns, or never stored, bounded here.
MACRO_BODY = 5000
SURVEY_COMMENT = 2000  # a customer's CSAT comment: longer is cut, not refused (the rating counts)
SOURCE_ERROR = 2000  # of a failed sync's message, kept for the sources list
QUARANTINE_REASON = 1000  # why a mail could not be stored, as the admins read it
KB_QUERY = 2000  # a question searched in the knowledge base: longer is cut
PASSWORD = 200  # never stored (its hash is): the longest a person may set, and type to sign in


@dataclass(frozen=True)
class FormLimits:
    """The limits above for the fields a person types into: the same numbers wherever the text is entered, so
    an entry never accepts what the service then refuses, nor refuses what it would store."""

    email: int = EMAIL
    user_name: int = USER_NAME
    article_product: int = ARTICLE_PRODUCT
    macro_title: int = MACRO_TITLE
    macro_body: int = MACRO_BODY
    survey_comment: int = SURVEY_COMMENT
    kb_query: int = KB_QUERY
    password: int = PASSWORD


FORM_LIMITS = FormLimits()
