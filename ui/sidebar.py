"""The shared sidebar: who is working (demo mode picks a demo user until sign-in exists)."""

from __future__ import annotations

import streamlit as st

from assist.inbox import list_assignees
from ui import resources


def working_as() -> None:
    users = list_assignees(resources.engine())
    if not users:
        st.sidebar.info("No users yet: run `python -m assist seed-demo` or add one with the CLI.")
        return
    by_id = {u.id: u for u in users}
    current = st.session_state.get("user")
    index = list(by_id).index(current.id) if current is not None and current.id in by_id else 0
    chosen = st.sidebar.selectbox(
        "Working as",
        list(by_id),
        index=index,
        key="working_as",
        format_func=lambda i: f"{by_id[i].name} ({by_id[i].role.value})",
    )
    st.session_state.user = by_id[chosen]
