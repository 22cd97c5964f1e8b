"""Widgets of the inbox page: views, filters, the ticket list, moving through it, and the customer panel."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Final

import pandas as pd
import streamlit as st

from assist import (
    OPEN_STATUSES,
    SEARCH_COUNT_LIMIT,
    AuthorRole,
    Category,
    CustomerProfile,
    InboxView,
    Role,
    TicketPage,
    TicketQuery,
    TicketSort,
    TicketStatus,
    User,
    still_preparing,
)
from ui import resources, state
from ui.format import (
    STATUS_LABELS,
    ago,
    blank,
    display_text,
    escape_markdown,
    money,
    plural,
    priority_label,
    table_height,
    vip_name,
)

SORT_LABELS = {
    TicketSort.PRIORITY: "Priority, then oldest",
    TicketSort.NEWEST: "Newest first",
    TicketSort.OLDEST: "Oldest first",
    TicketSort.UPDATED: "Recently updated",
}
VIEW_LABELS = {
    InboxView.MINE: "My tickets",
    InboxView.UNASSIGNED: "Unassigned",
    InboxView.OPEN: "All open",
    InboxView.ESCALATED_TO_ME: "Escalated to me",
    InboxView.ALL: "All tickets",
}
ANYONE, UNASSIGNED = -1, 0
# Set widths that add up to the table's box beside the sidebar at 1280 px (about 780 px after the row
# markers): left to size themselves, Category, Assignee, Updated and Assist were off the right edge.
LIST_COLUMNS: Final = {
    "#": st.column_config.NumberColumn("#", width=50),
    "Priority": st.column_config.TextColumn("Priority", width=80),
    "Subject": st.column_config.TextColumn("Subject", width=125),
    "Customer": st.column_config.TextColumn("Customer", width=105, help="★ a VIP customer"),
    "Status": st.column_config.TextColumn("Status", width=110),
    "Category": st.column_config.TextColumn("Category", width=75),
    "Assignee": st.column_config.TextColumn("Assignee", width=90),
    "Updated": st.column_config.TextColumn("Updated", width=75),
    "Assist": st.column_config.TextColumn("Assist", width=70),
}
# The list's widgets are not drawn while a ticket is open in its place, and Streamlit forgets an undrawn
# widget's value: kept for the session, the view, filters, sort, search and page are as the agent left them
# when they come back (L, the List button, or another page), and J / K walk that same list.
KEEP: Final = "session"
AVATARS = {
    AuthorRole.CUSTOMER: ":material/person:",
    AuthorRole.AGENT: ":material/support_agent:",
    AuthorRole.SYSTEM: ":material/settings:",
    AuthorRole.NOTE: ":material/sticky_note_2:",
}


def _first_page() -> None:
    st.session_state.inbox_page = 1


def default_view(viewer: User) -> InboxView:
    """Leads start on what waits for them; agents (and admins) on the open tickets tier 1 can pick up."""
    return InboxView.ESCALATED_TO_ME if viewer.role is Role.LEAD else InboxView.OPEN


def views(counts: dict[InboxView, int], available: tuple[InboxView, ...], viewer: User) -> InboxView:
    """The saved views as one row of buttons, each with its count."""
    st.session_state.setdefault("inbox_view", default_view(viewer))
    chosen = st.segmented_control(
        "View",
        available,
        key="inbox_view",
        persist_state=KEEP,
        format_func=lambda v: VIEW_LABELS[v] + (f" · {counts[v]:,}" if v in counts else ""),
        on_change=_first_page,
        label_visibility="collapsed",
    )
    return chosen or default_view(viewer)  # clicking the chosen view again unselects it: keep a view


def filters(assignees: list[User], *, page_size: int, view: InboxView, viewer: User) -> TicketQuery:
    """Sidebar filters within the view; any change goes back to page 1. Status and assignee belong to
    the "All tickets" view (the other views decide them)."""
    side = st.sidebar
    side.header("Filters")
    statuses: list[TicketStatus] = []
    owner = ANYONE
    if view is InboxView.ALL:
        statuses = side.multiselect(
            "Status",
            list(TicketStatus),
            default=sorted(OPEN_STATUSES),
            format_func=lambda s: STATUS_LABELS[s],
            key="inbox_statuses",
            persist_state=KEEP,
            on_change=_first_page,
        )
        owners = {ANYONE: "Anyone", UNASSIGNED: "Unassigned"} | {u.id: display_text(u.name) for u in assignees}
        owner = side.selectbox(
            "Assignee",
            list(owners),
            format_func=owners.__getitem__,
            key="inbox_assignee",
            persist_state=KEEP,
            on_change=_first_page,
        )
    categories = side.multiselect(
        "Category",
        list(Category),
        format_func=lambda c: c.label,
        key="inbox_categories",
        persist_state=KEEP,
        on_change=_first_page,
    )
    min_priority = side.slider(
        "Minimum priority", 1, 10, 1, key="inbox_min_priority", persist_state=KEEP, on_change=_first_page
    )
    search = side.text_input(
        "Search",
        placeholder="subject, words, customer, #id",
        key="inbox_search",
        persist_state=KEEP,
        max_chars=200,
        on_change=_first_page,
    )
    sort = side.selectbox(
        "Sort",
        list(TicketSort),
        format_func=SORT_LABELS.__getitem__,
        key="inbox_sort",
        persist_state=KEEP,
        on_change=_first_page,
    )
    return TicketQuery(
        view=view,
        viewer_id=viewer.id,
        viewer_role=viewer.role,
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


def ticket_list(page: TicketPage, query: TicketQuery) -> None:
    """The list; clicking a row opens that ticket (and remembers the list, for previous / next)."""
    # The line describes the list below it: statuses the Status filter leaves out are named apart.
    listed = set(page.listed)
    counts = " · ".join(f"{STATUS_LABELS[s]} **{n}**" for s, n in page.status_counts.items() if n and s in listed)
    left_out = ", ".join(f"{STATUS_LABELS[s]} {n:,}" for s, n in page.status_counts.items() if n and s not in listed)
    if counts and left_out:
        counts += f"  \n:gray[Not in this list (Status filter): {left_out}]"
    if page.more_than_counted:
        counts = (
            f"More than **{SEARCH_COUNT_LIMIT:,}** tickets match this search: add a word or a filter to count them."
        )
    st.markdown(counts or "No tickets match these filters.")
    st.session_state.inbox_ids = [r.id for r in page.rows]
    if not page.rows:
        st.info("Nothing here. Try another view, or clear a filter or the search.", icon=":material/inbox:")
        return
    # A fresh table for each list (view, filters, page) and each return to it: the grid keeps its last
    # selection in the browser, and a click that matched it was read as "no change" (nothing opened).
    shown = hashlib.sha256(query.model_dump_json().encode()).hexdigest()[:12]
    key = f"inbox_table_{shown}_{page.page}_{st.session_state.get('tickets_opened', 0)}"
    frame = pd.DataFrame(
        {
            "#": [r.id for r in page.rows],
            "Priority": [priority_label(r.priority) for r in page.rows],
            "Subject": [display_text(r.subject) for r in page.rows],
            "Customer": [vip_name(r.customer_name, r.customer_vip) for r in page.rows],
            "Status": [STATUS_LABELS[r.status] for r in page.rows],
            "Category": [r.category.label if r.category else "–" for r in page.rows],
            "Assignee": [display_text(r.assignee_name or "–") for r in page.rows],
            "Updated": [ago(r.updated_at) for r in page.rows],
            "Assist": ["preparing…" if r.id in page.preparing else "ready" for r in page.rows],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        on_select=lambda: _open_selected(page, key),
        selection_mode=["single-row", "single-cell"],
        key=key,
        width="stretch",
        height=table_height(len(page.rows)),  # the whole page of rows, no scroll box inside the page
        column_config=LIST_COLUMNS,
    )
    st.caption("Click a row to open the ticket. ★ a VIP customer.")
    if page.preparing:
        _refresh_when_prepared(page.preparing)
    if st.session_state.get("inbox_page", 1) != page.page:
        st.session_state.inbox_page = page.page  # the list shrank while a ticket was open: name the page shown
    st.columns([1, 3])[0].number_input(
        f"Page (of {page.page_count}, {plural(page.total, 'ticket')})"
        if not page.more_than_counted
        else f"Page (of {page.page_count}+, {SEARCH_COUNT_LIMIT:,}+ tickets)",
        min_value=1,
        max_value=page.page_count,
        step=1,
        key="inbox_page",
        persist_state=KEEP,
    )


@st.fragment(run_every=5)
def _refresh_when_prepared(preparing: tuple[int, ...]) -> None:
    """While tickets on this page are being prepared, look every few seconds; redraw the list when one is ready."""
    left = still_preparing(resources.engine(), ticket_ids=preparing)
    if set(left) != set(preparing):
        st.rerun(scope="app")
    st.caption(f":material/hourglass_top: Preparing assistance for {plural(len(left), 'ticket')} on this page…")


def clicked_row(selection: Any) -> int | None:
    """The row a click chose, on its row marker or on any of its cells (a click on the subject opens it)."""
    if selection.rows:
        return int(selection.rows[0])
    cells = selection.get("cells") or []
    return int(cells[0][0]) if cells else None


def _open_selected(page: TicketPage, key: str) -> None:
    row = clicked_row(st.session_state[key].selection)
    if row is not None and row < len(page.rows):
        state.select_ticket(page.rows[row].id)


def _go(ticket_id: int | None, leaving: int, on_leave: Callable[[int], None]) -> None:
    on_leave(leaving)
    state.select_ticket(ticket_id)


def ticket_nav(ticket_id: int, on_leave: Callable[[int], None]) -> None:
    """Back to the list, and previous / next through it, with keys (J / K / L, ignored while typing).
    `on_leave(ticket_id)` runs when the agent moves away from the ticket."""
    ids: list[int] = st.session_state.get("inbox_ids") or []
    at = ids.index(ticket_id) if ticket_id in ids else None
    before = ids[at - 1] if at else None
    after = ids[at + 1] if at is not None and at + 1 < len(ids) else None
    back, previous, following, where = st.columns([1.3, 1.2, 1.1, 3], vertical_alignment="center")
    back.button(
        "List",
        key="nav_list",
        icon=":material/arrow_back:",
        shortcut="L",
        on_click=_go,
        args=(None, ticket_id, on_leave),
    )
    previous.button(
        "Previous",
        key="nav_previous",
        icon=":material/keyboard_arrow_up:",
        shortcut="K",
        disabled=before is None,
        on_click=_go,
        args=(before, ticket_id, on_leave),
    )
    following.button(
        "Next",
        key="nav_next",
        icon=":material/keyboard_arrow_down:",
        shortcut="J",
        disabled=after is None,
        on_click=_go,
        args=(after, ticket_id, on_leave),
    )
    if at is not None:
        where.caption(f"{at + 1} of {len(ids)} in the list")


def customer_panel(customer: CustomerProfile, *, category: Category | None) -> None:
    st.markdown("#### Customer")
    vip = " :orange-badge[:material/star: VIP]" if customer.is_vip else ""
    st.markdown(f"**{escape_markdown(customer.name)}**{vip}  \n{escape_markdown(customer.email)}")
    if customer.company:
        st.caption(escape_markdown(customer.company))
    st.markdown(
        f"**Plan** {customer.plan.title()} · **Account** {customer.account_status} · "
        f"**Billing** {customer.billing_status.replace('_', ' ')}"
    )
    if customer.billing_status != "current" or customer.account_status != "active":
        st.warning(
            f"Account {customer.account_status}, billing {customer.billing_status.replace('_', ' ')}.",
            icon=":material/warning:",
        )
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
