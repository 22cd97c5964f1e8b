"""Errors on a page: an `AssistError` shows its own message; anything else is logged with its traceback
and the page says plainly what failed. No page ever shows a traceback (the server's
`client.showErrorDetails = "none"` is the last line of defence)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from assist import AssistError, SessionEndedError
from ui import state
from ui.format import escape_markdown

log = logging.getLogger("assist.ui")


def show_error(error: AssistError) -> None:
    """The message, shown literally: messages quote input (file names, titles, rows) that may hold markdown.

    A `SessionEndedError` (the account was disabled, given another role or a new password) signs the person
    out instead, and the app starts again at the sign-in page, which says why.
    """
    if isinstance(error, SessionEndedError):
        state.end_session(str(error))
        st.rerun(scope="app")
    st.error(escape_markdown(str(error)))


@contextmanager
def guarded(what: str, *, stop: bool = True) -> Iterator[None]:
    """Wrap a page-level read: on failure show a clear message (details go to the log) and stop the page."""
    try:
        yield
    except AssistError as e:
        show_error(e)
        if stop:
            st.stop()
    except Exception:
        log.exception("Loading %s failed", what)
        st.error(
            f"Could not load {what}. The details are in the server log; try again, "
            "and tell your admin if it keeps happening."
        )
        if stop:
            st.stop()
