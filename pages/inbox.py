"""Tier-1 inbox: find a ticket, read it with its assistance, reply or escalate."""

import streamlit as st

from assist.domain import Role
from assist.errors import AssistError
from assist.inbox import list_assignees, list_inbox
from assist.workspace import open_workspace
from ui import auth, inbox_view, intake_view, resources, state, workspace_view

state.init()
user = auth.require_role("pages/inbox.py")
engine = resources.engine()
settings = resources.settings()
st.title("📥 Inbox")
state.show_flash()

if user.role is Role.ADMIN:
    intake_view.import_panel()
query = inbox_view.filters(list_assignees(engine), page_size=settings.page_size)
try:
    page = list_inbox(engine, query=query)
except AssistError as e:
    st.error(str(e))
    st.stop()
inbox_view.ticket_list(page)

if st.session_state.ticket_id is not None:
    st.divider()
    if st.button("✕ Close ticket", key="close_ticket"):
        state.open_ticket(None)
        st.rerun()
    assistant = resources.assistant()
    regenerate = bool(st.session_state.pop("regenerate", False))
    try:
        with st.spinner("Reading the ticket…"):
            ws = open_workspace(assistant, ticket_id=st.session_state.ticket_id, regenerate=regenerate)
    except AssistError as e:
        st.error(str(e))
    else:
        workspace_view.workspace(ws, assistant, settings)
