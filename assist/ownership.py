"""Who owns a ticket: an agent claims it (or a lead assigns it) through the ticket's version guard."""

from __future__ import annotations

from sqlalchemy import Engine

from assist.domain import Role, User
from assist.errors import OwnershipError
from assist.store import audit
from assist.store.models import UserRow
from assist.store.versioned import edit_ticket
from assist.users import require


def claim(
    engine: Engine, *, ticket_id: int, expected_version: int, actor: User, confirm_owner: int | None = None
) -> int:
    """`actor` owns the ticket now; returns its new version.

    Raises:
        OwnershipError: someone else owns it and `confirm_owner` does not name them (not confirmed yet).
        ConcurrencyError: the ticket changed since the actor saw it.
    """
    require(actor, Role.AGENT, Role.LEAD, action="claim tickets")
    with edit_ticket(engine, ticket_id=ticket_id, expected_version=expected_version) as (session, ticket):
        owner = ticket.assignee_id
        if owner == actor.id:
            return ticket.version
        if owner is not None and confirm_owner != owner:
            name = session.get_one(UserRow, owner).name
            raise OwnershipError(
                f"Ticket #{ticket_id} is owned by {name}. Take it anyway? They will no longer own it.", owner_id=owner
            )
        ticket.assignee_id = actor.id
        audit.record(
            session,
            actor=actor.email,
            action="ticket.claim",
            entity_type="ticket",
            entity_id=ticket_id,
            detail={"from_owner": owner},
        )
        session.flush()
        return ticket.version
