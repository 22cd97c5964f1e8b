from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from assist.audit import audit_events
from assist.authentication import authenticate
from assist.config import Settings
from assist.domain import Role
from assist.errors import AuthError, PermissionDeniedError, ValidationError
from assist.store import session_scope
from assist.store.models import UserRow
from assist.times import utcnow
from assist.users import OPERATOR, change_role, create_user, list_users, reset_password, set_user_active

SETTINGS = Settings(login_max_failures=3)
PASSWORD = "correct horse battery"


@pytest.fixture
def maya(sqlite_engine: Engine) -> int:
    return create_user(
        sqlite_engine, email="Maya@Lumen.app", name="Maya", role=Role.AGENT, password=PASSWORD, actor=OPERATOR
    ).id


def test_passwords_are_stored_as_argon2_hashes(sqlite_engine: Engine, maya: int) -> None:
    with session_scope(sqlite_engine) as session:
        stored = session.scalars(select(UserRow.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert authenticate(sqlite_engine, email=" maya@lumen.APP ", password=PASSWORD, settings=SETTINGS).id == maya


def test_wrong_password_and_unknown_email_get_the_same_message(sqlite_engine: Engine, maya: int) -> None:
    for email in ("maya@lumen.app", "nobody@lumen.app"):
        with pytest.raises(AuthError, match=r"^Wrong email or password\.$"):
            authenticate(sqlite_engine, email=email, password="wrong password!", settings=SETTINGS)


def test_brute_force_is_rate_limited_with_a_clear_message(sqlite_engine: Engine, maya: int) -> None:
    for _ in range(3):
        with pytest.raises(AuthError, match="Wrong"):
            authenticate(sqlite_engine, email="maya@lumen.app", password="guess guess guess", settings=SETTINGS)
    with pytest.raises(AuthError, match="Too many failed sign-ins"):
        authenticate(sqlite_engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS)
    later = utcnow() + timedelta(minutes=16)
    assert authenticate(sqlite_engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS, now=later)


def test_disabled_accounts_cannot_sign_in_and_admin_actions_are_audited(sqlite_engine: Engine, maya: int) -> None:
    set_user_active(sqlite_engine, user_id=maya, active=False, actor=OPERATOR)
    with pytest.raises(AuthError, match="disabled"):
        authenticate(sqlite_engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS)
    set_user_active(sqlite_engine, user_id=maya, active=True, actor=OPERATOR)
    reset_password(sqlite_engine, user_id=maya, password="a brand new passphrase", actor=OPERATOR)
    change_role(sqlite_engine, user_id=maya, role=Role.LEAD, actor=OPERATOR)
    assert (
        authenticate(sqlite_engine, email="maya@lumen.app", password="a brand new passphrase", settings=SETTINGS).role
        is Role.LEAD
    )
    log = audit_events(sqlite_engine, actor=OPERATOR, start=utcnow().date(), end=utcnow().date())
    assert list(log["action"])[::-1] == [
        "user.create",
        "user.disable",
        "user.enable",
        "user.reset_password",
        "user.role",
        "user.sign_in",
    ]
    assert PASSWORD not in log.to_csv() and "a brand new passphrase" not in log.to_csv()
    # Defect (issue 34): the detail column was a Python dict repr ("{'role': 'lead'}").
    role_change = log.loc[log["action"] == "user.role", "detail"].iloc[0]
    assert "{" not in role_change and "'" not in role_change and "lead" in role_change, role_change
    assert list(
        audit_events(sqlite_engine, actor=OPERATOR, start=utcnow().date(), end=utcnow().date(), action="role")["action"]
    ) == ["user.role"]


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "not an email"),
        ("x@y.io", "short", "at least 12"),
        ("x@y.io", "p" * 201, "200 characters or fewer"),  # the sign-in form could never submit it
        ("maya@lumen.app", PASSWORD, "already has an account"),
    ],
)
def test_invalid_new_users_are_refused(
    sqlite_engine: Engine, maya: int, email: str, password: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        create_user(sqlite_engine, email=email, name="", role=Role.AGENT, password=password, actor=OPERATOR)


def test_only_admins_manage_users(sqlite_engine: Engine, maya: int) -> None:
    agent = next(u for u in list_users(sqlite_engine) if u.id == maya)
    for call in (
        lambda: create_user(sqlite_engine, email="e@x.io", name="E", role=Role.ADMIN, password=PASSWORD, actor=agent),
        lambda: change_role(sqlite_engine, user_id=maya, role=Role.ADMIN, actor=agent),
        lambda: set_user_active(sqlite_engine, user_id=maya, active=False, actor=agent),
        lambda: reset_password(sqlite_engine, user_id=maya, password=PASSWORD, actor=agent),
        lambda: audit_events(sqlite_engine, actor=agent, start=utcnow().date(), end=utcnow().date()),
    ):
        with pytest.raises(PermissionDeniedError, match=r"Your role \(agent\) cannot"):
            call()
