"""Accounts: roles, who may do what, and the admins' changes to accounts.

Disabling (or enabling) an account, changing its role or resetting its password moves the account's session
generation on, which ends every session holding the old one: the next change it tries is refused in its own
transaction (`store.actors.current_actor`) and the next page it loads signs it out (`check_session`).
Signing in is `assist.authentication`.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import Engine

from assist.domain import Role, User
from assist.errors import ValidationError
from assist.identifiers import normalise_email
from assist.store import audit, limits
from assist.store.accounts import (
    account,
    account_change,
    add_account,
    change_account,
    clear_failed_sign_ins,
    email_taken,
    every_account,
)
from assist.store.actors import OPERATOR_ID, check_session, require
from assist.store.db import session_scope
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
    if len(password) > limits.PASSWORD:  # the sign-in form takes no more
        raise ValidationError(f"Keep the password to {limits.PASSWORD} characters or fewer.")


def create_user(engine: Engine, *, email: str, name: str, role: Role, password: str, actor: User) -> User:
    require(actor, action="create users")
    email = normalise_email(email)  # the one rule customers' addresses follow too
    check_password_rules(password)
    with account_change(engine, actor) as session:
        if email_taken(session, email):
            raise ValidationError(f"{email} already has an account.")
        user = add_account(
            session,
            email=email,
            name=email if is_blank(name) else name.strip()[: limits.USER_NAME],
            role=role,
            password_hash=HASHER.hash(password),
        )
        audit.record(
            session,
            actor=actor.email,
            action="user.create",
            entity_type="user",
            entity_id=user.id,
            detail={"email": email, "role": role.value},
        )
        return user


def current_user(engine: Engine, *, user_id: int) -> User | None:
    """The user as stored now (role, active flag and session generation)."""
    with session_scope(engine) as session:
        return account(session, user_id)


def list_users(engine: Engine) -> list[User]:
    with session_scope(engine) as session:
        return every_account(session)


def set_user_active(engine: Engine, *, user_id: int, active: bool, actor: User) -> None:
    """Enable or disable an account; either ends its sessions (disabling: at their next click)."""
    require(actor, action="enable or disable users")
    if user_id == actor.id and not active:
        raise ValidationError("You cannot disable your own account.")
    with account_change(engine, actor) as session:
        changed = change_account(session, user_id, active=active)
        audit.record(
            session,
            actor=actor.email,
            action="user.enable" if active else "user.disable",
            entity_type="user",
            entity_id=user_id,
            detail={"email": changed.email},
        )


def reset_password(engine: Engine, *, user_id: int, password: str, actor: User) -> None:
    """A new password. It ends the account's sessions (an old tab cannot go on acting) and a sign-in pause
    (the pause message tells people to ask for a reset)."""
    require(actor, action="reset passwords")
    check_password_rules(password)
    with account_change(engine, actor) as session:
        changed = change_account(session, user_id, password_hash=HASHER.hash(password))
        cleared = clear_failed_sign_ins(session, changed.email)
        audit.record(
            session,
            actor=actor.email,
            action="user.reset_password",
            entity_type="user",
            entity_id=user_id,
            detail={"email": changed.email, "failed_sign_ins_cleared": cleared},
        )


def change_role(engine: Engine, *, user_id: int, role: Role, actor: User) -> None:
    """Another role; it ends the account's sessions, so none goes on with the role it was read with."""
    require(actor, action="change roles")
    if user_id == actor.id and role is not Role.ADMIN:
        raise ValidationError("You cannot remove your own admin role; ask another admin.")
    with account_change(engine, actor) as session:
        changed = change_account(session, user_id, role=role)
        audit.record(
            session,
            actor=actor.email,
            action="user.role",
            entity_type="user",
            entity_id=user_id,
            detail={"email": changed.email, "from": changed.role_before, "to": role.value},
        )
