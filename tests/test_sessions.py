"""Issue 34, item 2: the signed, expiring session token a reload resumes from (`assist.sessions`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from assist import users
from assist.config import Settings
from assist.domain import Role, User
from assist.errors import SessionEndedError
from assist.sessions import resume_session, session_token
from assist.times import utcnow
from assist.users import OPERATOR, change_role, create_user, reset_password, set_user_active

SETTINGS = Settings(secret_key="s" * 40, demo_mode=False, session_timeout_minutes=60, session_max_hours=12)
OTHER_KEY = Settings(secret_key="t" * 40, demo_mode=False)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def maya(sqlite_engine: Engine) -> User:
    return create_user(
        sqlite_engine, email="maya@lumen.app", name="Maya", role=Role.LEAD, password="p" * 12, actor=OPERATOR
    )


def test_a_fresh_token_resumes_the_account_as_stored_and_the_original_sign_in_time(
    sqlite_engine: Engine, maya: User
) -> None:
    signed_in = utcnow() - timedelta(hours=3)
    resumed = resume_session(
        sqlite_engine, token=session_token(maya, SETTINGS, signed_in_at=signed_in), settings=SETTINGS
    )
    assert resumed.user == maya
    assert abs(resumed.signed_in_at - signed_in) < timedelta(seconds=1)


def test_a_renewed_token_keeps_the_original_sign_in_time(sqlite_engine: Engine, maya: User) -> None:
    signed_in = utcnow() - timedelta(hours=11, minutes=59)
    token = session_token(maya, SETTINGS, signed_in_at=signed_in, now=utcnow())  # renewed just now
    assert resume_session(sqlite_engine, token=token, settings=SETTINGS).user == maya
    with pytest.raises(SessionEndedError, match="Sessions last at most 12 hours"):
        resume_session(sqlite_engine, token=token, settings=SETTINGS, now=utcnow() + timedelta(minutes=2))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature
        lambda t: "x" + t,  # the payload
        lambda t: "",
        lambda t: t * 10,  # too long to be ours
    ],
)
def test_a_tampered_token_is_refused(sqlite_engine: Engine, maya: User, tamper: object) -> None:
    token = session_token(maya, SETTINGS, signed_in_at=utcnow())
    with pytest.raises(SessionEndedError, match=r"could not be checked \(it was altered\)\. Please sign in again"):
        resume_session(sqlite_engine, token=tamper(token), settings=SETTINGS)  # type: ignore[operator]


def test_a_token_signed_with_another_key_is_refused(sqlite_engine: Engine, maya: User) -> None:
    token = session_token(maya, OTHER_KEY, signed_in_at=utcnow())
    with pytest.raises(SessionEndedError, match="it was altered"):
        resume_session(sqlite_engine, token=token, settings=SETTINGS)


def test_a_token_left_idle_past_the_timeout_is_refused(sqlite_engine: Engine, maya: User) -> None:
    long_ago = utcnow() - timedelta(minutes=61)
    token = session_token(maya, SETTINGS, signed_in_at=long_ago, now=long_ago)
    with pytest.raises(SessionEndedError, match="signed out after a period of inactivity"):
        resume_session(sqlite_engine, token=token, settings=SETTINGS)


def test_a_token_past_the_maximum_session_is_refused_however_recently_renewed(
    sqlite_engine: Engine, maya: User
) -> None:
    token = session_token(maya, SETTINGS, signed_in_at=utcnow() - timedelta(hours=12, minutes=1), now=utcnow())
    with pytest.raises(SessionEndedError, match="Sessions last at most 12 hours"):
        resume_session(sqlite_engine, token=token, settings=SETTINGS)


def test_a_token_dated_in_the_future_is_refused(sqlite_engine: Engine, maya: User) -> None:
    later = utcnow() + timedelta(hours=1)
    token = session_token(maya, SETTINGS, signed_in_at=later, now=later)
    with pytest.raises(SessionEndedError, match="its times are wrong"):
        resume_session(sqlite_engine, token=token, settings=SETTINGS)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda e, u: set_user_active(e, user_id=u.id, active=False, actor=OPERATOR), "Your account was disabled"),
        (lambda e, u: change_role(e, user_id=u.id, role=Role.AGENT, actor=OPERATOR), "changed by an admin"),
        (lambda e, u: reset_password(e, user_id=u.id, password="q" * 12, actor=OPERATOR), "changed by an admin"),
    ],
    ids=["disabled", "demoted", "password reset"],
)
def test_a_token_of_an_older_generation_or_a_disabled_account_is_refused(
    sqlite_engine: Engine, maya: User, change: object, reason: str
) -> None:
    token = session_token(maya, SETTINGS, signed_in_at=utcnow())
    change(sqlite_engine, maya)  # type: ignore[operator]
    with pytest.raises(SessionEndedError, match=f"{reason}.*you were signed out"):
        resume_session(sqlite_engine, token=token, settings=SETTINGS)


def test_a_token_for_a_removed_account_is_refused(sqlite_engine: Engine) -> None:
    ghost = User(id=999, email="ghost@lumen.app", name="Ghost", role=Role.AGENT, active=True)
    with pytest.raises(SessionEndedError, match="Your account was removed"):
        resume_session(sqlite_engine, token=session_token(ghost, SETTINGS, signed_in_at=utcnow()), settings=SETTINGS)
