"""Issue 38: the draft funnel. Every draft shown ends in exactly one stage, the stages add up to the drafts shown,
and the figures match a rebuild from the rows."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from assist.arrival import Arrival
from assist.config import Settings
from assist.domain import Channel, ConfidenceBand, MetricsFilter, TicketStatus, User
from assist.drafting.offline import as_sent
from assist.drafting.policy import answer_band
from assist.edits import LIGHT_EDIT
from assist.funnel import GROUPINGS, Stage, draft_funnel
from assist.intake import take_in
from assist.pipeline import Assistant
from assist.store import session_scope
from assist.store.drafts_shown import note_shown
from assist.store.models import DraftRow, DraftViewRow, ReplyRow, StatusChangeRow, TicketRow
from assist.store.status import transition
from assist.ticket_actions import open_ticket, send_reply
from assist.times import utcnow
from tests.factories import make_actor, make_ticket

SETTINGS = Settings(smtp_host=None, webhook_url=None, max_message_chars=5000)
TODAY = MetricsFilter(start=date.today() - timedelta(days=1), end=date.today() + timedelta(days=1))
DRAFT = "Hi Ana,\n\nOpen Settings, then Billing, then Invoices, and pick Export.\n\nBest,\nLumen Support"


def _shown_draft(
    engine: Engine,
    ticket_id: int,
    agent: User,
    *,
    confidence: float,
    reused_from: int | None = None,
    band: ConfidenceBand | None = None,
) -> int:
    """A draft an agent had in front of them; its badge by the figure alone unless `band` says otherwise."""
    if band is None:
        band = answer_band(confidence) if confidence > 0 else ConfidenceBand.NO_ANSWER
    with session_scope(engine) as session:
        version = session.get_one(TicketRow, ticket_id).version
        draft = DraftRow(
            ticket_id=ticket_id,
            ticket_version=version,
            text=DRAFT,
            confidence=confidence,
            band=band.value,
            sources=["invoices"],
            model="offline-grounded",
            mode="offline",
            reused_from=reused_from,
        )
        session.add(draft)
        session.flush()
        note_shown(session, draft_id=draft.id, ticket_id=ticket_id, user_id=agent.id, at=utcnow())
        return draft.id


def _send(engine: Engine, ticket_id: int, agent: User, text: str, draft_id: int | None, resolve: bool = False) -> None:
    with session_scope(engine) as session:
        version = session.get_one(TicketRow, ticket_id).version
    send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=version,
        text=text,
        draft_id=draft_id,
        actor=agent,
        resolve=resolve,
        settings=SETTINGS,
    )


def _workspace(engine: Engine, seed: int) -> None:
    """Tickets worked at random through the product's paths: drafts sent as they are, touched up, rewritten,
    ignored for a reply of the agent's own, replaced by a newer draft, escalated past, or not acted on yet."""
    rng = random.Random(seed)
    with session_scope(engine) as session:
        agents = [make_actor(session, "agent") for _ in range(3)]
        tickets = [make_ticket(session).id for _ in range(40)]
    for ticket_id in tickets:
        agent = rng.choice(agents)
        draft_id = _shown_draft(engine, ticket_id, agent, confidence=rng.choice([0.0, 0.3, 0.6, 0.8, 0.95]))
        signed = as_sent(DRAFT, agent_name=agent.name, resolve=False)
        action = rng.choice(["as_is", "light", "heavy", "own", "newer", "escalated", "waiting", "resolve"])
        if action == "as_is":
            _send(engine, ticket_id, agent, signed, draft_id)
        elif action == "light":
            _send(engine, ticket_id, agent, signed.replace("pick Export", "choose Export"), draft_id)
        elif action == "heavy":
            _send(engine, ticket_id, agent, "Hi, please write to billing@lumen.app and we will send them.", draft_id)
        elif action == "own":
            _send(engine, ticket_id, agent, "Hi, I exported them for you; see the attachment.", None)
        elif action == "newer":
            _shown_draft(engine, ticket_id, rng.choice(agents), confidence=0.7)
        elif action == "escalated":
            with session_scope(engine) as session:
                transition(session, ticket=session.get_one(TicketRow, ticket_id), to=TicketStatus.ESCALATED, actor="x")
        elif action == "resolve":
            _send(engine, ticket_id, agent, signed, draft_id, resolve=True)


def _rebuilt(engine: Engine) -> Counter[Stage]:
    """Each shown draft's stage, decided again from the rows themselves."""
    stages: Counter[Stage] = Counter()
    with session_scope(engine) as session:
        views = session.scalars(select(DraftViewRow)).all()
        replies = session.scalars(select(ReplyRow).order_by(ReplyRow.id)).all()
        drafts = session.scalars(select(DraftRow)).all()
        changes = session.scalars(select(StatusChangeRow)).all()
        for view in views:
            own = [r for r in replies if r.draft_id == view.draft_id]
            if own:
                r = own[0]
                light = r.edit_ratio is not None and r.edit_ratio <= LIGHT_EDIT
                stages[Stage.SENT_AS_IS if r.edit_distance == 0 else Stage.LIGHT if light else Stage.HEAVY] += 1
                continue
            others = [r for r in replies if r.ticket_id == view.ticket_id and r.sent_at >= view.shown_at]
            newer = [d for d in drafts if d.ticket_id == view.ticket_id and d.id > view.draft_id]
            closing = [c for c in changes if c.ticket_id == view.ticket_id and c.changed_at >= view.shown_at]
            closed = [c for c in closing if c.to_status in ("resolved", "escalated")]
            moved_on = others or newer or closed
            stages[Stage.NOT_USED if moved_on else Stage.WAITING] += 1
    return stages


@pytest.mark.parametrize("seed", [1, 2])
def test_the_funnels_stages_add_up_to_the_drafts_shown_and_match_a_rebuild_from_the_rows(
    engine: Engine, seed: int
) -> None:
    _workspace(engine, seed)
    funnel = draft_funnel(engine, TODAY)
    with session_scope(engine) as session:
        shown = len(session.scalars(select(DraftViewRow)).all())
    assert funnel.overall.shown == shown == sum(funnel.overall.stages.values())
    assert Counter({s: n for s, n in funnel.overall.stages.items() if n}) == _rebuilt(engine)
    assert all(n > 0 for n in funnel.overall.stages.values())  # the workspace reached every stage
    for grouping in GROUPINGS:
        rows = funnel.by[grouping]
        assert sum(r.shown for r in rows) == shown, grouping
        for stage in Stage:
            assert sum(r.stages[stage] for r in rows) == funnel.overall.stages[stage], (grouping, stage)
    assert funnel.overall.accepted == funnel.overall.stages[Stage.SENT_AS_IS] + funnel.overall.stages[Stage.LIGHT]


def test_a_reopen_after_the_reply_is_counted_against_the_draft_it_came_from(engine: Engine) -> None:
    with session_scope(engine) as session:
        agent = make_actor(session, "agent")
        ticket_id = make_ticket(session).id
    draft_id = _shown_draft(engine, ticket_id, agent, confidence=0.9)
    _send(engine, ticket_id, agent, as_sent(DRAFT, agent_name=agent.name, resolve=True), draft_id, resolve=True)
    before = draft_funnel(engine, TODAY).overall
    with session_scope(engine) as session:
        transition(session, ticket=session.get_one(TicketRow, ticket_id), to=TicketStatus.REOPENED, actor="customer")
    after = draft_funnel(engine, TODAY).overall
    assert (before.stages[Stage.SENT_AS_IS], before.reopened) == (1, 0)
    assert (after.stages[Stage.SENT_AS_IS], after.reopened) == (1, 1)


@pytest.mark.model
def test_a_draft_counts_as_shown_once_when_a_team_member_opens_the_ticket_and_never_when_held_out(
    assistant: Assistant,
) -> None:
    engine = assistant.engine
    with session_scope(engine) as session:
        agent, other = make_actor(session, "agent"), make_actor(session, "agent")

    def arrive(n: int, holdout: int) -> int:
        arrival = Arrival(
            channel=Channel.EMAIL, customer_email=f"f{n}@example.com", body="How do I export all my invoices at once?"
        )
        return take_in(engine, arrival, actor="intake:test", max_chars=5000, holdout_percent=holdout)[0]

    assisted, held = arrive(1, 0), arrive(2, 100)
    open_ticket(assistant, ticket_id=assisted)  # no viewer (a precompute): nobody was shown anything
    for viewer in (agent, other, agent):
        open_ticket(assistant, ticket_id=assisted, viewer=viewer)
        open_ticket(assistant, ticket_id=held, viewer=viewer)
    with session_scope(engine) as session:
        views = session.scalars(select(DraftViewRow)).all()
    assert [(v.ticket_id, v.shown_to_id) for v in views] == [(assisted, agent.id)]


def test_a_draft_passed_over_stays_not_used_when_the_ticket_comes_back(engine: Engine) -> None:
    """A stage is what happened since the draft was shown: a reopen cannot send it back to "not acted on yet"."""
    with session_scope(engine) as session:
        agent = make_actor(session, "agent")
        ticket_id = make_ticket(session).id
    _shown_draft(engine, ticket_id, agent, confidence=0.6)
    with session_scope(engine) as session:
        transition(session, ticket=session.get_one(TicketRow, ticket_id), to=TicketStatus.RESOLVED, actor="lead")
    resolved = draft_funnel(engine, TODAY).overall.stages
    with session_scope(engine) as session:
        transition(session, ticket=session.get_one(TicketRow, ticket_id), to=TicketStatus.REOPENED, actor="customer")
    reopened = draft_funnel(engine, TODAY).overall.stages
    assert resolved[Stage.NOT_USED] == reopened[Stage.NOT_USED] == 1 and reopened[Stage.WAITING] == 0


def test_a_draft_replaced_by_a_newer_one_nobody_opened_yet_is_not_used(engine: Engine) -> None:
    with session_scope(engine) as session:
        agent = make_actor(session, "agent")
        ticket_id = make_ticket(session).id
    _shown_draft(engine, ticket_id, agent, confidence=0.6)
    with session_scope(engine) as session:  # the customer wrote again; the new draft waits, unopened
        session.add(
            DraftRow(
                ticket_id=ticket_id,
                ticket_version=9,
                text="New",
                confidence=0.5,
                band="check",
                model="m",
                mode="offline",
            )
        )
    stages = draft_funnel(engine, TODAY).overall.stages
    assert (stages[Stage.NOT_USED], stages[Stage.WAITING]) == (1, 0)


def test_drafts_built_on_a_past_reply_are_a_source_of_their_own_with_how_they_went_out(engine: Engine) -> None:
    with session_scope(engine) as session:
        agent = make_actor(session)
        earlier, ticket_id, other_id = make_ticket(session).id, make_ticket(session).id, make_ticket(session).id
    reused = _shown_draft(engine, ticket_id, agent, confidence=0.8, reused_from=earlier)
    _shown_draft(engine, other_id, agent, confidence=0.8)
    _send(engine, ticket_id, agent, as_sent(DRAFT, agent_name=agent.name, resolve=False), reused)

    rows = {r.group: r for r in draft_funnel(engine, TODAY).by["Draft source"]}

    assert rows["A reply the team sent before"].shown == 1
    assert rows["A reply the team sent before"].stages[Stage.SENT_AS_IS] == 1
    assert rows["Knowledge-base article"].shown == 1


def test_the_confidence_band_counts_the_badge_the_agent_saw_not_the_figure(engine: Engine) -> None:
    """Issue 32: "likely sent as is" now also needs the stated sentence to stand clear of the rest of its article,
    so a 95 % draft may have been shown as one to check; the funnel counts it where the agent saw it."""
    with session_scope(engine) as session:
        agent = make_actor(session)
        first, second = make_ticket(session).id, make_ticket(session).id
    _shown_draft(engine, first, agent, confidence=0.95, band=ConfidenceBand.CHECK_SENTENCE)
    _shown_draft(engine, second, agent, confidence=0.95, band=ConfidenceBand.LIKELY_SENT)

    rows = {r.group: r.shown for r in draft_funnel(engine, TODAY).by["Confidence band"]}

    assert rows == {"Check the quoted sentence": 1, "Likely sent as is": 1}
