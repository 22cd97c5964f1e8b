"""Signing in: the password check, the pause after repeated failures, and who is being targeted.

Failures are counted per account over RATE_WINDOW. Failures from unknown browsers share one budget: after
LOGIN_MAX_FAILURES of them, sign-ins from unknown browsers are paused (15 minutes after the last one).
A browser that presents a known-device token of the account (`assist.devices`: set at every successful
sign-in, or by an unlock link) has its own budget, so strangers' guesses never lock the real user out of a
browser they signed in from before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy import Engine

from assist import devices
from assist.config import Settings
from assist.domain import User
from assist.errors import AuthError, SignInPausedError
from assist.store import audit, limits, sign_ins
from assist.store.db import session_scope
from assist.times import utcnow
from assist.users import HASHER, require_current

# The demo workspace's passwords, one per role (the demo seeds them, `seed-demo` prints them and README publishes
# them): they sign in only in demo mode. Defined here, where the refusal is, so the product never imports the demo.
DEMO_PASSWORDS = {"agent": "lumen-demo-agent", "lead": "lumen-demo-lead", "admin": "lumen-demo-admin"}

RATE_WINDOW = timedelta(minutes=15)
TARGETED_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in. Keep `device_token` in the browser: it lets this browser through a pause later."""

    user: User
    device_token: str


@dataclass(frozen=True)
class TargetedAccount:
    """An address with failed sign-ins lately (the Admin page's "who is being targeted")."""

    email: str
    user_id: int | None  # None: no account has this address (someone is trying addresses)
    failures: int  # within the window asked for
    last_failure: datetime
    paused: bool  # sign-ins from unknown browsers are paused right now


def authenticate(
    engine: Engine,
    *,
    email: str,
    password: str,
    settings: Settings,
    device_token: str | None = None,
    now: datetime | None = None,
) -> User:
    """The user, if the password matches and the account may sign in.

    The attempt is recorded and the recent failures of its budget (unknown browsers together, or this
    known device alone) counted in one serialized transaction, so a burst of parallel attempts checks at
    most LOGIN_MAX_FAILURES passwords per budget.

    Raises:
        SignInPausedError: too many failures in this attempt's budget.
        AuthError: wrong email or password (one message for both), disabled account, demo account outside
            demo mode.
    """
    now = now or utcnow()
    email = email.strip().lower()
    if len(email) > limits.EMAIL:  # no account has such an address: refuse before storing or hashing it
        raise AuthError("Wrong email or password.")
    with session_scope(engine) as session:
        sign_ins.serialize_attempts(session, email)
        found = sign_ins.credentials(session, email)
        user = found.user if found is not None else None
        device = None
        if user is not None:
            device = devices.known_device(device_token, user=user, settings=settings, now=now)
        attempt = sign_ins.record_attempt(session, email=email, at=now, device=device)
        failures = sign_ins.recent_failures(session, email, device=device, since=now - RATE_WINDOW, besides=attempt)
        locked = failures >= settings.login_max_failures
        ok = False
        if not locked:
            if found is not None and found.password_hash:
                try:
                    ok = HASHER.verify(found.password_hash, password)
                except (VerifyMismatchError, VerificationError):
                    ok = False
            else:
                HASHER.hash(password)  # spend the same time, so timing does not reveal which emails exist
            demo_outside_demo_mode = ok and not settings.demo_mode and _is_demo_password(password)
            sign_ins.set_success(
                session, attempt, ok and user is not None and user.active and not demo_outside_demo_mode
            )
    if locked:
        raise SignInPausedError(
            "Too many failed sign-ins for this account. Wait 15 minutes, sign in from a browser you used "
            "before, or use an unlock link (from the sign-in page, or ask an admin)."
        )
    if not ok or user is None:
        raise AuthError("Wrong email or password.")
    if demo_outside_demo_mode:
        raise AuthError("Demo accounts only work in demo mode. Ask an admin to set a new password for this account.")
    if not user.active:
        raise AuthError("This account is disabled. Ask an admin to enable it.")
    with session_scope(engine) as session:
        audit.record(
            session,
            actor=email,
            action="user.sign_in",
            entity_type="user",
            entity_id=user.id,
            detail={"known_device": device is not None},
            at=now,
        )
    return user


def sign_in(
    engine: Engine,
    *,
    email: str,
    password: str,
    settings: Settings,
    device_token: str | None = None,
    now: datetime | None = None,
) -> SignIn:
    """`authenticate`, and the known-device token this browser keeps from now on (the one it presented,
    while that is still valid, else a new one)."""
    now = now or utcnow()
    user = authenticate(engine, email=email, password=password, settings=settings, device_token=device_token, now=now)
    if devices.known_device(device_token, user=user, settings=settings, now=now):
        return SignIn(user=user, device_token=device_token or "")
    return SignIn(user=user, device_token=devices.device_token(user, settings, now=now))


def _is_demo_password(password: str) -> bool:
    return password in DEMO_PASSWORDS.values()


def targeted_accounts(
    engine: Engine,
    *,
    actor: User,
    settings: Settings,
    window: timedelta = TARGETED_WINDOW,
    now: datetime | None = None,
) -> list[TargetedAccount]:
    """Addresses with failed sign-ins within `window`, most failures first, and whether they are paused."""
    require_current(engine, actor, action="see failed sign-ins")
    now = now or utcnow()
    with session_scope(engine) as session:
        rows = sign_ins.failures_by_address(session, since=now - window)
        emails = [email for email, _, _ in rows]
        accounts = sign_ins.account_ids(session, emails)
        recent = sign_ins.unknown_browser_failures(session, emails, since=now - RATE_WINDOW)
    return [
        TargetedAccount(
            email=email,
            user_id=accounts.get(email),
            failures=int(n),
            last_failure=last,
            paused=recent.get(email, 0) >= settings.login_max_failures,
        )
        for email, n, last in rows
    ]
