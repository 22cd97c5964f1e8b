"""Admin: macros (canned responses) with their use counts; add, edit, archive and restore."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from assist import FORM_LIMITS, PLACEHOLDERS, AssistError, User, list_macros, save_macro, set_macro_active
from ui import state
from ui.guard import show_error

NEW = 0


def macro_admin(engine: Engine, admin: User) -> None:
    st.subheader("Macros")
    macros = list_macros(engine, include_archived=True)
    if macros:
        st.dataframe(
            pd.DataFrame(
                {
                    "Title": [m.title for m in macros],
                    "Text": [m.body for m in macros],
                    "Uses": [m.uses for m in macros],
                    "Active": [m.active for m in macros],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info("No macros yet. Agents insert them into replies; add the answers your team types most.")
    by_id = {m.id: m for m in macros}
    target = st.selectbox(
        "Macro",
        [NEW, *by_id],
        key="macro_edit",
        format_func=lambda i: "New macro…" if i == NEW else by_id[i].title + ("" if by_id[i].active else " (archived)"),
    )
    chosen = by_id.get(target)
    with st.form(f"macro_form_{target}"):  # keyed by macro, so the fields start from its current text
        title = st.text_input(
            "Title",
            value=chosen.title if chosen else "",
            key=f"macro_title_{target}",
            max_chars=FORM_LIMITS.macro_title,
        )
        body = st.text_area(
            "Text", value=chosen.body if chosen else "", key=f"macro_body_{target}", max_chars=FORM_LIMITS.macro_body
        )
        st.caption("Placeholders: " + " · ".join(f"`{{{name}}}` {meaning}" for name, meaning in PLACEHOLDERS.items()))
        if st.form_submit_button("Save macro", key=f"macro_save_{target}"):
            try:
                save_macro(engine, title=title, body=body, actor=admin, macro_id=chosen.id if chosen else None)
            except AssistError as e:
                show_error(e)
            else:
                state.flash(f'Macro "{title.strip()}" saved.')
                st.rerun()
    if chosen is not None:
        label = "Archive" if chosen.active else "Restore"
        if st.button(
            label, key=f"macro_active_{target}", icon=":material/archive:" if chosen.active else ":material/unarchive:"
        ):
            try:
                set_macro_active(engine, macro_id=chosen.id, active=not chosen.active, actor=admin)
            except AssistError as e:
                show_error(e)
            else:
                state.flash(f'Macro "{chosen.title}" {"archived" if chosen.active else "restored"}.')
                st.rerun()
