"""Tier-1 inbox: filter and page through tickets, open one to read the thread and the customer."""

import streamlit as st

from assist.errors import AssistError
from assist.inbox import list_assignees, list_inbox, open_ticket
from ui import inbox_view, resources, state

state.init()
engine = resources.engine()
st.title("📥 Inbox")

query = inbox_view.filters(list_assignees(engine), page_size=resources.settings().page_size)
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
    try:
        ticket = open_ticket(engine, ticket_id=st.session_state.ticket_id)
    except AssistError as e:
        st.error(str(e))
    else:
        inbox_view.ticket_view(ticket)
