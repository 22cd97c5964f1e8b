"""Every session_state key the pages use, initialised in one place. Small per-user data only."""

from __future__ import annotations

from typing import Any

import streamlit as st

from assist import AssistError, SessionEndedError, User, parse_ticket_id
from ui.format import escape_markdown

DEFAULTS: dict[str, Any] = {
    "ticket_id": None,  # the ticket open beside the list
    "user": None,  # the signed-in User
    "flash": None,  # a message to show once after a rerun
}


def init() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    ticket = parse_ticket_id(st.query_params.get("ticket", ""))
    if ticket is not None and st.session_state.ticket_id is None:
        st.session_state.ticket_id = ticket  # deep link: /?ticket=123 (anything else is ignored)


def select_ticket(ticket_id: int | None) -> None:
    st.session_state.ticket_id = ticket_id
    st.session_state.tickets_opened = st.session_state.get("tickets_opened", 0) + 1
    if ticket_id is None:
        st.query_params.pop("ticket", None)
    else:
        st.query_params["ticket"] = str(ticket_id)


# The session cookie's token goes too: the next sign-in in this tab gets its own.
COOKIE_READ = "session_cookie_read"  # this tab has had its one chance to resume from the session cookie
SESSION_KEYS = ("user", "last_seen", "signed_in_at", "ticket_id", "session_cookie", "session_cookie_at")


def end_session(message: str) -> None:
    """Forget who is signed in; the sign-in page shows `message` and clears the session cookie (the browser's
    known-device token stays)."""
    for key in SESSION_KEYS:
        st.session_state.pop(key, None)
    st.session_state.signed_out_message = message
    # Streamlit keeps the cookies a tab connected with: the session cookie it had must not sign it back in.
    st.session_state[COOKIE_READ] = True


def restart_if_signed_out() -> None:
    """First thing in every fragment. A callback may have ended the session (a core call refused it with
    `SessionEndedError`), and a fragment's rerun skips the page's sign-in check: go back to the top, which
    shows the sign-in page and why."""
    if st.session_state.get("user") is None:
        st.rerun(scope="app")


def flash_error(error: AssistError, *, kind: str = "error") -> None:
    """For widget callbacks: say what went wrong after the rerun, or end a session the core refused."""
    if isinstance(error, SessionEndedError):
        end_session(str(error))
    else:
        flash(str(error), kind=kind)


def current_user() -> User:
    user = st.session_state.get("user")
    if user is None:
        st.error("Choose who you are working as in the sidebar.")
        st.stop()
    return user  # type: ignore[no-any-return]


def flash(message: str, *, kind: str = "success") -> None:
    """Show `message` after the next rerun (st.success before st.rerun would vanish)."""
    st.session_state.flash = (kind, message)


def show_flash() -> None:
    pending = st.session_state.get("flash")
    if pending:
        kind, message = pending
        # Messages quote titles and errors that can carry markdown: shown literally.
        show = {"info": st.info, "error": st.error}.get(kind, st.success)
        show(escape_markdown(message))
        st.session_state.flash = None
