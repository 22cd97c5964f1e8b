"""Issue 38: `eval replay --from-db` recomputes each resolved ticket's assistance as it was at the agent's first
reply, on a copy, and scores it against what the agent sent."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from assist.config import Settings
from assist.dev.evaluation.replay import Case, asked_or_escalated, replay, replay_tickets
from assist.domain import AuthorRole, TicketStatus, User
from assist.pipeline import Assistant
from assist.store import session_scope
from assist.store.copy import checksum
from assist.store.models import Base, TicketRow
from assist.store.status import transition
from assist.store.tickets import add_message
from assist.ticket_actions import send_reply
from tests.factories import make_actor, make_customer, make_ticket

pytestmark = pytest.mark.model
SETTINGS = Settings(smtp_host=None, webhook_url=None, max_message_chars=5000)


def _worked(engine: Engine, agent: User, body: str, reply: str, follow_up: str | None = None) -> int:
    with session_scope(engine) as session:
        ticket = make_ticket(session, customer=make_customer(session), subject="Help", body=body, category=None)
        ticket_id, version = ticket.id, ticket.version
    send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=version,
        text=reply,
        draft_id=None,
        actor=agent,
        resolve=follow_up is None,
        settings=SETTINGS,
    )
    if follow_up is not None:  # the customer wrote again about something else; someone resolved it by hand
        with session_scope(engine) as session:
            ticket = session.get_one(TicketRow, ticket_id)
            add_message(session, ticket=ticket, role=AuthorRole.CUSTOMER, body=follow_up, actor="customer")
            transition(session, ticket=ticket, to=TicketStatus.RESOLVED, actor="lead@lumen.app")
    return ticket_id


def _state(engine: Engine) -> dict[str, tuple[int, str]]:
    return {t.name: checksum(engine, t) for t in Base.metadata.sorted_tables}


def test_a_replay_scores_the_first_reply_from_a_copy_and_leaves_the_workspace_as_it_was(
    assistant: Assistant,
) -> None:
    engine = assistant.engine
    with session_scope(engine) as session:
        agent = make_actor(session, "agent", name="Maya Lee")
    api = _worked(
        engine,
        agent,
        "Where do I create an API key for the Lumen API?",
        "Hi,\n\nOpen Settings > API and click Create key: https://help.lumen.app/articles/api-keys\n\nBest,\nMaya",
        follow_up="Thanks! Also, I forgot my password and the reset email never arrives. What now?",
    )
    _worked(
        engine, agent, "It does not work.", "Hi,\n\nWhat were you trying to do, and what did you see?\n\nBest,\nMaya"
    )
    before = _state(engine)
    report = replay(engine, embedder=assistant.embedder)
    assert _state(engine) == before  # the workspace was only read
    assert report["n"] == 2 and report["agent_asked_or_escalated"] == 1
    # The API ticket is replayed at its first reply, before the password follow-up: its draft cites the article
    # the agent linked (a draft of the whole thread would have answered the password question).
    assert (report["n_linked"], report["cited_an_article_the_agent_linked"]) == (1, 1.0)
    assert 0 < report["similarity_mean"] <= 1
    assert report["notes"]
    replayed = {r.case.ticket_id: r for r in replay_tickets(engine, embedder=assistant.embedder)}
    first = replayed[api]
    assert [r.case.resolving for r in replayed.values()] == [True, False]  # Send & resolve, newest first; a reply
    assert first.draft.sources[:1] == ("api-keys",) and "password" not in first.draft.text.lower()


def test_only_a_question_to_the_customer_or_an_escalation_counts_as_not_answering() -> None:
    def case(sent: str, escalated: bool = False) -> Case:
        return Case(1, 1, None, 1, sent, "Maya", escalated, False, frozenset())  # type: ignore[arg-type]

    assert asked_or_escalated(case("Hi,\n\nWhich browser do you use?\n\nBest"))
    assert not asked_or_escalated(case("Hi,\n\nClick Export.\n\nIs there anything else I can help with?"))
    assert not asked_or_escalated(case("Click Export. Does this solve it for you, or is there anything else?"))
    assert asked_or_escalated(case("Hi, a specialist will follow up today.", escalated=True))
