"""Issue 31, finding 23: adding a user with a 50 kB e-mail took 8.5 s (a backtracking regex over all of it).

Every address from outside (user admin, imports, the HTTP intake, mail, the unlock request) goes through
`assist.identifiers.normalise_email`, which checks the length against the columns (`store.limits`) before its
pattern sees the text; sign-in refuses an over-long address before storing or hashing anything. The tests
count what the pattern is given instead of timing anything.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from sqlalchemy import Engine, func, select

from assist import authentication, identifiers
from assist.config import Settings
from assist.domain import ImportField, Role
from assist.errors import AuthError, ValidationError
from assist.identifiers import normalise_email
from assist.intake import import_rows
from assist.store import limits, session_scope
from assist.store.models import CustomerRow, LoginAttemptRow, UserRow
from assist.users import OPERATOR, create_user

HUGE = "a" * 25_000 + "@" + "b." * 12_500  # about 50 kB, the probe's size and shape


class CountingPattern:
    """Stands in for the address pattern and records the length of every string it is asked to match."""

    def __init__(self, real: re.Pattern[str]) -> None:
        self.real = real
        self.seen: list[int] = []

    def fullmatch(self, text: str) -> Any:
        self.seen.append(len(text))
        return self.real.fullmatch(text)


@pytest.fixture
def pattern(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingPattern]:
    counting = CountingPattern(identifiers._EMAIL)
    monkeypatch.setattr(identifiers, "_EMAIL", counting)
    return counting


def test_the_limit_is_the_columns() -> None:
    assert identifiers.MAX_EMAIL_CHARS == limits.EMAIL == UserRow.__table__.c.email.type.length == 320
    assert CustomerRow.__table__.c.email.type.length == limits.CUSTOMER_EMAIL


def test_a_50_kb_email_is_refused_by_its_length_before_the_pattern_reads_it(
    sqlite_engine: Engine, pattern: CountingPattern
) -> None:
    with pytest.raises(ValidationError, match=r"The e-mail address is 50,001 characters; the limit is 320"):
        create_user(sqlite_engine, email=HUGE, name="x", role=Role.AGENT, password="p" * 12, actor=OPERATOR)
    assert pattern.seen == []
    with session_scope(sqlite_engine) as session:
        assert session.scalar(select(func.count()).select_from(UserRow)) == 0


@settings(max_examples=200, deadline=None)
@given(text=hs.text(alphabet=hs.sampled_from("ab.@ \t\n-_é"), min_size=0, max_size=700))
def test_the_pattern_never_sees_more_than_the_column_holds(text: str) -> None:
    counting = CountingPattern(identifiers._EMAIL)
    real, identifiers._EMAIL = identifiers._EMAIL, counting  # type: ignore[assignment]
    try:
        with contextlib.suppress(ValidationError):
            normalise_email(text)
    finally:
        identifiers._EMAIL = real
    assert all(n <= limits.EMAIL for n in counting.seen)
    if len(text.strip()) > limits.EMAIL:
        assert counting.seen == []


def test_a_50_kb_sign_in_email_is_refused_without_storing_or_hashing_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    monkeypatch.setattr(authentication, "HASHER", type("Spy", (), {"hash": hashed.append, "verify": hashed.append})())
    with pytest.raises(AuthError, match=r"^Wrong email or password\.$"):
        authentication.authenticate(engine, email=HUGE, password="whatever", settings=Settings())
    assert hashed == []
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(LoginAttemptRow)) == 0


def test_an_imported_customer_email_goes_through_the_same_check(
    sqlite_engine: Engine, pattern: CountingPattern
) -> None:
    rows = [{"email": HUGE, "body": "hi"}, {"email": "ok@example.com", "body": "hi"}, {"email": "no-at", "body": "x"}]
    report = import_rows(
        sqlite_engine,
        rows,
        mapping={ImportField.CUSTOMER_EMAIL: "email", ImportField.BODY: "body"},
        actor=OPERATOR,
        max_chars=1000,
    )
    assert len(report.created) == 1 and [e.row for e in report.errors] == [1, 3]
    assert "the limit is 320" in report.errors[0].error and "not an email address" in report.errors[1].error
    assert pattern.seen and max(pattern.seen) <= limits.EMAIL
