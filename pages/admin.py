"""Admin: users and roles, who is being targeted by sign-in guesses, macros, mail that could not be read, and
the audit log."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from assist import (
    FORM_LIMITS,
    AssistError,
    Role,
    audit_events,
    change_role,
    create_user,
    list_users,
    reset_password,
    set_user_active,
    to_csv,
)
from ui import auth, macro_view, mail_view, resources, sign_in_view, state
from ui.format import display_text
from ui.guard import show_error

state.init()
user = auth.require_role("pages/admin.py")
engine = resources.engine()
st.title("Admin")
state.show_flash()

st.subheader("Users")
people = list_users(engine)
st.dataframe(
    pd.DataFrame(
        {
            "Name": [display_text(u.name) for u in people],
            "Email": [display_text(u.email) for u in people],
            "Role": [u.role.value for u in people],
            "Active": [u.active for u in people],
        }
    ),
    hide_index=True,
    width="stretch",
)
# Cleared after a success only: a refusal keeps what was typed, so the admin fixes the one field it names.
if st.session_state.pop("new_user_created", False):
    for typed in ("new_email", "new_name", "new_password"):
        st.session_state.pop(typed, None)
with st.form("new_user"):
    st.markdown("**Add a user**")
    c1, c2, c3 = st.columns(3)
    email = c1.text_input("Email", key="new_email", max_chars=FORM_LIMITS.email)
    name = c2.text_input("Name", key="new_name", max_chars=FORM_LIMITS.user_name)
    role = c3.selectbox("Role", list(Role), key="new_role", format_func=lambda r: r.value)
    password = st.text_input(
        "Initial password (12+ characters)", type="password", key="new_password", max_chars=FORM_LIMITS.password
    )
    if st.form_submit_button("Create", key="new_submit"):
        try:
            create_user(engine, email=email, name=name, role=role, password=password, actor=user)
        except AssistError as e:
            show_error(e)
        else:
            state.flash(f"Created {email}.")
            st.session_state.new_user_created = True
            st.rerun()
by_id = {u.id: u for u in people}
st.markdown("**Change a user**")
target = st.selectbox(
    "User", list(by_id), key="edit_user", format_func=lambda i: display_text(f"{by_id[i].name} ({by_id[i].email})")
)
chosen = by_id[target]
with st.form(f"edit_user_{target}"):  # keyed by user, so the fields start from that user's current values
    c1, c2, c3 = st.columns(3)
    new_role = c1.selectbox(
        "Role",
        list(Role),
        index=list(Role).index(chosen.role),
        key=f"edit_role_{target}",
        format_func=lambda r: r.value,
    )
    new_password = c2.text_input(
        "New password", type="password", key=f"edit_password_{target}", max_chars=FORM_LIMITS.password
    )
    active = c3.selectbox(
        "Status", ["active", "disabled"], index=0 if chosen.active else 1, key=f"edit_active_{target}"
    )
    b1, b2, b3 = st.columns(3)
    try:
        if b1.form_submit_button("Change role", key="edit_role_submit"):
            change_role(engine, user_id=target, role=new_role, actor=user)
            state.flash("Role changed.")
            st.rerun()
        if b2.form_submit_button("Reset password", key="edit_password_submit"):
            reset_password(engine, user_id=target, password=new_password, actor=user)
            state.flash("Password reset.")
            st.rerun()
        if b3.form_submit_button("Set status", key="edit_active_submit"):
            set_user_active(engine, user_id=target, active=active == "active", actor=user)
            state.flash("Status changed.")
            st.rerun()
    except AssistError as e:
        show_error(e)

sign_in_view.targeted_panel(engine, user)

macro_view.macro_admin(engine, user)
mail_view.quarantine_admin(engine, user, resources.settings())

st.subheader("Audit log")
today = datetime.now(UTC).date()
c1, c2, c3 = st.columns(3)
period = c1.date_input("Between", (today - timedelta(days=7), today), key="audit_period", max_value=today)
who = c2.text_input("Who", key="audit_who", max_chars=200)
action = c3.text_input("Action", key="audit_action", placeholder="e.g. reply.send, kb., user.", max_chars=100)
if isinstance(period, tuple) and len(period) == 2:
    log = audit_events(engine, actor=user, start=period[0], end=period[1], who=who, action=action)
    st.dataframe(log, hide_index=True, width="stretch")
    st.download_button(
        "audit_log.csv",
        to_csv(log),
        file_name="audit_log.csv",
        mime="text/csv",
        key="audit_csv",
        icon=":material/download:",
    )
