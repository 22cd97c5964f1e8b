"""Every session_state key the pages use, initialised in one place. Small per-user data only."""

from __future__ import annotations

from typing import Any

import streamlit as st

DEFAULTS: dict[str, Any] = {
    "ticket_id": None,  # the ticket open in the workspace
}


def init() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    ticket = st.query_params.get("ticket")
    if ticket and ticket.isdigit() and st.session_state.ticket_id is None:
        st.session_state.ticket_id = int(ticket)  # deep link: /?ticket=123


def open_ticket(ticket_id: int | None) -> None:
    st.session_state.ticket_id = ticket_id
    if ticket_id is None:
        st.query_params.pop("ticket", None)
    else:
        st.query_params["ticket"] = str(ticket_id)


def actor() -> str:
    """Who is acting, for the audit log (the signed-in user once sign-in exists)."""
    return str(st.session_state.get("user_email") or "console")
