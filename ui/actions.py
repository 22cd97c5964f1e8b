"""One change to the open ticket, as a widget callback: it runs before its panel reruns, so the panel
shows the result (or the error) without rerunning the page; and the version the agent is looking at.

A callback runs with the `User` the panel captured at its last render; the core re-checks it in the
change's own transaction, and a refused session is signed out here (`state.flash_error`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from assist import AssistError, OpenTicket
from ui import state

T = TypeVar("T")


def act(ticket_id: int, action: Callable[[], T], done: Callable[[T], str]) -> bool:
    """Run `action`; on success the panel moves to the ticket's new version (a fresh editor) and says
    `done(result)`, on an AssistError it says what went wrong and keeps everything the agent typed.
    Returns whether the action succeeded."""
    try:
        result = action()
    except AssistError as e:
        state.flash_error(e)
        return False
    acted(ticket_id)
    state.flash(done(result))
    return True


def acted(ticket_id: int) -> None:
    """After the agent's own change: the next render looks at the new version (and starts a new editor)."""
    st.session_state.pop(f"seen_version_{ticket_id}", None)
    st.session_state.pop(f"alternative_{ticket_id}", None)


def seen_version(ws: OpenTicket) -> int:
    """The ticket version this agent is looking at. Reruns re-read the ticket, so without this an
    agent's click could silently act on changes they never saw."""
    seen = int(st.session_state.setdefault(f"seen_version_{ws.ticket.id}", ws.ticket.version))
    if seen != ws.ticket.version:
        left, right = st.columns([4, 1])
        left.warning(
            "This ticket changed since you opened it (a new message, or another agent acted). "
            "Reload to see the latest version; your text is kept.",
            icon=":material/sync_problem:",
        )
        right.button("Reload", key=f"reload_{ws.ticket.id}", on_click=_reload, args=(ws,))
    return seen


def editor_key(ticket_id: int) -> str:
    seen = st.session_state.get(f"seen_version_{ticket_id}")
    return f"draft_{ticket_id}_{seen}"


def _reload(ws: OpenTicket) -> None:
    old = editor_key(ws.ticket.id)
    st.session_state[f"seen_version_{ws.ticket.id}"] = ws.ticket.version
    if old in st.session_state:
        st.session_state[editor_key(ws.ticket.id)] = st.session_state[old]
