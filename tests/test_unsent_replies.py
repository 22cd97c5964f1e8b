"""Issue 34, item 2: what an agent typed and has not sent is kept per ticket and agent until sent or
discarded (`assist.unsent_replies`), on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from assist.config import Settings
from assist.domain import User
from assist.errors import NotFoundError, ValidationError
from assist.store import session_scope
from assist.store.models import TicketRow, UnsentReplyRow
from assist.ticket_actions import send_reply
from assist.unsent_replies import keep_unsent_reply, unsent_reply
from tests.factories import make_actor, make_ticket

SETTINGS = Settings(smtp_host=None, webhook_url=None, max_message_chars=2000)


def _setup(engine: Engine) -> tuple[int, User, User]:
    with session_scope(engine) as session:
        ticket = make_ticket(session).id
        return ticket, make_actor(session, email="maya@lumen.app"), make_actor(session, email="sam@lumen.app")


def _keep(engine: Engine, ticket: int, actor: User, text: str, offered: str = "") -> None:
    keep_unsent_reply(engine, ticket_id=ticket, text=text, offered=offered, actor=actor, settings=SETTINGS)


def test_a_kept_reply_is_found_again_by_its_agent_only_and_the_latest_text_wins(engine: Engine) -> None:
    ticket, maya, sam = _setup(engine)
    _keep(engine, ticket, maya, "Hi Dana, I am checking")
    _keep(engine, ticket, maya, "Hi Dana, I am checking your refund now.")
    assert unsent_reply(engine, ticket_id=ticket, actor=maya) == "Hi Dana, I am checking your refund now."
    assert unsent_reply(engine, ticket_id=ticket, actor=sam) is None
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(UnsentReplyRow)) == 1


def test_sending_drops_the_senders_kept_reply_and_leaves_a_colleagues(engine: Engine) -> None:
    ticket, maya, sam = _setup(engine)
    _keep(engine, ticket, maya, "Your refund is on its way.")
    _keep(engine, ticket, sam, "Sam's own half-written answer")
    with session_scope(engine) as session:
        version = session.get_one(TicketRow, ticket).version
    send_reply(
        engine,
        ticket_id=ticket,
        expected_version=version,
        text="Your refund is on its way.",
        draft_id=None,
        actor=maya,
        resolve=False,
        settings=SETTINGS,
    )
    assert unsent_reply(engine, ticket_id=ticket, actor=maya) is None
    assert unsent_reply(engine, ticket_id=ticket, actor=sam) == "Sam's own half-written answer"


@pytest.mark.parametrize("discarded", ["", "   \n", "Hi Dana, here is the draft.", "Hi Dana, here is the draft.\n"])
def test_emptying_the_box_or_putting_the_draft_back_discards_what_was_kept(engine: Engine, discarded: str) -> None:
    ticket, maya, _ = _setup(engine)
    _keep(engine, ticket, maya, "Hi Dana, here is my own answer.", offered="Hi Dana, here is the draft.")
    _keep(engine, ticket, maya, discarded, offered="Hi Dana, here is the draft.")
    assert unsent_reply(engine, ticket_id=ticket, actor=maya) is None


def test_a_reply_over_the_message_limit_or_on_a_missing_ticket_is_refused(engine: Engine) -> None:
    ticket, maya, _ = _setup(engine)
    with pytest.raises(ValidationError, match="longer than 2000 characters; shorten it"):
        _keep(engine, ticket, maya, "x" * 2001)
    with pytest.raises(NotFoundError, match="Ticket #99999 does not exist"):
        _keep(engine, 99999, maya, "Hello")
    assert unsent_reply(engine, ticket_id=ticket, actor=maya) is None
