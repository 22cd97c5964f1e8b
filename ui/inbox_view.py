"""Widgets of the inbox page: filters, the ticket list and the ticket view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assist.domain import (
    OPEN_STATUSES,
    AuthorRole,
    Category,
    CustomerProfile,
    TicketPage,
    TicketQuery,
    TicketSort,
    TicketStatus,
    User,
)
from ui import state
from ui.format import STATUS_LABELS, ago, blank, escape_markdown, money, plural, priority_label

SORT_LABELS = {
    TicketSort.PRIORITY: "Priority, then oldest",
    TicketSort.NEWEST: "Newest first",
    TicketSort.OLDEST: "Oldest first",
    TicketSort.UPDATED: "Recently updated",
}
ANYONE, UNASSIGNED = -1, 0
AVATARS = {AuthorRole.CUSTOMER: "🙂", AuthorRole.AGENT: "🎧", AuthorRole.SYSTEM: "⚙️", AuthorRole.NOTE: "📝"}


def _first_page() -> None:
    st.session_state.inbox_page = 1


def filters(assignees: list[User], *, page_size: int) -> TicketQuery:
    """Sidebar filters; any change goes back to page 1."""
    side = st.sidebar
    side.header("Filters")
    statuses = side.multiselect(
        "Status",
        list(TicketStatus),
        default=sorted(OPEN_STATUSES),
        format_func=lambda s: STATUS_LABELS[s],
        key="inbox_statuses",
        on_change=_first_page,
    )
    categories = side.multiselect(
        "Category",
        list(Category),
        format_func=lambda c: c.value.title(),
        key="inbox_categories",
        on_change=_first_page,
    )
    min_priority = side.slider("Minimum priority", 1, 10, 1, key="inbox_min_priority", on_change=_first_page)
    owners = {ANYONE: "Anyone", UNASSIGNED: "Unassigned"} | {u.id: u.name for u in assignees}
    owner = side.selectbox(
        "Assignee", list(owners), format_func=owners.__getitem__, key="inbox_assignee", on_change=_first_page
    )
    search = side.text_input(
        "Search", placeholder="subject, words, customer, #id", key="inbox_search", max_chars=200, on_change=_first_page
    )
    sort = side.selectbox(
        "Sort", list(TicketSort), format_func=SORT_LABELS.__getitem__, key="inbox_sort", on_change=_first_page
    )
    return TicketQuery(
        statuses=tuple(statuses),
        categories=tuple(categories),
        min_priority=min_priority,
        assignee_id=owner if owner > 0 else None,
        unassigned_only=owner == UNASSIGNED,
        search=search,
        sort=sort,
        page=st.session_state.get("inbox_page", 1),
        page_size=page_size,
    )


def ticket_list(page: TicketPage) -> None:
    counts = " · ".join(f"{STATUS_LABELS[s]} **{n}**" for s, n in page.status_counts.items() if n)
    st.markdown(counts or "No tickets match these filters.")
    if not page.rows:
        st.info("Nothing here. Clear a filter or the search to see more tickets.", icon="📭")
        return
    frame = pd.DataFrame(
        {
            "#": [r.id for r in page.rows],
            "Priority": [priority_label(r.priority) for r in page.rows],
            "Subject": [r.subject for r in page.rows],
            "Customer": [("⭐ " if r.customer_vip else "") + r.customer_name for r in page.rows],
            "Status": [STATUS_LABELS[r.status] for r in page.rows],
            "Category": [r.category.value if r.category else "—" for r in page.rows],
            "Assignee": [r.assignee_name or "—" for r in page.rows],
            "Updated": [ago(r.updated_at) for r in page.rows],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        on_select=lambda: _open_selected(page),
        selection_mode="single-row",
        key="inbox_table",
        width="stretch",
    )
    left, right = st.columns([3, 2])
    labels = {r.id: f"#{r.id} · {r.subject[:60]}" for r in page.rows}
    left.selectbox(
        "Open ticket",
        [None, *labels],
        format_func=lambda i: "Choose a ticket…" if i is None else labels[i],
        key="inbox_open_select",
        on_change=lambda: state.select_ticket(st.session_state.inbox_open_select),
    )
    right.number_input(
        f"Page (of {page.page_count}, {plural(page.total, 'ticket')})",
        min_value=1,
        max_value=page.page_count,
        step=1,
        key="inbox_page",
    )


def _open_selected(page: TicketPage) -> None:
    rows = st.session_state.inbox_table.selection.rows
    if rows:
        state.select_ticket(page.rows[rows[0]].id)


def customer_panel(customer: CustomerProfile, *, category: Category | None) -> None:
    st.markdown("#### Customer")
    vip = " ⭐ VIP" if customer.is_vip else ""
    st.markdown(f"**{escape_markdown(customer.name)}**{vip}  \n{escape_markdown(customer.email)}")
    if customer.company:
        st.caption(escape_markdown(customer.company))
    st.markdown(
        f"**Plan** {customer.plan.title()} · **Account** {customer.account_status} · "
        f"**Billing** {customer.billing_status.replace('_', ' ')}"
    )
    if customer.billing_status != "current" or customer.account_status != "active":
        st.warning(f"Account {customer.account_status}, billing {customer.billing_status.replace('_', ' ')}.", icon="⚠️")
    st.caption(f"Customer since {customer.customer_since:%b %Y} · {plural(customer.contact_count, 'ticket')} in total")
    with st.expander(f"Invoices ({len(customer.invoices)})", expanded=category is Category.BILLING):
        if customer.invoices:
            st.dataframe(
                pd.DataFrame(
                    {
                        "Invoice": [i.number for i in customer.invoices],
                        "Amount": [money(i.amount_cents, i.currency) for i in customer.invoices],
                        "Status": [i.status for i in customer.invoices],
                        "Issued": [f"{i.issued_at:%Y-%m-%d}" for i in customer.invoices],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption("No invoices (free plan).")
    st.markdown(f"#### Previous tickets ({len(customer.previous_tickets)})")
    if not customer.previous_tickets:
        st.caption("First contact: no earlier tickets.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "#": [t.id for t in customer.previous_tickets],
                "Subject": [t.subject for t in customer.previous_tickets],
                "Status": [STATUS_LABELS[t.status] for t in customer.previous_tickets],
                "Opened": [f"{t.created_at:%Y-%m-%d}" for t in customer.previous_tickets],
                "CSAT": [blank(t.csat_score) for t in customer.previous_tickets],
            }
        ),
        hide_index=True,
        width="stretch",
    )
