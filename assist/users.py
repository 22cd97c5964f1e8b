"""Accounts: roles, who may do what, and the admins' changes to accounts.

Disabling (or enabling) an account, changing its role or resetting its password moves the account's session
generation on, which ends every session holding the old one: the next change it tries is refused in its own
transaction (`store.actors.current_actor`) and the next page it loads signs it out (`check_session`).
Signing in is `assist.authentication`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from sqlalchemy import Engine, delete, select, text
from sqlalchemy.orm import Session

from assist.domain import Role, User
from assist.errors import NotFoundError, ValidationError
from assist.identifiers import normalise_email
from assist.store import audit, limits
from assist.store.actors import OPERATOR_ID, as_user, check_session, current_actor, require
from assist.store.db import session_scope
from assist.store.models import LoginAttemptRow, UserRow
from assist.text import is_blank

MIN_PASSWORD = 12
HASHER = PasswordHasher()
# The command line is run by an operator with shell access to the server: it acts as an admin.
OPERATOR = User(id=OPERATOR_ID, email="operator@cli", name="Command line", role=Role.ADMIN, active=True)


def require_current(engine: Engine, actor: User, *roles: Role, action: str) -> User:
    """`require` on the account as stored now, for reads only some roles may make (the audit log, quarantined
    mail, who is being guessed at): a demoted, disabled or reset account's open tab reads nothing.

    Raises:
        SessionEndedError: the session no longer stands.
        PermissionDeniedError: the stored role may not make this read.
    """
    current = check_session(engine, actor=actor)
    require(current, *roles, action=action)
    return current


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"The password needs at least {MIN_PASSWORD} characters.")


@contextmanager
def _admin_change(engine: Engine, actor: User) -> Iterator[Session]:
    """One admin change to accounts, with the admin re-checked in its transaction. On PostgreSQL such changes
    take turns (an advisory lock), so two admins changing each other's accounts cannot deadlock on the rows
    each re-check holds."""
    with session_scope(engine) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(hashtext('assist:account-changes'))"))
        current_actor(session, actor)
        yield session


def create_user(engine: Engine, *, email: str, name: str, role: Role, password: str, actor: User) -> User:
    require(actor, action="create users")
    email = normalise_email(email)  # the one rule customers' addresses follow too
    check_password_rules(password)
    with _admin_change(engine, actor) as session:
        if session.scalar(select(UserRow.id).where(UserRow.email == email)):
            raise ValidationError(f"{email} already has an account.")
        row = UserRow(
            email=email,
            name=email if is_blank(name) else name.strip()[: limits.USER_NAME],
            role=role.value,
            password_hash=HASHER.hash(password),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor.email,
            action="user.create",
            entity_type="user",
            entity_id=row.id,
            detail={"email": email, "role": role.value},
        )
        return as_user(row)


def current_user(engine: Engine, *, user_id: int) -> User | None:
    """The user as stored now (role, active flag and session generation)."""
    with session_scope(engine) as session:
        row = session.get(UserRow, user_id)
        return as_user(row) if row is not None else None


def list_users(engine: Engine) -> list[User]:
    with session_scope(engine) as session:
        return [as_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


def _end_sessions(row: UserRow) -> None:
    """Every session (and known-device token) of this account holds an older generation from now on."""
    row.session_generation += 1


def set_active(engine: Engine, *, user_id: int, active: bool, actor: User) -> None:
    """Enable or disable an account; either ends its sessions (disabling: at their next click)."""
    require(actor, action="enable or disable users")
    if user_id == actor.id and not active:
        raise ValidationError("You cannot disable your own account.")
    with _admin_change(engine, actor) as session:
        row = _get(session, user_id)
        if row.active != active:
            _end_sessions(row)
        row.active = active
        audit.record(
            session,
            actor=actor.email,
            action="user.enable" if active else "user.disable",
            entity_type="user",
            entity_id=user_id,
            detail={"email": row.email},
        )


def reset_password(engine: Engine, *, user_id: int, password: str, actor: User) -> None:
    """A new password. It ends the account's sessions (an old tab cannot go on acting) and a sign-in pause
    (the pause message tells people to ask for a reset)."""
    require(actor, action="reset passwords")
    check_password_rules(password)
    with _admin_change(engine, actor) as session:
        row = _get(session, user_id)
        row.password_hash = HASHER.hash(password)
        _end_sessions(row)
        cleared = session.execute(
            delete(LoginAttemptRow).where(LoginAttemptRow.email == row.email, LoginAttemptRow.success.is_(False))
        ).rowcount  # type: ignore[attr-defined]
        audit.record(
            session,
            actor=actor.email,
            action="user.reset_password",
            entity_type="user",
            entity_id=user_id,
            detail={"email": row.email, "failed_sign_ins_cleared": cleared},
        )


def change_role(engine: Engine, *, user_id: int, role: Role, actor: User) -> None:
    """Another role; it ends the account's sessions, so none goes on with the role it was read with."""
    require(actor, action="change roles")
    if user_id == actor.id and role is not Role.ADMIN:
        raise ValidationError("You cannot remove your own admin role; ask another admin.")
    with _admin_change(engine, actor) as session:
        row = _get(session, user_id)
        before = row.role
        if before != role.value:
            row.role = role.value
            _end_sessions(row)
        audit.record(
            session,
            actor=actor.email,
            action="user.role",
            entity_type="user",
            entity_id=user_id,
            detail={"email": row.email, "from": before, "to": role.value},
        )


def _get(session: Session, user_id: int) -> UserRow:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFoundError(f"User #{user_id} does not exist. Reload the list.")
    return row
