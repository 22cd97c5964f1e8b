"""Known devices and unlock links: how the real user gets through a sign-in pause that strangers caused.

A *known-device token* is signed and handed to a browser at each successful sign-in (the app keeps it in
the address). It names the account, the account's session generation and a random device id; it lasts
KNOWN_DEVICE_FOR and dies with a disable, a role change or a password reset. A sign-in that presents a
valid one for the account it signs in to is not held by the pause strangers caused; it has its own budget
of failures (`assist.authentication`).

An *unlock link* is a signed, single-use token (stored like the survey tokens) that makes the browser that
opens it a known device of the account. With SMTP it is mailed to the account's address on request; without,
an admin issues it from the Admin page and passes it on.
"""

from __future__ import annotations

import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from assist.config import Settings, signing_key
from assist.delivery import smtp_send
from assist.domain import User
from assist.errors import AuthError, ConfigError, NotFoundError, ValidationError
from assist.identifiers import normalise_email
from assist.store import audit
from assist.store.accounts import account, account_by_email
from assist.store.actors import current_actor, require
from assist.store.db import session_scope
from assist.store.unlocks import add_unlock, claim_unlock, last_mailed
from assist.times import utcnow

KNOWN_DEVICE_FOR = timedelta(days=90)
UNLOCK_FOR = timedelta(hours=1)
UNLOCK_MAIL_EVERY = timedelta(minutes=15)  # a stranger cannot flood the account's inbox with links
MAX_TOKEN_CHARS = 512  # ours are about 120; anything longer is not worth a signature check
_SKEW = timedelta(minutes=5)  # replicas' clocks
Mailer = Callable[[EmailMessage], None]


@dataclass(frozen=True)
class Unlocked:
    """An unlock link was redeemed: keep `device_token` in this browser, then sign in with the password."""

    email: str
    device_token: str


def _signer(settings: Settings, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(signing_key(settings), salt=salt)


def device_token(user: User, settings: Settings, *, now: datetime) -> str:
    """A new known-device token for `user` (as read: its session generation is in the token)."""
    payload = {"u": user.id, "g": user.session_generation, "d": secrets.token_hex(8), "t": int(now.timestamp())}
    return _signer(settings, "assist-known-device").dumps(payload)


def known_device(token: str | None, *, user: User, settings: Settings, now: datetime) -> str | None:
    """The device id in `token`, if it is a known-device token of this account, of its current generation,
    issued within KNOWN_DEVICE_FOR; None for anything else (forged, expired, another account's)."""
    data = _load(token, settings, "assist-known-device")
    if data is None or not isinstance(data.get("d"), str) or not isinstance(data.get("g"), int):
        return None
    if data.get("u") != user.id or data["g"] != user.session_generation:
        return None
    if not _issued_within(data.get("t"), KNOWN_DEVICE_FOR, now):
        return None
    return str(data["d"])[:32]


def _load(token: str | None, settings: Settings, salt: str) -> dict[str, object] | None:
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        data = _signer(settings, salt).loads(token)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def _issued_within(stamp: object, valid: timedelta, now: datetime) -> bool:
    if not isinstance(stamp, int) or isinstance(stamp, bool):
        return False
    issued = datetime.fromtimestamp(stamp, UTC)
    return now - valid <= issued <= now + _SKEW


def unlock_url(token: str, settings: Settings) -> str:
    return f"{settings.public_base_url}/?unlock={token}"


def _new_unlock(session: Session, user: User, *, issued_by: str, settings: Settings, now: datetime) -> str:
    nonce = secrets.token_urlsafe(16)
    add_unlock(session, nonce=nonce, user_id=user.id, issued_by=issued_by, issued_at=now)
    # The session generation too: a password reset, a disable or a demotion after the link was issued voids it.
    token = {"u": user.id, "n": nonce, "g": user.session_generation}
    return unlock_url(_signer(settings, "assist-unlock").dumps(token), settings)


def issue_unlock_link(
    engine: Engine, *, user_id: int, actor: User, settings: Settings, now: datetime | None = None
) -> str:
    """An unlock link for the account, for an admin to pass on (the way when no SMTP is set up).

    Raises:
        PermissionDeniedError: not an admin.
        SessionEndedError: the admin's own account changed since it was read.
        NotFoundError: no such account.
    """
    require(actor, action="issue unlock links")
    now = now or utcnow()
    with session_scope(engine) as session:
        current_actor(session, actor)
        row = account(session, user_id)
        if row is None:
            raise NotFoundError(f"User #{user_id} does not exist. Reload the page.")
        link = _new_unlock(session, row, issued_by=actor.email, settings=settings, now=now)
        audit.record(
            session,
            actor=actor.email,
            action="user.unlock_link",
            entity_type="user",
            entity_id=row.id,
            detail={"email": row.email},
            at=now,
        )
    return link


def request_unlock(
    engine: Engine, *, email: str, settings: Settings, send: Mailer | None = None, now: datetime | None = None
) -> None:
    """Mail an unlock link to the account with this address (the sign-in page's offer during a pause).

    Says nothing about whether the account exists: an unknown or disabled address is silently ignored, and
    an account gets at most one link every UNLOCK_MAIL_EVERY.

    Raises:
        ConfigError: no SMTP server is set up (an admin issues the link instead).
        AuthError: the mail could not be sent.
    """
    if not settings.smtp_host and send is None:
        raise ConfigError("Unlock links are sent by email, which is not set up here. Ask an admin for an unlock link.")
    now = now or utcnow()
    try:
        address = normalise_email(email)
    except ValidationError:
        return
    with session_scope(engine) as session:
        row = account_by_email(session, address)
        if row is None or not row.active or _mailed_recently(session, row.id, now):
            return
        link = _new_unlock(session, row, issued_by="mail", settings=settings, now=now)
        audit.record(session, actor=address, action="user.unlock_mail", entity_type="user", entity_id=row.id, at=now)
    try:
        (send or _smtp(settings))(_unlock_mail(settings, to=address, link=link))
    except (OSError, smtplib.SMTPException) as e:
        raise AuthError(f"The unlock mail could not be sent ({type(e).__name__}). Ask an admin for a link.") from e


def _mailed_recently(session: Session, user_id: int, now: datetime) -> bool:
    last = last_mailed(session, user_id)
    return last is not None and now - last < UNLOCK_MAIL_EVERY


def _smtp(settings: Settings) -> Mailer:
    return lambda message: smtp_send(settings, message)


def _unlock_mail(settings: Settings, *, to: str, link: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = settings.smtp_from, to
    message["Subject"] = "Unlock your Assist Console sign-in"
    message.set_content(
        "Sign-ins to your Assist Console account were paused after several wrong passwords.\n\n"
        "Open this link in the browser you sign in from, then sign in with your password as usual:\n"
        f"{link}\n\n"
        f"The link works once, within {int(UNLOCK_FOR.total_seconds() // 60)} minutes. If you did not ask for it, "
        "ignore this mail and tell your admin: someone may be guessing your password.\n"
    )
    return message


def redeem_unlock(engine: Engine, *, token: str, settings: Settings, now: datetime | None = None) -> Unlocked:
    """Use an unlock link once: this browser becomes a known device of the account.

    Raises:
        AuthError: the link is forged, expired, already used, or its account is disabled.
    """
    now = now or utcnow()
    data = _load(token, settings, "assist-unlock")
    invalid = AuthError("This unlock link is not valid. Ask for a new one from the sign-in page or an admin.")
    user_id, nonce = (data or {}).get("u"), (data or {}).get("n")
    if data is None or not isinstance(user_id, int) or not isinstance(nonce, str):
        raise invalid
    with session_scope(engine) as session:
        if not claim_unlock(session, nonce=nonce, user_id=user_id, issued_after=now - UNLOCK_FOR, now=now):
            raise AuthError(
                "This unlock link was already used or has expired. Ask for a new one from the sign-in page or an admin."
            )
        row = account(session, user_id)
        if row is None:
            raise invalid
        if not row.active:
            raise AuthError("This account is disabled. Ask an admin to enable it.")
        if data.get("g") != row.session_generation:
            raise AuthError(
                "This unlock link was issued before the account's password, role or status changed. Ask for a new "
                "one from the sign-in page or an admin."
            )
        audit.record(session, actor=row.email, action="user.unlock", entity_type="user", entity_id=row.id, at=now)
        return Unlocked(email=row.email, device_token=device_token(row, settings, now=now))
