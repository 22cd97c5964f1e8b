"""The similar resolved tickets beside a ticket: how each ended, the team's reply (the other customer's data
removed) and one click to put it in the reply box."""

from __future__ import annotations

import streamlit as st

from assist import Assistant, AssistError, OpenTicket, ReplyState, Settings, similar_tickets
from ui.actions import editor_key
from ui.format import escape_markdown
from ui.guard import show_error
from ui.reply_view import fill_reply


def similar_panel(ws: OpenTicket, assistant: Assistant, settings: Settings) -> None:
    try:
        found = similar_tickets(
            assistant.engine, assistant.similar, ticket=ws.ticket, region=settings.default_phone_region
        )
    except AssistError as e:
        show_error(e)
        return
    st.markdown(f"#### Similar resolved tickets ({len(found)})")
    if not found:
        st.caption("No earlier resolved ticket asked this yet.")
    key = editor_key(ws.ticket.id)
    for other in found:
        st.markdown(
            f"**#{other.ticket_id}** {escape_markdown(other.subject)}  \n"
            f":gray[{escape_markdown(other.ending)} · {other.similarity:.0%} alike]"
        )
        with st.expander("The reply the team sent", key=f"similar_{ws.ticket.id}_{other.ticket_id}"):
            st.markdown(escape_markdown(other.reply))
            for article in other.articles:
                st.caption(f":material/article: {escape_markdown(article.title)}")
        if ws.reply is not ReplyState.CLOSED:
            st.button(
                "Use this reply",
                key=f"similar_use_{ws.ticket.id}_{other.ticket_id}",
                icon=":material/reply:",
                on_click=fill_reply,
                args=(key, other.reply),
                help="Puts this reply, addressed to this customer, into the reply box (check the placeholders).",
            )
