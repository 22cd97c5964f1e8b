"""Accounts as stored: the admins' changes to them, and the reads of who has one.

Each change to an account that a signed-in session could be holding (disabling, a new role, a new password)
moves the account's session generation on, here, in the same write: a session read before it is refused by
`store.actors.current_actor` at its next change and signed out at its next page load.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select, text
from sqlalchemy.orm import Session

from assist.domain import Role, User
from assist.errors import NotFoundError
from assist.store.actors import as_user, current_actor
from assist.store.db import session_scope
from assist.store.models import LoginAttemptRow, UserRow


@contextmanager
def account_change(engine: Engine, actor: User) -> Iterator[Session]:
    """One admin change to accounts, with the admin re-checked in its transaction. On PostgreSQL such changes
    take turns (an advisory lock), so two admins changing each other's accounts cannot deadlock on the rows
    each re-check holds."""
    with session_scope(engine) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(hashtext('assist:account-changes'))"))
        current_actor(session, actor)
        yield session


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(UserRow.id).where(UserRow.email == email)) is not None


def add_account(session: Session, *, email: str, name: str, role: Role, password_hash: str) -> User:
    row = UserRow(email=email, name=name, role=role.value, password_hash=password_hash)
    session.add(row)
    session.flush()
    return as_user(row)


def account(session: Session, user_id: int) -> User | None:
    """The account as stored now (role, active flag and session generation)."""
    row = session.get(UserRow, user_id)
    return as_user(row) if row is not None else None


def account_by_email(session: Session, email: str) -> User | None:
    """The account with this (normalised) address."""
    row = session.scalar(select(UserRow).where(UserRow.email == email))
    return as_user(row) if row is not None else None


def every_account(session: Session) -> list[User]:
    """Every account, active or not, by name."""
    return [as_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


@dataclass(frozen=True)
class Changed:
    """An account after a change: its address and the role it had before."""

    email: str
    role_before: str


def change_account(
    session: Session,
    user_id: int,
    *,
    active: bool | None = None,
    role: Role | None = None,
    password_hash: str | None = None,
) -> Changed:
    """Change what is given; a change a session could be holding (active, role, password) ends its sessions.

    Raises:
        NotFoundError: no such account.
    """
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFoundError(f"User #{user_id} does not exist. Reload the list.")
    before = Changed(email=row.email, role_before=row.role)
    moved = False
    if active is not None and row.active != active:
        row.active, moved = active, True
    if role is not None and row.role != role.value:
        row.role, moved = role.value, True
    if password_hash is not None:
        row.password_hash, moved = password_hash, True
    if moved:
        row.session_generation += 1  # every session (and known-device token) now holds an older generation
    return before


def clear_failed_sign_ins(session: Session, email: str) -> int:
    """Forget the address's failed sign-ins (the pause they caused ends); returns how many there were."""
    result = session.execute(
        delete(LoginAttemptRow).where(LoginAttemptRow.email == email, LoginAttemptRow.success.is_(False))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
