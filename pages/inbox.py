"""Tier-1 inbox: a view of the tickets; a clicked ticket opens in its place with previous / next."""

import streamlit as st

from assist import Role, inbox_views, leave, list_assignees, list_inbox, views_for
from ui import auth, inbox_view, intake_view, resources, state, ticket_view
from ui.guard import guarded

state.init()
user = auth.require_role("pages/inbox.py")
engine = resources.engine()
settings = resources.settings()

if st.session_state.ticket_id is None:
    st.title("Inbox")
    state.show_flash()
    if user.role is Role.ADMIN:
        intake_view.import_panel()
    with guarded("the inbox"):
        view = inbox_view.views(inbox_views(engine, viewer=user), views_for(user), user)
        query = inbox_view.filters(list_assignees(engine), page_size=settings.page_size, view=view, viewer=user)
        page = list_inbox(engine, query=query)
    inbox_view.ticket_list(page, query)
else:
    inbox_view.ticket_nav(st.session_state.ticket_id, lambda ticket_id: leave(engine, ticket_id=ticket_id, viewer=user))
    if not resources.models_ready():
        ticket_view.warming_up()
        st.stop()
    with guarded("the models"):
        assistant = resources.assistant()
    ticket_view.workspace(st.session_state.ticket_id, assistant, settings, user)
