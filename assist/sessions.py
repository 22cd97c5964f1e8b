"""Signed, expiring sessions: how a signed-in browser survives a reload.

At sign-in the browser gets a *session token* (the app keeps it in a cookie, `ui.auth`). It names the
account, its role and session generation, when the person signed in and when the token was last renewed (the
app renews it as the person works). It stops working SESSION_TIMEOUT_MINUTES after its last renewal and
SESSION_MAX_HOURS after the sign-in itself, which every renewal carries unchanged.
A new page load presents it; `resume_session` checks the signature, both limits, and the account as stored
now (`store.actors.check_session`: a disable, a new role or a new password ends it) before anyone is signed in.

The same two limits end a session that stays open (`check_session_limits`, on every click): one rule, both paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine

from assist.config import Settings, signing_key
from assist.domain import Role, User
from assist.errors import SessionEndedError
from assist.store.actors import check_session
from assist.times import utcnow
from assist.users import current_user

SALT = "assist-session"
MAX_TOKEN_CHARS = 512  # ours are about 120; anything longer is not worth a signature check
_SKEW = timedelta(minutes=5)  # replicas' clocks


@dataclass(frozen=True)
class ResumedSession:
    """A session token that still stands: the account as stored now, and when this session signed in."""

    user: User
    signed_in_at: datetime


def _signer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(signing_key(settings), salt=SALT)


def session_token(user: User, settings: Settings, *, signed_in_at: datetime, now: datetime | None = None) -> str:
    """A session token for `user` (as read: role and generation go in), renewed at `now`."""
    now = now or utcnow()
    payload = {
        "u": user.id,
        "r": user.role.value,
        "g": user.session_generation,
        "s": int(signed_in_at.timestamp()),
        "a": int(now.timestamp()),  # the last activity this browser was seen at
    }
    return _signer(settings).dumps(payload)


def check_session_limits(*, signed_in_at: datetime, last_seen: datetime, settings: Settings, now: datetime) -> None:
    """Raise SessionEndedError when the session sat idle past SESSION_TIMEOUT_MINUTES or has lasted
    SESSION_MAX_HOURS."""
    if now - signed_in_at > timedelta(hours=settings.session_max_hours):
        raise SessionEndedError(f"Sessions last at most {settings.session_max_hours} hours. Please sign in again.")
    if now - last_seen > timedelta(minutes=settings.session_timeout_minutes):
        raise SessionEndedError("You were signed out after a period of inactivity. Please sign in again.")


def resume_session(engine: Engine, *, token: str, settings: Settings, now: datetime | None = None) -> ResumedSession:
    """The session `token` stands for, if it still stands.

    Raises:
        SessionEndedError: the token was altered or signed with another key, has expired, or the account was
            removed, disabled, given another role or a new password since it was issued.
    """
    now = now or utcnow()
    claims = _load(token, settings)
    if claims.renewed_at > now + _SKEW or claims.signed_in_at > claims.renewed_at:
        raise SessionEndedError("Your sign-in could not be checked (its times are wrong). Please sign in again.")
    check_session_limits(signed_in_at=claims.signed_in_at, last_seen=claims.renewed_at, settings=settings, now=now)
    stored = current_user(engine, user_id=claims.user_id)
    if stored is None:
        raise SessionEndedError("Your account was removed, so you were signed out. Ask an admin if this is a mistake.")
    # The account as the token knew it: check_session compares it with the account as stored now.
    held = stored.model_copy(update={"role": claims.role, "session_generation": claims.generation})
    return ResumedSession(user=check_session(engine, actor=held), signed_in_at=claims.signed_in_at)


@dataclass(frozen=True)
class _Claims:
    user_id: int
    role: Role
    generation: int
    signed_in_at: datetime
    renewed_at: datetime


def _load(token: str, settings: Settings) -> _Claims:
    refused = SessionEndedError("Your sign-in could not be checked (it was altered). Please sign in again.")
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise refused
    try:
        data = _signer(settings).loads(token)
    except BadSignature as e:
        raise refused from e
    if not isinstance(data, dict) or data.get("r") not in {r.value for r in Role}:
        raise refused
    numbers = [data.get(k) for k in ("u", "g", "s", "a")]
    if any(not isinstance(n, int) or isinstance(n, bool) or not 0 <= n < 2**40 for n in numbers):
        raise refused
    user_id, generation, signed_in, renewed = (int(n) for n in numbers)  # type: ignore[arg-type]
    return _Claims(
        user_id=user_id,
        role=Role(data["r"]),
        generation=generation,
        signed_in_at=datetime.fromtimestamp(signed_in, UTC),
        renewed_at=datetime.fromtimestamp(renewed, UTC),
    )
