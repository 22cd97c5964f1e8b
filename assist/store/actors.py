"""The one re-check of who is acting: every change re-reads its actor in the transaction that makes it.

A signed-in session (and every callback a page captured) holds the `User` read at some earlier moment. An
admin may have disabled the account, changed its role or reset its password since; each of those moves the
account's `session_generation` on. `current_actor` refuses a `User` whose account is no longer active, no
longer has that role, or has moved to another generation, with `SessionEndedError`, and nothing is written.

It is a conditional UPDATE of the actor's own row (`... WHERE id = ? AND active AND role = ? AND
session_generation = ?`), checked by its row count, the same on both databases: on PostgreSQL it holds the
row until the change commits, so an admin's disable either comes before (and is seen) or waits until after;
on SQLite it takes the database's write lock, so nothing can commit between the check and the change.

`require` is the role rule on the `User` as the caller holds it, and `check_session` the account as stored
now (before long work): every service, and the knowledge-base engine whose writes every upload, sync,
re-index and delete go through, checks with these two before it acts.
"""

from __future__ import annotations

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from assist.domain import Role, User
from assist.errors import PermissionDeniedError, SessionEndedError
from assist.store.db import session_scope
from assist.store.models import UserRow

OPERATOR_ID = 0  # the command line (shell access to the server); no stored user has id 0


def current_actor(session: Session, actor: User) -> User:
    """`actor`, if its account still is as it was read, held until this unit of work ends.

    Raises:
        SessionEndedError: the account was removed, disabled, given another role or a new password.
    """
    if actor.id == OPERATOR_ID:
        return actor
    held = session.execute(
        update(UserRow)
        .where(
            UserRow.id == actor.id,
            UserRow.active.is_(True),
            UserRow.role == actor.role.value,
            UserRow.session_generation == actor.session_generation,
        )
        .values(session_generation=UserRow.session_generation)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if held != 1:
        raise _ended(session, actor)
    return actor


def stored_actor(session: Session, actor: User) -> User:
    """The account as stored now, if `actor`'s session still stands (a read: for the check on every page
    load and before long work; changes use `current_actor`).

    Raises:
        SessionEndedError: as `current_actor`.
    """
    if actor.id == OPERATOR_ID:
        return actor
    row = session.get(UserRow, actor.id)
    if row is None or _changed(row, actor):
        raise _ended(session, actor, row)
    return as_user(row)


def active_users(session: Session) -> list[User]:
    """Every active account, by name."""
    rows = session.scalars(select(UserRow).where(UserRow.active.is_(True)).order_by(UserRow.name))
    return [as_user(row) for row in rows]


def name_of(session: Session, user_id: int) -> str:
    """A stored user's display name (raises NoResultFound for an id that names no one)."""
    return session.get_one(UserRow, user_id).name


def as_user(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=Role(row.role),
        active=row.active,
        session_generation=row.session_generation,
    )


def _changed(row: UserRow, actor: User) -> bool:
    return not row.active or row.role != actor.role.value or row.session_generation != actor.session_generation


def _ended(session: Session, actor: User, row: UserRow | None = None) -> SessionEndedError:
    """Why `actor`'s session has ended, as the error to raise."""
    if row is None:
        row = session.scalars(select(UserRow).where(UserRow.id == actor.id)).first()
    if row is None:
        reason = "Your account was removed"
    elif not row.active:
        reason = "Your account was disabled"
    else:
        reason = "Your account was changed by an admin (a new role or a new password)"
    advice = "Sign in again to continue." if row is not None and row.active else "Ask an admin if this is a mistake."
    return SessionEndedError(f"{reason}, so you were signed out; nothing was changed. {advice}")


def require(actor: User, *roles: Role, action: str) -> None:
    """Raise unless `actor` is active and has one of `roles` (admins may always act).

    This checks the `User` as the caller holds it; every change also re-reads it in its own transaction
    (`store.actors.current_actor`), so a stale `User` cannot act on a role or an account it no longer has.
    """
    if not actor.active:
        raise PermissionDeniedError(f"Your account is disabled, so you cannot {action}. Ask an admin to enable it.")
    if actor.role is Role.ADMIN or actor.role in roles:
        return
    allowed = " or ".join(r.value for r in roles) or "admin"
    raise PermissionDeniedError(
        f"Your role ({actor.role.value}) cannot {action}; it needs {allowed}. Ask an admin if you need access."
    )


def check_session(engine: Engine, *, actor: User) -> User:
    """The account as stored now, if `actor`'s session still stands (every page load; before long work).

    Raises:
        SessionEndedError: the account was removed, disabled, given another role or a new password.
    """
    with session_scope(engine) as session:
        return stored_actor(session, actor)
