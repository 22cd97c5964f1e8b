"""Errors the product raises on purpose. Pages catch `AssistError` and show its message.

Every message says what happened and what to do next.

    AssistError
    ├── ConfigError            settings are missing or inconsistent
    ├── NotFoundError          a ticket, customer, user or article does not exist
    ├── ValidationError        input was rejected (empty, too long, malformed)
    ├── InvalidTransitionError      a ticket cannot move from its status to the requested one
    ├── ConcurrencyError       the record changed since it was loaded: reload and retry
    ├── (ValidationError) DuplicateReplyError  the same reply was just sent (a second send by accident)
    ├── NoAlternativeError     Regenerate found no other grounded candidate
    ├── OwnershipError         someone else owns the ticket; taking it over needs a confirmation
    ├── DatabaseError          the database cannot be reached or is not at the expected schema
    ├── SearchIndexError       the vector index is missing or broken (`python -m assist kb reindex` repairs it)
    ├── AuthError              sign-in failed
    │   └── SignInPausedError  too many failed sign-ins from unknown devices: an unlock link helps
    ├── SessionEndedError      the signed-in session no longer matches the account (disabled, new role, new
    │                          password): nothing was changed; the front end signs the person out
    ├── PermissionDeniedError  the signed-in role may not do this
    ├── DraftingError          the LLM gave no usable draft (the drafter falls back to the offline draft)
    └── (ValidationError)
        ├── SurveyError        a CSAT survey link cannot be used; the message is written for the customer
        └── UnreadableMailError  a mail built as no mail program builds one (it is quarantined)
"""

from __future__ import annotations


class AssistError(Exception):
    """Base class for every error Assist Console raises deliberately."""


class ConfigError(AssistError):
    """Settings are missing or inconsistent."""


class NotFoundError(AssistError):
    """A requested record does not exist."""


class ValidationError(AssistError):
    """Input was rejected; the message names the field and the rule."""


class InvalidTransitionError(AssistError):
    """A ticket cannot move from its current status to the requested one."""


class ConcurrencyError(AssistError):
    """Someone else changed the record first."""


class DatabaseError(AssistError):
    """The database is unreachable or its schema is not the expected one."""


class AuthError(AssistError):
    """Sign-in failed (wrong credentials, disabled account, too many attempts)."""


class SignInPausedError(AuthError):
    """Sign-ins to the account from unknown devices are paused after repeated failures."""


class SessionEndedError(AssistError):
    """The account behind a signed-in session was disabled, given another role or a new password since the
    session read it. Nothing was changed; the front end signs the person out (it is not a permission to show)."""


class PermissionDeniedError(AssistError):
    """The user's role does not allow the action."""


class DuplicateReplyError(ValidationError):
    """The same text was sent on this ticket moments ago."""


class NoAlternativeError(AssistError):
    """Regenerate asked for another candidate draft and there is none."""


class OwnershipError(AssistError):
    """Someone else owns the ticket; the caller must confirm before taking it over."""

    def __init__(self, message: str, *, owner_id: int) -> None:
        super().__init__(message)
        self.owner_id = owner_id


class SearchIndexError(AssistError):
    """The knowledge base's vector index cannot be used; re-indexing from SQL repairs it."""


class DraftingError(AssistError):
    """The language model could not produce a usable draft."""


class SurveyError(ValidationError):
    """The survey link cannot be used; the message is written for the customer."""


class UnreadableMailError(ValidationError):
    """A mail built as no mail program builds one (parts nested too deep); the poll quarantines it."""
