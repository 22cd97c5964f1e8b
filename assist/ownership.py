"""Who owns a ticket: an agent claims it (or a lead assigns it) through the ticket's version guard."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from assist.domain import Role, User
from assist.errors import OwnershipError
from assist.store import audit
from assist.store.actors import name_of, require
from assist.store.versioned import edit_ticket


def confirm_takeover(
    session: Session,
    *,
    ticket_id: int,
    owner_id: int | None,
    confirm_owner: int | None,
    free_to_take_from: Collection[int | None] = (),
) -> None:
    """Taking a ticket from the person who owns it needs a confirmation naming them (claims and take-overs).

    Raises:
        OwnershipError: `owner_id` owns it, is not in `free_to_take_from`, and `confirm_owner` is not them.
    """
    if owner_id is None or owner_id in free_to_take_from or confirm_owner == owner_id:
        return
    name = name_of(session, owner_id)
    raise OwnershipError(
        f"Ticket #{ticket_id} is owned by {name}. Take it over anyway? They will no longer own it.", owner_id=owner_id
    )


def claim(
    engine: Engine, *, ticket_id: int, expected_version: int, actor: User, confirm_owner: int | None = None
) -> int:
    """`actor` owns the ticket now; returns its new version.

    Raises:
        OwnershipError: someone else owns it and `confirm_owner` does not name them (not confirmed yet).
        ConcurrencyError: the ticket changed since the actor saw it.
    """
    require(actor, Role.AGENT, Role.LEAD, action="claim tickets")
    with edit_ticket(engine, ticket_id=ticket_id, expected_version=expected_version, actor=actor) as (
        session,
        ticket,
    ):
        owner = ticket.assignee_id
        if owner == actor.id:
            return ticket.version
        confirm_takeover(session, ticket_id=ticket_id, owner_id=owner, confirm_owner=confirm_owner)
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
