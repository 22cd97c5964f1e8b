"""What the inbox page asks of the core: a page of tickets and the people who can own them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from assist.domain import InboxView, Role, TicketPage, TicketQuery, User
from assist.preparation import waiting
from assist.store.actors import active_users
from assist.store.db import session_scope
from assist.store.tickets import SEARCH_COUNT_LIMIT, list_tickets, view_counts


def list_inbox(engine: Engine, *, query: TicketQuery) -> TicketPage:
    """One filtered, sorted page of tickets with counts per status, and which of them are still being prepared."""
    with session_scope(engine) as session:
        page = list_tickets(session, query=query)
    return page.model_copy(update={"preparing": still_preparing(engine, ticket_ids=[row.id for row in page.rows])})


def still_preparing(engine: Engine, *, ticket_ids: Sequence[int]) -> tuple[int, ...]:
    """Which of these tickets still wait for their assistance."""
    return tuple(waiting(engine, among=ticket_ids, limit=len(ticket_ids)))


def list_assignees(engine: Engine) -> list[User]:
    """Active people who can own tickets, by name."""
    with session_scope(engine) as session:
        return active_users(session)


def views_for(viewer: User) -> tuple[InboxView, ...]:
    """The views a person sees, in the order they are shown."""
    lead = (InboxView.ESCALATED_TO_ME,) if viewer.role is not Role.AGENT else ()
    return (*lead, InboxView.MINE, InboxView.UNASSIGNED, InboxView.OPEN, InboxView.ALL)


def inbox_views(engine: Engine, *, viewer: User) -> dict[InboxView, int]:
    """Each of the viewer's views with how many tickets it holds (the list's filters aside)."""
    views = tuple(v for v in views_for(viewer) if v is not InboxView.ALL)
    with session_scope(engine) as session:
        return view_counts(session, views=views, viewer_id=viewer.id, viewer_role=viewer.role)


__all__ = ["SEARCH_COUNT_LIMIT", "inbox_views", "list_assignees", "list_inbox", "still_preparing", "views_for"]
