"""Tier-1 inbox: find a ticket, read it with its assistance, reply or escalate."""

import streamlit as st

from assist.domain import Role
from assist.inbox import list_assignees, list_inbox
from assist.ticket_actions import open_ticket
from ui import auth, inbox_view, intake_view, resources, state, ticket_view
from ui.guard import guarded

state.init()
user = auth.require_role("pages/inbox.py")
engine = resources.engine()
settings = resources.settings()
st.title("Inbox")
state.show_flash()

if user.role is Role.ADMIN:
    intake_view.import_panel()
with guarded("the inbox"):
    query = inbox_view.filters(list_assignees(engine), page_size=settings.page_size)
    page = list_inbox(engine, query=query)
inbox_view.ticket_list(page)

if st.session_state.ticket_id is not None:
    st.divider()
    if st.button("Close ticket", key="close_ticket", icon=":material/close:"):
        state.select_ticket(None)
        st.rerun()
    if not resources.models_ready():
        ticket_view.warming_up()
        st.stop()
    with guarded("the models"):
        assistant = resources.assistant()
    with guarded(f"ticket #{st.session_state.ticket_id}"), st.spinner("Reading the ticket…"):
        ws = open_ticket(assistant, ticket_id=st.session_state.ticket_id, viewer=user)
    ticket_view.show(ws, assistant, settings)
