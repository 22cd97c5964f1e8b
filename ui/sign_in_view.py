"""The Admin page's "Sign-in attempts": which accounts strangers are guessing at, and unlock links."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from assist import AssistError, User, issue_unlock_link, targeted_accounts
from ui import resources
from ui.format import ago, display_text
from ui.guard import show_error


def targeted_panel(engine: Engine, admin: User) -> None:
    st.subheader("Sign-in attempts")
    try:
        accounts = targeted_accounts(engine, actor=admin, settings=resources.settings())
    except AssistError as e:
        show_error(e)
        return
    if not accounts:
        st.caption("No failed sign-ins in the last 24 hours.")
        return
    st.caption(
        "Failed sign-ins in the last 24 hours. A paused account still signs in from browsers it used before; "
        "from a new browser its owner needs an unlock link."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Account": [display_text(a.email) for a in accounts],
                "Has an account": [a.user_id is not None for a in accounts],
                "Failed sign-ins": [a.failures for a in accounts],
                "Last failure": [ago(a.last_failure) for a in accounts],
                "Paused now": [a.paused for a in accounts],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    known = {a.user_id: a.email for a in accounts if a.user_id is not None}
    if not known:
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        "Unlock link for", list(known), key="unlock_for", format_func=lambda i: display_text(known[i])
    )
    if right.button("Create unlock link", key="unlock_create", icon=":material/key:"):
        try:
            link = issue_unlock_link(engine, user_id=chosen, actor=admin, settings=resources.settings())
        except AssistError as e:
            show_error(e)
        else:
            st.caption(
                "Give this link to the account's owner (it works once, within an hour, in the browser that opens it):"
            )
            st.code(link, language=None)
