"""Every state-changing core function refuses a role that may not call it (not only the pages)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from assist.authentication import targeted_accounts
from assist.config import Settings
from assist.csat import import_csat
from assist.devices import issue_unlock_link
from assist.domain import Role, User
from assist.errors import PermissionDeniedError
from assist.intake import import_rows
from assist.kb import KnowledgeBase
from assist.queue import reassign, resolve, return_to_tier1, take_over
from assist.store import session_scope
from assist.ticket_actions import add_note, send_reply
from assist.users import change_role, create_user, reset_password, set_user_active
from tests.factories import make_actor

AGENT = User(id=1, email="a@x.io", name="A", role=Role.AGENT, active=True)
LEAD = User(id=2, email="l@x.io", name="L", role=Role.LEAD, active=True)


def _calls(engine: Engine, kb: KnowledgeBase) -> dict[str, tuple[Callable[[User], object], tuple[Role, ...]]]:
    """name -> (call as the given user, roles that may call it besides admin)."""
    return {
        "take over": (lambda u: take_over(engine, escalation_id=1, expected_version=1, actor=u), (Role.LEAD,)),
        "reassign": (
            lambda u: reassign(engine, escalation_id=1, expected_version=1, to_user_id=1, actor=u),
            (Role.LEAD,),
        ),
        "return to tier 1": (
            lambda u: return_to_tier1(engine, escalation_id=1, expected_version=1, note="n", actor=u),
            (Role.LEAD,),
        ),
        "resolve escalation": (lambda u: resolve(engine, escalation_id=1, expected_version=1, actor=u), (Role.LEAD,)),
        "ingest articles": (lambda u: kb.ingest_files([], actor=u), ()),
        "delete article": (lambda u: kb.delete("x", actor=u), ()),
        "re-index": (lambda u: kb.reindex(actor=u), ()),
        "import tickets": (lambda u: import_rows(engine, [], mapping={}, actor=u, max_chars=10), ()),
        "import csat": (lambda u: import_csat(engine, [], actor=u), (Role.LEAD,)),
        "create user": (
            lambda u: create_user(engine, email="n@x.io", name="n", role=Role.ADMIN, password="p" * 12, actor=u),
            (),
        ),
        "change role": (lambda u: change_role(engine, user_id=1, role=Role.ADMIN, actor=u), ()),
        "disable user": (lambda u: set_user_active(engine, user_id=1, active=False, actor=u), ()),
        "reset password": (lambda u: reset_password(engine, user_id=1, password="p" * 12, actor=u), ()),
        "issue unlock link": (lambda u: issue_unlock_link(engine, user_id=1, actor=u, settings=Settings()), ()),
        "see failed sign-ins": (lambda u: targeted_accounts(engine, actor=u, settings=Settings()), ()),
    }


NAMES = [
    "take over",
    "reassign",
    "return to tier 1",
    "resolve escalation",
    "ingest articles",
    "delete article",
    "re-index",
    "import tickets",
    "import csat",
    "create user",
    "change role",
    "disable user",
    "reset password",
    "issue unlock link",
    "see failed sign-ins",
]


CHECKED_AS_STORED = {"see failed sign-ins"}  # admin-only reads: `users.require_current`
LEAD_MAY = {"take over", "reassign", "return to tier 1", "resolve escalation", "import csat"}
FORBIDDEN = [(name, AGENT) for name in NAMES] + [(name, LEAD) for name in NAMES if name not in LEAD_MAY]


@pytest.mark.parametrize(("name", "user"), FORBIDDEN, ids=[f"{n}-{u.role.value}" for n, u in FORBIDDEN])
def test_forbidden_roles_are_refused(knowledge_base: KnowledgeBase, name: str, user: User) -> None:
    call, allowed = _calls(knowledge_base.engine, knowledge_base)[name]
    assert user.role not in allowed
    if name in CHECKED_AS_STORED:  # the role that counts is the stored one: store an account with this role
        with session_scope(knowledge_base.engine) as session:
            user = make_actor(session, user.role.value)
    with pytest.raises(PermissionDeniedError, match=rf"Your role \({user.role.value}\) cannot"):
        call(user)


@pytest.mark.parametrize("role", [Role.AGENT, Role.LEAD])
def test_customer_facing_actions_need_a_support_role(sqlite_engine: Engine, role: Role) -> None:
    with session_scope(sqlite_engine) as session:  # a stored user: every change re-reads its actor
        viewer = make_actor(session, role.value)
    # agents and leads pass the role check (and then fail on the missing ticket, which is the next check)
    from assist.errors import NotFoundError

    with pytest.raises(NotFoundError):
        send_reply(
            sqlite_engine,
            ticket_id=404,
            expected_version=1,
            text="hi",
            draft_id=None,
            actor=viewer,
            resolve=False,
            settings=Settings(),
        )
    with pytest.raises(NotFoundError):
        add_note(sqlite_engine, ticket_id=404, expected_version=1, text="hi", actor=viewer, settings=Settings())
