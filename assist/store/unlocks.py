"""Unlock links as stored: each issued token, when it was mailed, and its single use."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assist.store.models import UnlockTokenRow


def add_unlock(session: Session, *, nonce: str, user_id: int, issued_by: str, issued_at: datetime) -> None:
    session.add(UnlockTokenRow(nonce=nonce, user_id=user_id, issued_by=issued_by, issued_at=issued_at))


def last_mailed(session: Session, user_id: int) -> datetime | None:
    """When the account was last mailed an unlock link (not the ones admins issued)."""
    return session.scalar(
        select(UnlockTokenRow.issued_at)
        .where(UnlockTokenRow.user_id == user_id, UnlockTokenRow.issued_by == "mail")
        .order_by(UnlockTokenRow.issued_at.desc())
        .limit(1)
    )


def claim_unlock(session: Session, *, nonce: str, user_id: int, issued_after: datetime, now: datetime) -> bool:
    """Use the link once: a conditional UPDATE claims it atomically, so a second use (or a double click) finds
    it used. False: already used, expired (issued before `issued_after`) or unknown."""
    claimed = session.execute(
        update(UnlockTokenRow)
        .where(
            UnlockTokenRow.nonce == nonce,
            UnlockTokenRow.user_id == user_id,
            UnlockTokenRow.used_at.is_(None),
            UnlockTokenRow.issued_at >= issued_after,
        )
        .values(used_at=now)
    ).rowcount  # type: ignore[attr-defined]
    return bool(claimed == 1)
