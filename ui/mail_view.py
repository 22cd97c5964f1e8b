"""Admin: mail the poll could not store (quarantined with the reason), and a Retry for each."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from assist import AssistError, MaskRules, Settings, User, quarantined, retry_quarantined
from ui import state
from ui.format import display_text
from ui.guard import show_error


def quarantine_admin(engine: Engine, admin: User, settings: Settings) -> None:
    st.subheader("Mail that could not be read")
    held = quarantined(engine, actor=admin)
    if not held:
        st.caption("None: every mail the poll read became a ticket or a follow-up.")
        return
    st.caption(
        "The poll set these aside and read on; each is kept whole. Retry after an upgrade, or read it in the "
        "mailbox (UID shown) and open a ticket by hand."
    )
    st.dataframe(  # a dataframe shows text as text: nothing the sender wrote is rendered
        pd.DataFrame(
            {
                "#": [m.id for m in held],
                "When": [m.quarantined_at for m in held],
                "From": [display_text(m.sender) for m in held],
                "Subject": [display_text(m.subject) for m in held],
                "Why": [display_text(m.reason) for m in held],
                "UID": [m.uid for m in held],
                "KB": [round(m.size / 1024, 1) for m in held],
                "Tries": [m.attempts for m in held],
            }
        ),
        hide_index=True,
        width="stretch",
        key="quarantine_table",
    )
    by_id = {m.id: m for m in held}
    chosen = st.selectbox(
        "Mail", list(by_id), key="quarantine_pick", format_func=lambda i: display_text(f"#{i} from {by_id[i].sender}")
    )
    if st.button("Retry", key="quarantine_retry", icon=":material/replay:"):
        try:
            result = retry_quarantined(
                engine,
                quarantine_id=chosen,
                actor=admin,
                max_chars=settings.max_message_chars,
                masking=MaskRules.from_settings(settings),
                holdout_percent=settings.assist_holdout_percent,
            )
        except AssistError as e:
            show_error(e)
            return
        if result.ticket_id is not None:
            state.flash(f"Mail #{chosen} is now on ticket #{result.ticket_id}.")
        else:
            state.flash(f"Mail #{chosen} still cannot be read: {result.reason}", kind="error")
        st.rerun()
