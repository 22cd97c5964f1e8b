"""Sign-in, sign-out, session timeout and which pages each role may open."""

from __future__ import annotations

import time

import streamlit as st

from assist.config import signing_key
from assist.domain import Role, User
from assist.errors import AssistError
from assist.users import authenticate, current_user
from ui import resources
from ui.guard import show_error

PAGES: dict[str, tuple[Role, ...]] = {
    "pages/inbox.py": (Role.AGENT, Role.LEAD, Role.ADMIN),
    "pages/escalations.py": (Role.LEAD, Role.ADMIN),
    "pages/metrics.py": (Role.LEAD, Role.ADMIN),
    "pages/knowledge_base.py": (Role.ADMIN,),
    "pages/admin.py": (Role.ADMIN,),
}


def signed_in_user() -> User | None:
    """The signed-in user as stored now, or None.

    Every request re-reads the user, so a role change or a disabled account takes effect on the next
    click; a session also ends after SESSION_TIMEOUT_MINUTES without activity and SESSION_MAX_HOURS in all.
    """
    user = st.session_state.get("user")
    if user is None:
        return None
    settings = resources.settings()
    now = time.time()
    if now - st.session_state.get("last_seen", 0.0) > settings.session_timeout_minutes * 60:
        sign_out("You were signed out after a period of inactivity. Please sign in again.")
        return None
    if now - st.session_state.get("signed_in_at", now) > settings.session_max_hours * 3600:
        sign_out(f"Sessions last at most {settings.session_max_hours} hours. Please sign in again.")
        return None
    fresh = current_user(resources.engine(), user_id=user.id)
    if fresh is None or not fresh.active:
        sign_out("Your account was disabled. Ask an admin if you think this is a mistake.")
        return None
    st.session_state.user, st.session_state.last_seen = fresh, now
    return fresh


def sign_out(message: str = "Signed out.") -> None:
    for key in ("user", "last_seen", "signed_in_at", "ticket_id"):
        st.session_state.pop(key, None)
    st.session_state.signed_out_message = message


def startup_gate() -> None:
    """The checks every page passes through, whichever URL it was reached by (Streamlit also serves the
    files in pages/ directly): outside demo mode a SECRET_KEY is required."""
    try:
        signing_key(resources.settings())
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
    st.sidebar.markdown(f"Signed in as **{user.name}** ({user.role.value})")
    st.sidebar.button("Sign out", key="sign_out", on_click=sign_out)


def login_page() -> None:
    st.title("Assist Console")
    if st.session_state.get("signed_out_message"):
        st.info(st.session_state.pop("signed_out_message"))
    st.caption("Please sign in.")
    with st.form("sign_in"):
        email = st.text_input("Email", key="sign_in_email", max_chars=320)
        password = st.text_input("Password", type="password", key="sign_in_password", max_chars=200)
        if st.form_submit_button("Sign in", type="primary", key="sign_in_submit"):
            try:
                user = authenticate(resources.engine(), email=email, password=password, settings=resources.settings())
            except AssistError as e:
                show_error(e)
            else:
                st.session_state.user, st.session_state.last_seen = user, time.time()
                st.session_state.signed_in_at = time.time()
                st.rerun()
    if resources.settings().demo_mode:
        st.caption("Demo mode: the demo sign-ins are printed by `python -m assist seed-demo` (see README).")
