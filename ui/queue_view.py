"""Widgets of the lead's escalation queue."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assist import ConfidenceBand, EscalationItem, HandoffPackage, User
from ui.format import display_text, escape_markdown, plural, table_height, trend_text, vip_name
from ui.inbox_view import clicked_row

PRIORITY_BADGES = {
    "critical": ":red-badge[:material/error: critical]",
    "high": ":orange-badge[:material/priority_high: high]",
    "medium": ":blue-badge[medium]",
    "low": ":gray-badge[low]",
}
QUEUE_ROWS = 15  # shown at once; a longer queue scrolls inside the table, so the package stays near


def queue_table(items: list[EscalationItem]) -> int | None:
    """The queue, most urgent first; returns the clicked row (None until one is clicked).

    Columns in the order a lead reads them, each of a set width: together they fit the table's box at 1280 px
    (about 820 px beside the sidebar), so Waiting and Owner are never off the right edge. Reasons is one line
    of short reasons; the agent's note itself is in the handoff package below."""
    event = st.dataframe(
        pd.DataFrame(
            {
                "Ticket": [i.ticket_id for i in items],
                "Priority": [i.priority.value for i in items],
                "Waiting": [f"{i.waiting_hours:.0f} h" for i in items],
                "Owner": [display_text(i.owner_name or "unassigned") for i in items],
                "Customer": [vip_name(i.customer_name, i.customer_vip) for i in items],
                "Subject": [display_text(i.subject) for i in items],
                "Reasons": [display_text(i.reason_summary) for i in items],
                "Queue": [i.queue.label for i in items],
            }
        ),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode=["single-row", "single-cell"],
        key="esc_table",
        height=table_height(min(len(items), QUEUE_ROWS)),
        column_config={
            "Ticket": st.column_config.NumberColumn("Ticket", width=60, format="#%d"),
            "Priority": st.column_config.TextColumn("Priority", width=70),
            "Waiting": st.column_config.TextColumn("Waiting", width=65),
            "Owner": st.column_config.TextColumn("Owner", width=105),
            "Customer": st.column_config.TextColumn("Customer", width=115, help="★ a VIP customer"),
            "Subject": st.column_config.TextColumn("Subject", width=150),
            "Reasons": st.column_config.TextColumn("Reasons", width=150, help="The full reasons are in the package"),
            "Queue": st.column_config.TextColumn("Queue", width=60),
        },
    )
    st.caption("Click a row to open its handoff package. ★ a VIP customer.")
    return clicked_row(event.selection)


def package_view(item: EscalationItem) -> None:
    package: HandoffPackage | None = item.package
    st.markdown(f"### #{item.ticket_id} · {escape_markdown(item.subject)}")
    st.markdown(
        f"{PRIORITY_BADGES[item.priority.value]} · to **{item.queue.label}** · "
        f"state {item.state} · waiting {item.waiting_hours:.0f} h"
    )
    st.warning(
        "  \n".join(f"• {escape_markdown(r)}" for r in item.reasons)
        + f"  \n**Suggested action:** {escape_markdown(item.suggested_action)}",
        icon=":material/priority_high:",
    )
    if package is None:
        st.caption(escape_markdown(item.package_error or "No handoff package was stored with this escalation."))
        return
    st.markdown(f"**Customer:** {escape_markdown(package.customer_summary)}")
    if package.sentiment_trend:
        st.caption("Sentiment over the thread: " + trend_text(package.sentiment_trend))
    if package.trajectory:
        st.caption(escape_markdown(package.trajectory))
    with st.expander(f"Conversation ({plural(len(package.conversation), 'message')})", expanded=True):
        for message in package.conversation:
            st.markdown(
                f"**{escape_markdown(message.author_name)}** ({message.author_role.value})  \n"
                + escape_markdown(message.body)
            )
    if package.draft is not None and not package.draft.action.abstains:
        states = {ConfidenceBand.NO_ANSWER: "no answer stated", ConfidenceBand.CLOSING: "a closing reply"}.get(
            package.draft.band, f"{package.draft.confidence:.0%} confidence"
        )
        with st.expander(f"Draft ({states}, {package.draft.mode.value})"):
            st.markdown(escape_markdown(package.draft.text))
    if package.articles:
        st.caption("Articles: " + ", ".join(f"{escape_markdown(a.title)} ({a.score:.2f})" for a in package.articles))


def user_choice(users: list[User], key: str) -> int:
    by_id = {u.id: u for u in users}
    return int(
        st.selectbox(
            "Reassign to",
            list(by_id),
            key=key,
            format_func=lambda i: f"{display_text(by_id[i].name)} ({by_id[i].role.value})",
        )
    )
