"""Local users: argon2 password hashes, roles, sign-in with rate limiting, and who may do what."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.orm import Session

from assist.config import Settings
from assist.domain import Role, User
from assist.errors import AuthError, NotFoundError, PermissionDeniedError, ValidationError
from assist.identifiers import normalise_email
from assist.store import audit
from assist.store.db import session_scope
from assist.store.models import LoginAttemptRow, UserRow, utcnow
from assist.text import is_blank

MIN_PASSWORD = 12
RATE_WINDOW = timedelta(minutes=15)
_HASHER = PasswordHasher()
# The command line is run by an operator with shell access to the server: it acts as an admin.
OPERATOR = User(id=0, email="operator@cli", name="Command line", role=Role.ADMIN, active=True)


def require(actor: User, *roles: Role, action: str) -> None:
    """Raise unless `actor` is active and has one of `roles` (admins may always act)."""
    if not actor.active:
        raise PermissionDeniedError(f"Your account is disabled, so you cannot {action}. Ask an admin to enable it.")
    if actor.role is Role.ADMIN or actor.role in roles:
        return
    allowed = " or ".join(r.value for r in roles) or "admin"
    raise PermissionDeniedError(
        f"Your role ({actor.role.value}) cannot {action}; it needs {allowed}. Ask an admin if you need access."
    )


def _user(row: UserRow) -> User:
    return User(id=row.id, email=row.email, name=row.name, role=Role(row.role), active=row.active)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"The password needs at least {MIN_PASSWORD} characters.")


def create_user(engine: Engine, *, email: str, name: str, role: Role, password: str, actor: User) -> User:
    require(actor, action="create users")
    email = normalise_email(email)  # the one rule customers' addresses follow too
    _check_password(password)
    with session_scope(engine) as session:
        if session.scalar(select(UserRow.id).where(UserRow.email == email)):
            raise ValidationError(f"{email} already has an account.")
        row = UserRow(
            email=email,
            name=email if is_blank(name) else name.strip()[:200],
            role=role.value,
            password_hash=_HASHER.hash(password),
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
        return _user(row)


def _serialize_attempts(session: Session, email: str) -> None:
    """One sign-in check at a time per email, so parallel guesses cannot all pass the failure count.

    PostgreSQL: a transaction-scoped advisory lock on the email. SQLite: the attempt row is written
    before the count, which takes the database's write lock until this transaction ends.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"sign-in:{email}"})


def authenticate(engine: Engine, *, email: str, password: str, settings: Settings, now: datetime | None = None) -> User:
    """The user, if the password matches and the account may sign in.

    The attempt is recorded and the recent failures counted in one serialized transaction, so a burst
    of parallel attempts checks at most LOGIN_MAX_FAILURES passwords.

    Raises:
        AuthError: wrong email or password (one message for both), disabled account, demo account outside
            demo mode, or too many failures.
    """
    now = now or utcnow()
    email = email.strip().lower()
    with session_scope(engine) as session:
        _serialize_attempts(session, email)
        attempt = LoginAttemptRow(email=email, success=False, attempted_at=now)
        session.add(attempt)
        session.flush()
        failures = (
            session.scalar(
                select(func.count()).where(
                    LoginAttemptRow.email == email,
                    LoginAttemptRow.success.is_(False),
                    LoginAttemptRow.attempted_at >= now - RATE_WINDOW,
                    LoginAttemptRow.id != attempt.id,
                )
            )
            or 0
        )
        if failures >= settings.login_max_failures:
            locked = True
        else:
            locked = False
            row = session.scalar(select(UserRow).where(UserRow.email == email))
            ok = False
            if row is not None and row.password_hash:
                try:
                    ok = _HASHER.verify(row.password_hash, password)
                except (VerifyMismatchError, VerificationError):
                    ok = False
            else:
                _HASHER.hash(password)  # spend the same time, so timing does not reveal which emails exist
            demo_outside_demo_mode = ok and not settings.demo_mode and _is_demo_password(password)
            attempt.success = ok and row is not None and row.active and not demo_outside_demo_mode
    if locked:
        raise AuthError(
            "Too many failed sign-ins for this account. Wait 15 minutes, or ask an admin to reset the password."
        )
    if not ok or row is None:
        raise AuthError("Wrong email or password.")
    if demo_outside_demo_mode:
        raise AuthError("Demo accounts only work in demo mode. Ask an admin to set a new password for this account.")
    if not row.active:
        raise AuthError("This account is disabled. Ask an admin to enable it.")
    with session_scope(engine) as session:
        audit.record(session, actor=email, action="user.sign_in", entity_type="user", entity_id=row.id, at=now)
    return _user(row)


def _is_demo_password(password: str) -> bool:
    from assist.demo import DEMO_PASSWORDS  # published in README: never good enough outside demo mode

    return password in DEMO_PASSWORDS.values()


def current_user(engine: Engine, *, user_id: int) -> User | None:
    """The user as stored now (role and active flag), for re-checking a signed-in session on every request."""
    with session_scope(engine) as session:
        row = session.get(UserRow, user_id)
        return _user(row) if row is not None else None


def list_users(engine: Engine) -> list[User]:
    with session_scope(engine) as session:
        return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


def set_active(engine: Engine, *, user_id: int, active: bool, actor: User) -> None:
    require(actor, action="enable or disable users")
    if user_id == actor.id and not active:
        raise ValidationError("You cannot disable your own account.")
    with session_scope(engine) as session:
        row = _get(session, user_id)
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
    """A new password; it also ends a sign-in pause (the pause message tells people to ask for a reset)."""
    require(actor, action="reset passwords")
    _check_password(password)
    with session_scope(engine) as session:
        row = _get(session, user_id)
        row.password_hash = _HASHER.hash(password)
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
    require(actor, action="change roles")
    if user_id == actor.id and role is not Role.ADMIN:
        raise ValidationError("You cannot remove your own admin role; ask another admin.")
    with session_scope(engine) as session:
        row = _get(session, user_id)
        before, row.role = row.role, role.value
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
