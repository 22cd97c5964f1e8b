"""Issue 31, finding 24: anyone's wrong guesses paused the real user's sign-ins for 15 minutes, renewable.

The pause still holds for unknown browsers. A browser that signed in before presents its signed known-device
token and has its own budget; an unlock link (mailed, or issued by an admin) makes a browser known, once;
admins see which accounts are being guessed at.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import streamlit as st
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist import authentication, devices, users
from assist.authentication import authenticate, sign_in, targeted_accounts
from assist.config import Settings, get_settings
from assist.devices import issue_unlock_link, redeem_unlock, request_unlock
from assist.domain import Role, User
from assist.errors import AuthError, ConfigError, PermissionDeniedError, SignInPausedError
from assist.times import utcnow
from assist.users import OPERATOR, create_user, reset_password
from ui import warmup

ROOT = Path(__file__).parents[2]
SETTINGS = Settings(login_max_failures=3)
PASSWORD = "the real passphrase"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many sign-ins here; the hash's strength is not what these tests are about."""
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "HASHER", fast)
    monkeypatch.setattr(authentication, "HASHER", fast)


def _account(engine: Engine, email: str = "maya@lumen.app") -> User:
    return create_user(engine, email=email, name="Maya", role=Role.AGENT, password=PASSWORD, actor=OPERATOR)


def _guess(engine: Engine, email: str = "maya@lumen.app", times: int = SETTINGS.login_max_failures) -> None:
    for n in range(times):
        with pytest.raises(AuthError):
            authenticate(engine, email=email, password=f"guess {n}", settings=SETTINGS)


def _unlock_token(link: str) -> str:
    return parse_qs(urlparse(link).query)["unlock"][0]


def test_strangers_guesses_still_pause_unknown_browsers(engine: Engine) -> None:
    _account(engine)
    _guess(engine)
    with pytest.raises(SignInPausedError, match="Too many failed sign-ins"):
        sign_in(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS)


def test_a_browser_that_signed_in_before_gets_through_the_pause(engine: Engine) -> None:
    maya = _account(engine)
    known = sign_in(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS).device_token
    _guess(engine)
    again = sign_in(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS, device_token=known)
    assert again.user.id == maya.id and again.device_token == known  # the browser keeps its token
    with pytest.raises(SignInPausedError):  # the pause itself is untouched
        sign_in(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS)


def test_a_known_browser_has_its_own_budget_of_failures(engine: Engine) -> None:
    _account(engine)
    first = sign_in(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS).device_token
    second = sign_in(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS).device_token
    for n in range(SETTINGS.login_max_failures):  # someone at the first browser guesses
        with pytest.raises(AuthError, match="Wrong"):
            authenticate(engine, email="maya@lumen.app", password=f"no {n}", settings=SETTINGS, device_token=first)
    with pytest.raises(SignInPausedError):
        authenticate(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS, device_token=first)
    assert authenticate(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS, device_token=second)
    assert authenticate(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS)  # unknown: untouched


def _refused(engine: Engine, token: str) -> None:
    with pytest.raises(SignInPausedError):
        sign_in(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS, device_token=token)


def test_forged_expired_foreign_and_outdated_tokens_do_not_get_through(engine: Engine) -> None:
    maya = _account(engine)
    other = _account(engine, "sam@lumen.app")
    now = utcnow()
    sams = sign_in(engine, email="sam@lumen.app", password=PASSWORD, settings=SETTINGS).device_token
    old = devices.device_token(maya, SETTINGS, now=now - devices.KNOWN_DEVICE_FOR - timedelta(minutes=1))
    other_key = devices.device_token(maya, Settings(demo_mode=False, secret_key="s" * 40), now=now)
    future = devices.device_token(maya, SETTINGS, now=now + timedelta(days=1))
    before_reset = sign_in(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS).device_token
    reset_password(engine, user_id=maya.id, password=PASSWORD, actor=OPERATOR)  # ends sessions and tokens
    _guess(engine)
    for token in (sams, old, other_key, future, before_reset, before_reset[:-2], "x" * 10_000):
        _refused(engine, token)
    assert other.id != maya.id


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=hs.text(max_size=200) | hs.from_regex(r"[A-Za-z0-9_\-]{10,60}\.[A-Za-z0-9_\-]{20,40}", fullmatch=True))
def test_no_made_up_token_gets_through(sqlite_engine: Engine, token: str) -> None:
    if users.current_user(sqlite_engine, user_id=1) is None:  # the first example: the account, paused
        _account(sqlite_engine)
        _guess(sqlite_engine)
    _refused(sqlite_engine, token)


def test_an_unlock_link_makes_a_browser_known_once(engine: Engine) -> None:
    maya = _account(engine)
    _guess(engine)
    link = issue_unlock_link(engine, user_id=maya.id, actor=OPERATOR, settings=SETTINGS)
    assert link.startswith(f"{SETTINGS.public_base_url}/?unlock=")
    unlocked = redeem_unlock(engine, token=_unlock_token(link), settings=SETTINGS)
    assert unlocked.email == "maya@lumen.app"
    sign_in(engine, email="maya@lumen.app", password=PASSWORD, settings=SETTINGS, device_token=unlocked.device_token)
    with pytest.raises(AuthError, match="already used or has expired"):
        redeem_unlock(engine, token=_unlock_token(link), settings=SETTINGS)


def test_an_unlock_link_is_single_use_even_when_opened_at_once(engine: Engine) -> None:
    maya = _account(engine)
    token = _unlock_token(issue_unlock_link(engine, user_id=maya.id, actor=OPERATOR, settings=SETTINGS))
    barrier, outcomes = threading.Barrier(6), []

    def use() -> None:
        barrier.wait()
        try:
            redeem_unlock(engine, token=token, settings=SETTINGS)
            outcomes.append("unlocked")
        except AuthError:
            outcomes.append("refused")

    threads = [threading.Thread(target=use) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["refused"] * 5 + ["unlocked"]


def test_expired_and_forged_unlock_links_are_refused(engine: Engine) -> None:
    maya = _account(engine)
    token = _unlock_token(issue_unlock_link(engine, user_id=maya.id, actor=OPERATOR, settings=SETTINGS))
    with pytest.raises(AuthError, match="already used or has expired"):
        redeem_unlock(engine, token=token, settings=SETTINGS, now=utcnow() + devices.UNLOCK_FOR + timedelta(minutes=1))
    forged = devices._signer(Settings(demo_mode=False, secret_key="s" * 40), "assist-unlock").dumps(
        {"u": maya.id, "n": "guessed"}
    )
    for bad in (forged, token[:-3], secrets.token_urlsafe(40)):
        with pytest.raises(AuthError, match="not valid"):
            redeem_unlock(engine, token=bad, settings=SETTINGS)
    assert redeem_unlock(engine, token=token, settings=SETTINGS).email == maya.email  # still good, once


@pytest.mark.parametrize("change", ["password reset", "disable and enable", "demotion"])
def test_an_unlock_link_issued_before_the_account_changed_is_void(engine: Engine, change: str) -> None:
    """Re-probe of issue 31: a link issued before a password reset, a disable and re-enable (or a change of role)
    still made the browser a known device; the account change ends every session, links included."""
    maya = _account(engine)
    token = _unlock_token(issue_unlock_link(engine, user_id=maya.id, actor=OPERATOR, settings=SETTINGS))
    if change == "password reset":
        reset_password(engine, user_id=maya.id, password=PASSWORD, actor=OPERATOR)
    elif change == "disable and enable":
        users.set_user_active(engine, user_id=maya.id, active=False, actor=OPERATOR)
        users.set_user_active(engine, user_id=maya.id, active=True, actor=OPERATOR)
    else:
        users.change_role(engine, user_id=maya.id, role=Role.LEAD, actor=OPERATOR)
    with pytest.raises(AuthError, match="issued before the account"):
        redeem_unlock(engine, token=token, settings=SETTINGS)


def test_an_unlock_link_is_mailed_to_the_account_at_most_every_fifteen_minutes(engine: Engine) -> None:
    _account(engine)
    sent: list[EmailMessage] = []
    now = utcnow()
    request_unlock(engine, email=" Maya@Lumen.app ", settings=SETTINGS, send=sent.append, now=now)
    request_unlock(engine, email="maya@lumen.app", settings=SETTINGS, send=sent.append, now=now + timedelta(minutes=5))
    request_unlock(engine, email="nobody@lumen.app", settings=SETTINGS, send=sent.append, now=now)  # no account
    assert [m["To"] for m in sent] == ["maya@lumen.app"]
    link = next(line for line in sent[0].get_content().splitlines() if "?unlock=" in line)
    assert redeem_unlock(engine, token=_unlock_token(link), settings=SETTINGS, now=now).email == "maya@lumen.app"
    request_unlock(engine, email="maya@lumen.app", settings=SETTINGS, send=sent.append, now=now + timedelta(minutes=16))
    assert len(sent) == 2
    with pytest.raises(ConfigError, match="Ask an admin for an unlock link"):
        request_unlock(engine, email="maya@lumen.app", settings=Settings(smtp_host=None))


def test_admins_see_which_accounts_are_being_guessed(engine: Engine) -> None:
    maya = _account(engine)
    _guess(engine)
    _guess(engine, "nobody@lumen.app", times=2)
    targeted = targeted_accounts(engine, actor=OPERATOR, settings=SETTINGS)
    assert [(t.email, t.user_id, t.failures, t.paused) for t in targeted] == [
        ("maya@lumen.app", maya.id, 3, True),
        ("nobody@lumen.app", None, 2, False),
    ]
    assert all(utcnow() - t.last_failure < timedelta(minutes=5) for t in targeted)
    later = targeted_accounts(engine, actor=OPERATOR, settings=SETTINGS, now=utcnow() + timedelta(minutes=20))
    assert [t.paused for t in later] == [False, False]  # still listed for the day, no longer paused
    with pytest.raises(PermissionDeniedError):
        targeted_accounts(engine, actor=maya, settings=SETTINGS)


# In the app: the browser keeps its token in the address ------------------------------------------------------


@pytest.fixture
def app_env(sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("LOGIN_MAX_FAILURES", str(SETTINGS.login_max_failures))
    st.cache_resource.clear()
    get_settings.cache_clear()
    warmup.reset()
    yield
    st.cache_resource.clear()
    get_settings.cache_clear()
    warmup.reset()


def _form(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_in_email").input("maya@lumen.app")
    at.text_input(key="sign_in_password").input(password)
    return at.button(key="sign_in_submit").click().run()


def test_the_app_lets_a_browser_it_knows_through_a_pause(sqlite_engine: Engine, app_env: None) -> None:
    _account(sqlite_engine)
    first = _form(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run())
    assert not first.exception and first.session_state["user"].email == "maya@lumen.app"
    token = first.query_params["device"]  # kept in the address: a reload or a bookmark carries it
    _guess(sqlite_engine)
    stranger = _form(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run())
    assert any("Too many failed sign-ins" in e.value.replace("\\", "") for e in stranger.error)
    assert any("Ask an admin for an unlock link" in c.value for c in stranger.caption)  # no SMTP here
    back = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    back.query_params["device"] = token
    back = _form(back.run())
    assert not back.error, [e.value for e in back.error]
    assert back.session_state["user"].email == "maya@lumen.app"


def test_the_app_redeems_an_unlock_link_into_a_known_browser(sqlite_engine: Engine, app_env: None) -> None:
    maya = _account(sqlite_engine)
    _guess(sqlite_engine)
    link = issue_unlock_link(sqlite_engine, user_id=maya.id, actor=OPERATOR, settings=Settings())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["unlock"] = _unlock_token(link)
    at.run()
    assert any("This browser may now sign in" in s.value.replace("\\", "") for s in at.success)
    assert "unlock" not in at.query_params and at.query_params["device"]
    at = _form(at)
    assert not at.error and at.session_state["user"].id == maya.id
