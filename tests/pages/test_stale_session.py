"""Issue 31, finding 1, in the app: the ticket panel's buttons are callbacks that act with the `User` the panel
held at its last render. After an admin disables the account, demotes it or resets its password, a click on
*Add note* or *Send* stores nothing and the session ends at the sign-in page with a plain message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select
from streamlit.testing.v1 import AppTest

from assist.domain import Role, User
from assist.store import session_scope
from assist.store.models import MessageRow, OutboxRow
from assist.users import OPERATOR, change_role, reset_password, set_user_active
from tests.factories import make_ticket
from tests.pages.conftest import ROOT, signed_in

pytestmark = pytest.mark.model  # the panel computes the ticket's assistance on open

CHANGES: dict[str, Callable[[Engine, User], None]] = {
    "disabled": lambda engine, user: set_user_active(engine, user_id=user.id, active=False, actor=OPERATOR),
    "demoted": lambda engine, user: change_role(engine, user_id=user.id, role=Role.AGENT, actor=OPERATOR),
    "password reset": lambda engine, user: reset_password(
        engine, user_id=user.id, password="a brand new passphrase", actor=OPERATOR
    ),
}


def _open(admin: User, ticket_id: int) -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "inbox.py"), default_timeout=120), admin)
    at.query_params["ticket"] = str(ticket_id)
    return at.run()


def _count(engine: Engine, model: type, **where: object) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model).filter_by(**where)) or 0)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_note_from_a_panel_whose_account_changed_is_refused_and_signs_out(
    admin: User, database: Engine, change: str
) -> None:
    with session_scope(database) as session:
        ticket_id = make_ticket(session, subject="Refund", body="Where is my refund?").id
    at = _open(admin, ticket_id)
    assert not at.exception and at.text_area(key=f"note_{ticket_id}") is not None
    CHANGES[change](database, admin)  # the admin acts in another tab; this panel still holds `admin`
    for _ in range(3):  # the probe clicked three times without reloading
        at.text_area(key=f"note_{ticket_id}").input("still here")
        at.button(key=f"note_submit_{ticket_id}").click().run()
        if at.text_input(key="sign_in_email") is not None:
            break
    assert not at.exception
    assert _count(database, MessageRow, ticket_id=ticket_id, author_role="note") == 0
    assert at.session_state["user"] is None if "user" in at.session_state else True
    assert at.text_input(key="sign_in_email") is not None  # back at the sign-in page
    assert any("you were signed out; nothing was changed" in i.value for i in at.info)


def test_send_from_a_disabled_accounts_panel_puts_nothing_in_the_outbox(admin: User, database: Engine) -> None:
    with session_scope(database) as session:
        ticket_id = make_ticket(session, subject="Refund", body="Where is my refund?").id
    at = _open(admin, ticket_id)
    box = next(t for t in at.text_area if t.key and t.key.startswith("draft_"))
    CHANGES["disabled"](database, admin)
    box.input("Your refund is on its way.")
    next(b for b in at.button if b.key and b.key.endswith("_Send")).click().run()
    assert not at.exception
    assert _count(database, OutboxRow, ticket_id=ticket_id) == 0
    assert _count(database, MessageRow, ticket_id=ticket_id, author_role="agent") == 0
    assert any("Your account was disabled" in i.value for i in at.info)
