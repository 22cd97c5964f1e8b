"""Sign-in, sign-out, session timeout and which pages each role may open.

The browser keeps a known-device token in the address (`?device=…`): it lets this browser through a
sign-in pause that strangers' guesses caused (`assist.devices`). An unlock link (`?unlock=…`) makes the
browser that opens it a known device.

A signed-in browser also keeps a signed, expiring session token in a cookie (`assist.sessions`, set by a
script: `ui.browser`), so a reload or a new tab resumes the session after the same checks as every click.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import streamlit as st

from assist import (
    FORM_LIMITS,
    AssistError,
    Role,
    SessionEndedError,
    SignInPausedError,
    User,
    check_session,
    check_session_limits,
    redeem_unlock,
    request_unlock,
    resume_session,
    session_token,
    sign_in,
    signing_key,
)
from ui import browser, resources, state
from ui.format import escape_markdown
from ui.guard import show_error

PAGES: dict[str, tuple[Role, ...]] = {
    "pages/inbox.py": (Role.AGENT, Role.LEAD, Role.ADMIN),
    "pages/escalations.py": (Role.LEAD, Role.ADMIN),
    "pages/metrics.py": (Role.LEAD, Role.ADMIN),
    "pages/knowledge_base.py": (Role.ADMIN,),
    "pages/admin.py": (Role.ADMIN,),
}
DEVICE_PARAM, UNLOCK_PARAM = "device", "unlock"


def signed_in_user() -> User | None:
    """The signed-in user as stored now, or None.

    Every request re-reads the user (`assist.store.actors.check_session`), so a disabled account, a new role or a
    new password ends the session on the next click; a session also ends after SESSION_TIMEOUT_MINUTES
    without activity and SESSION_MAX_HOURS in all (`assist.sessions.check_session_limits`). A new Streamlit session
    (a reload, a new tab) resumes from the browser's session cookie after the same checks.
    """
    keep_device()
    user = st.session_state.get("user")
    if user is None:
        return _resume()
    now = time.time()
    try:
        check_session_limits(
            signed_in_at=_when(st.session_state.get("signed_in_at", now)),
            last_seen=_when(st.session_state.get("last_seen", 0.0)),
            settings=resources.settings(),
            now=_when(now),
        )
        fresh = check_session(resources.engine(), actor=user)
    except SessionEndedError as e:
        sign_out(str(e))
        return None
    st.session_state.user, st.session_state.last_seen = fresh, now
    return fresh


def _when(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _resume() -> User | None:
    """The session the browser's cookie stands for, read once per Streamlit session: Streamlit reads cookies
    as they were when the tab connected, so after a sign-out in this tab the old cookie must not count."""
    if st.session_state.get(state.COOKIE_READ):
        return None
    st.session_state[state.COOKIE_READ] = True
    token = st.context.cookies.get(browser.SESSION_COOKIE)
    if not isinstance(token, str) or not token:
        return None
    try:
        resumed = resume_session(resources.engine(), token=token, settings=resources.settings())
    except SessionEndedError as e:
        sign_out(str(e))
        return None
    _start(resumed.user, signed_in_at=resumed.signed_in_at.timestamp())
    return resumed.user


def _start(user: User, *, signed_in_at: float) -> None:
    st.session_state.user, st.session_state.last_seen = user, time.time()
    st.session_state.signed_in_at = signed_in_at
    st.session_state.device_token = st.session_state.get("device_token") or st.query_params.get(DEVICE_PARAM)


RENEW_COOKIE_S = 60  # the cookie's inactivity clock runs at most this far behind the session's


def keep_session_cookie(user: User) -> None:
    """The session cookie, renewed as the person works (at most once a minute: each renewal runs a script)."""
    settings = resources.settings()
    now = time.time()
    if now - st.session_state.get("session_cookie_at", 0.0) >= RENEW_COOKIE_S:
        st.session_state.session_cookie = session_token(
            user, settings, signed_in_at=_when(st.session_state.get("signed_in_at", now)), now=_when(now)
        )
        st.session_state.session_cookie_at = now
    browser.set_session_cookie(
        st.sidebar, st.session_state.session_cookie, max_age_s=settings.session_timeout_minutes * 60
    )


def keep_device() -> None:
    """Keep this browser's known-device token in the address, so a reload or a bookmark still carries it
    (page switches would otherwise drop it)."""
    token = st.session_state.get("device_token")
    if token and st.query_params.get(DEVICE_PARAM) != token:
        st.query_params[DEVICE_PARAM] = token


def sign_out(message: str = "Signed out.") -> None:
    state.end_session(message)


def startup_gate() -> None:
    """The checks every page passes through, whichever URL it was reached by (Streamlit also serves the
    files in pages/ directly): the settings must be valid (outside demo mode a SECRET_KEY is required) and
    the database usable, with the same messages as the command line."""
    try:
        signing_key(resources.settings())
        resources.engine()
    except AssistError as e:
        show_error(e)
        st.stop()


def require_role(page: str) -> User:
    """Every page calls this first: the start-up gate, then sign-in, then the role. The navigation hides
    pages; this refuses direct visits."""
    startup_gate()
    user = signed_in_user()
    if user is None:  # a bookmarked page, or the page that was open at sign-out: show the sign-in form
        login_page()
        st.stop()
    if user.role not in PAGES[page]:
        st.error(f"Your role ({user.role.value}) cannot open this page.")
        st.stop()
    return user


def sidebar(user: User) -> None:
    # A name is whatever an admin typed: shown literally, never as markdown (an image would be fetched).
    st.sidebar.markdown(f"Signed in as **{escape_markdown(user.name)}** ({user.role.value})")
    st.sidebar.button("Sign out", key="sign_out", on_click=sign_out)
    keep_session_cookie(user)


def _redeem_unlock_link() -> None:
    """`?unlock=…`: this browser becomes a known device of the account (once per link)."""
    token = st.query_params.get(UNLOCK_PARAM)
    if not token:
        return
    st.query_params.pop(UNLOCK_PARAM, None)
    try:
        unlocked = redeem_unlock(resources.engine(), token=token, settings=resources.settings())
    except AssistError as e:
        show_error(e)
        return
    st.session_state.device_token = unlocked.device_token
    keep_device()
    st.success(escape_markdown(f"This browser may now sign in to {unlocked.email}. Sign in with your password."))


def login_page() -> None:
    st.title("Assist Console")
    browser.forget_session()
    _redeem_unlock_link()
    if st.session_state.get("signed_out_message"):
        st.info(st.session_state.pop("signed_out_message"))
    st.caption("Please sign in.")
    with st.form("sign_in"):
        email = st.text_input("Email", key="sign_in_email", max_chars=FORM_LIMITS.email)
        password = st.text_input("Password", type="password", key="sign_in_password", max_chars=FORM_LIMITS.password)
        if st.form_submit_button("Sign in", type="primary", key="sign_in_submit"):
            try:
                done = sign_in(
                    resources.engine(),
                    email=email,
                    password=password,
                    settings=resources.settings(),
                    device_token=st.session_state.get("device_token") or st.query_params.get(DEVICE_PARAM),
                )
            except SignInPausedError as e:
                show_error(e)
                st.session_state.paused_email = email
            except AssistError as e:
                show_error(e)
            else:
                st.session_state.device_token = done.device_token
                _start(done.user, signed_in_at=time.time())
                st.session_state.pop("paused_email", None)
                keep_device()
                st.rerun()
    if st.session_state.get("paused_email"):
        _unlock_offer(st.session_state.paused_email)
    if resources.settings().demo_mode:
        st.caption("Demo mode: the demo sign-ins are printed by `python -m assist seed-demo` (see README).")


def _unlock_offer(email: str) -> None:
    settings = resources.settings()
    if not settings.smtp_host:
        st.caption("Is this your account? Ask an admin for an unlock link (Admin page, Sign-in attempts).")
        return
    if st.button("Email me an unlock link", key="unlock_request"):
        try:
            request_unlock(resources.engine(), email=email, settings=settings)
        except AssistError as e:
            show_error(e)
        else:
            st.info("If this address has an account, an unlock link is on its way. Open it in this browser.")
