"""Sign-in attempts as stored: each attempt recorded, the failures counted per budget (unknown browsers
together, or one known device alone), and the addresses someone is guessing at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from assist.domain import User
from assist.store.actors import as_user
from assist.store.models import LoginAttemptRow, UserRow


@dataclass(frozen=True)
class Credentials:
    user: User
    password_hash: str | None


def serialize_attempts(session: Session, email: str) -> None:
    """One sign-in check at a time per email, so parallel guesses cannot all pass the failure count.

    PostgreSQL: a transaction-scoped advisory lock on the email. SQLite: the attempt row is written
    before the count, which takes the database's write lock until this transaction ends.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"sign-in:{email}"})


def credentials(session: Session, email: str) -> Credentials | None:
    """The account with this address and its password hash."""
    row = session.scalar(select(UserRow).where(UserRow.email == email))
    return Credentials(as_user(row), row.password_hash) if row is not None else None


def record_attempt(session: Session, *, email: str, at: datetime, device: str | None) -> int:
    """A failed attempt until `set_success` says otherwise; written (and flushed) before the count."""
    attempt = LoginAttemptRow(email=email, success=False, attempted_at=at, device=device)
    session.add(attempt)
    session.flush()
    return attempt.id


def set_success(session: Session, attempt_id: int, success: bool) -> None:
    session.get_one(LoginAttemptRow, attempt_id).success = success


def recent_failures(session: Session, email: str, *, device: str | None, since: datetime, besides: int) -> int:
    """Failed attempts at this address since `since` in the same budget as `device`, not counting `besides`."""
    same_budget = LoginAttemptRow.device == device if device else LoginAttemptRow.device.is_(None)
    return (
        session.scalar(
            select(func.count()).where(
                LoginAttemptRow.email == email,
                LoginAttemptRow.success.is_(False),
                LoginAttemptRow.attempted_at >= since,
                same_budget,
                LoginAttemptRow.id != besides,
            )
        )
        or 0
    )


def failures_by_address(session: Session, *, since: datetime, limit: int = 200) -> list[tuple[str, int, datetime]]:
    """(address, failed attempts, the last one) since `since`, most failures first."""
    rows = session.execute(
        select(LoginAttemptRow.email, func.count(), func.max(LoginAttemptRow.attempted_at))
        .where(LoginAttemptRow.success.is_(False), LoginAttemptRow.attempted_at >= since)
        .group_by(LoginAttemptRow.email)
        .order_by(func.count().desc(), LoginAttemptRow.email)
        .limit(limit)
    ).all()
    return [(email, int(n), last) for email, n, last in rows]


def account_ids(session: Session, emails: list[str]) -> dict[str, int]:
    """The account id of each address that has an account."""
    return dict(session.execute(select(UserRow.email, UserRow.id).where(UserRow.email.in_(emails))).all())


def unknown_browser_failures(session: Session, emails: list[str], *, since: datetime) -> dict[str, int]:
    """Failed attempts from unknown browsers since `since`, per address (what pauses an account)."""
    return dict(
        session.execute(
            select(LoginAttemptRow.email, func.count())
            .where(
                LoginAttemptRow.email.in_(emails),
                LoginAttemptRow.success.is_(False),
                LoginAttemptRow.device.is_(None),
                LoginAttemptRow.attempted_at >= since,
            )
            .group_by(LoginAttemptRow.email)
        ).all()
    )
