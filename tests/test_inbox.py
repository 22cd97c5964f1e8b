"""The inbox's views: what each holds, their counts, and an agent's default leaving out leads' tickets."""

from __future__ import annotations

from sqlalchemy import Engine

from assist.domain import InboxView, TicketQuery, TicketStatus, User
from assist.inbox import inbox_views, list_inbox, views_for
from assist.store import session_scope
from tests.factories import make_actor, make_ticket


def _workspace(engine: Engine) -> tuple[User, User, User, dict[str, int]]:
    with session_scope(engine) as session:
        agent, other, lead = make_actor(session), make_actor(session), make_actor(session, "lead")
        ids = {
            "mine": make_ticket(session, assignee_id=agent.id).id,
            "unassigned": make_ticket(session).id,
            "colleague": make_ticket(session, assignee_id=other.id).id,
            "lead": make_ticket(session, assignee_id=lead.id, priority=10).id,
            "escalated_waiting": make_ticket(session, assignee_id=agent.id, status=TicketStatus.ESCALATED.value).id,
            "escalated_lead": make_ticket(session, assignee_id=lead.id, status=TicketStatus.ESCALATED.value).id,
            "resolved_mine": make_ticket(session, assignee_id=agent.id, status=TicketStatus.RESOLVED.value).id,
        }
    return agent, other, lead, ids


def _ids(engine: Engine, view: InboxView, viewer: User) -> set[int]:
    page = list_inbox(engine, query=TicketQuery(view=view, viewer_id=viewer.id, viewer_role=viewer.role))
    return {r.id for r in page.rows}


def test_each_view_holds_what_its_name_says(engine: Engine) -> None:
    agent, _other, lead, ids = _workspace(engine)
    assert _ids(engine, InboxView.MINE, agent) == {ids["mine"], ids["escalated_waiting"]}
    assert _ids(engine, InboxView.UNASSIGNED, agent) == {ids["unassigned"]}
    assert _ids(engine, InboxView.ESCALATED_TO_ME, lead) == {ids["escalated_waiting"], ids["escalated_lead"]}
    assert ids["resolved_mine"] in _ids(engine, InboxView.ALL, agent)


def test_an_agents_open_view_leaves_out_tickets_leads_own_and_a_leads_does_not(engine: Engine) -> None:
    agent, _other, lead, ids = _workspace(engine)
    for_agent = _ids(engine, InboxView.OPEN, agent)
    assert ids["lead"] not in for_agent and ids["escalated_lead"] not in for_agent
    assert {ids["mine"], ids["unassigned"], ids["colleague"]} <= for_agent
    assert {ids["lead"], ids["escalated_lead"]} <= _ids(engine, InboxView.OPEN, lead)


def test_view_counts_match_the_lists_and_a_ticket_number_is_found_in_any_view(engine: Engine) -> None:
    agent, _other, lead, ids = _workspace(engine)
    for viewer in (agent, lead):
        counts = inbox_views(engine, viewer=viewer)
        assert set(counts) == set(views_for(viewer)) - {InboxView.ALL}
        for view, n in counts.items():
            assert n == len(_ids(engine, view, viewer)), view
    found = list_inbox(
        engine,
        query=TicketQuery(view=InboxView.MINE, viewer_id=agent.id, search=f"#{ids['lead']}"),
    )
    assert [r.id for r in found.rows] == [ids["lead"]]
