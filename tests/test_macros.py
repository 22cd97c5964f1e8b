"""Macros: admins keep them, placeholders are checked on save and filled on insert, every use counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from assist.errors import NotFoundError, PermissionDeniedError, ValidationError
from assist.macros import list_macros, macro_usage, save_macro, set_macro_active, use_macro
from assist.store import session_scope
from assist.times import utcnow
from tests.factories import make_actor, make_customer, make_ticket


def _setup(engine: Engine) -> tuple[object, object, int]:
    with session_scope(engine) as session:
        admin, agent = make_actor(session, "admin"), make_actor(session, name="Maya Lee")
        ticket = make_ticket(session, customer=make_customer(session, name="Dana {agent_name} Brooks"))
        return admin, agent, ticket.id


def test_a_macro_is_filled_in_for_the_ticket_and_goes_above_the_sign_off(engine: Engine) -> None:
    admin, agent, ticket_id = _setup(engine)
    macro = save_macro(
        engine,
        title="Reference",
        body="Hi {customer_first_name}, your ticket is #{ticket_id}. {{braces}} — {agent_first_name}",
        actor=admin,  # type: ignore[arg-type]
    )
    reply = use_macro(
        engine,
        macro_id=macro.id,
        ticket_id=ticket_id,
        actor=agent,
        reply="Hello,\n\nBest regards,\nMaya",  # type: ignore[arg-type]
    )
    assert reply == f"Hello,\n\nHi Dana, your ticket is #{ticket_id}. {{braces}} — Maya\n\nBest regards,\nMaya"
    assert [m.uses for m in list_macros(engine)] == [1]
    assert [(u.title, u.uses) for u in macro_usage(engine, since=utcnow() - timedelta(days=1))] == [("Reference", 1)]


def test_a_customer_name_with_braces_is_inserted_as_text(engine: Engine) -> None:
    admin, agent, ticket_id = _setup(engine)
    macro = save_macro(engine, title="Name", body="Dear {customer_name},", actor=admin)  # type: ignore[arg-type]
    text = use_macro(engine, macro_id=macro.id, ticket_id=ticket_id, actor=agent, reply="")  # type: ignore[arg-type]
    assert text == "Dear Dana {agent_name} Brooks,"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("Hi {customer}", "Unknown placeholder {customer}"),
        ("Hi {customer_name.__class__}", "Unknown placeholder"),
        ("Hi {customer_name!r}", "Unknown placeholder"),
        ("Hi {customer_name", "unbalanced brace"),
        ("   ", "needs a title and a text"),
    ],
)
def test_a_broken_macro_is_refused_with_what_to_write_instead(engine: Engine, body: str, error: str) -> None:
    admin, _agent, _ticket = _setup(engine)
    with pytest.raises(ValidationError, match=error):
        save_macro(engine, title="Broken", body=body, actor=admin)  # type: ignore[arg-type]
    assert list_macros(engine, include_archived=True) == []


def test_only_admins_manage_macros_titles_are_unique_and_archived_ones_cannot_be_used(engine: Engine) -> None:
    admin, agent, ticket_id = _setup(engine)
    with pytest.raises(PermissionDeniedError):
        save_macro(engine, title="Mine", body="Text", actor=agent)  # type: ignore[arg-type]
    macro = save_macro(engine, title="Same", body="Text", actor=admin)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="already exists"):
        save_macro(engine, title="Same", body="Other", actor=admin)  # type: ignore[arg-type]
    set_macro_active(engine, macro_id=macro.id, active=False, actor=admin)  # type: ignore[arg-type]
    assert list_macros(engine) == [] and len(list_macros(engine, include_archived=True)) == 1
    with pytest.raises(NotFoundError, match="archived"):
        use_macro(engine, macro_id=macro.id, ticket_id=ticket_id, actor=agent, reply="")  # type: ignore[arg-type]
