"""Issue 38: a holdout of arriving tickets that gets no draft and no articles, and the comparison of the two arms
with its uncertainty."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from assist.arrival import Arrival
from assist.config import Settings
from assist.domain import Arm, Channel, TicketStatus, User
from assist.errors import NoAlternativeError, PermissionDeniedError, ValidationError
from assist.experiments import compare_arms, list_experiments, start_experiment, stop_experiment
from assist.intake import take_in
from assist.pipeline import Assistant
from assist.store import experiments as stored
from assist.store import session_scope
from assist.store.models import AuditEventRow, ReplyRow, TicketRow
from assist.store.runs import stored_run
from assist.ticket_actions import handoff_preview, open_ticket, regenerate, send_reply
from tests.conftest import NOW
from tests.factories import make_actor, make_customer, make_ticket

SETTINGS = Settings(smtp_host=None, webhook_url=None, max_message_chars=5000)


def _person(engine: Engine, role: str) -> User:
    with session_scope(engine) as session:
        return make_actor(session, role)


def _arrive(engine: Engine, n: int, *, holdout_percent: int = 0, status: TicketStatus = TicketStatus.NEW) -> int:
    arrival = Arrival(
        channel=Channel.EMAIL,
        external_id=f"X-{n}",
        customer_email=f"c{n}@example.com",
        body=f"How do I export my invoices? (number {n})",
        status=status,
    )
    return take_in(engine, arrival, actor="intake:test", max_chars=5000, holdout_percent=holdout_percent)[0]


def _arms(engine: Engine) -> dict[int, tuple[str | None, int | None]]:
    with session_scope(engine) as session:
        rows = session.execute(select(TicketRow.id, TicketRow.arm, TicketRow.experiment_id)).all()
        return {r.id: (r.arm, r.experiment_id) for r in rows}


def test_the_draw_is_stable_per_seed_and_holds_out_about_its_share() -> None:
    draws = [stored.arm_for("seed-a", n, 20) for n in range(1, 5001)]
    assert draws == [stored.arm_for("seed-a", n, 20) for n in range(1, 5001)]
    assert 0.18 < draws.count(Arm.HOLDOUT) / len(draws) < 0.22
    assert draws != [stored.arm_for("seed-b", n, 20) for n in range(1, 5001)]  # a new experiment, a new draw
    assert {stored.arm_for("s", n, 100) for n in range(1, 200)} == {Arm.HOLDOUT}


def test_tickets_arriving_while_an_experiment_runs_get_its_arms_and_none_after_it_stops(engine: Engine) -> None:
    admin = _person(engine, "admin")
    before = _arrive(engine, 0)
    experiment = start_experiment(engine, percent=50, actor=admin)
    during = [_arrive(engine, n) for n in range(1, 41)]
    closed = _arrive(engine, 99, status=TicketStatus.RESOLVED)  # imported closed: nobody works it here
    stop_experiment(engine, actor=admin)
    after = _arrive(engine, 41)
    arms = _arms(engine)
    assert arms[before] == (None, None) and arms[after] == (None, None) and arms[closed] == (None, None)
    assert {arms[t][1] for t in during} == {experiment.id}
    held = [t for t in during if arms[t][0] == Arm.HOLDOUT]
    assert 8 <= len(held) <= 32 and {arms[t][0] for t in during} == {"holdout", "assisted"}


def test_the_standing_holdout_applies_only_while_no_experiment_runs(engine: Engine) -> None:
    admin = _person(engine, "admin")
    standing = _arrive(engine, 1, holdout_percent=100)
    experiment = start_experiment(engine, percent=1, actor=admin)
    ids = [_arrive(engine, n, holdout_percent=100) for n in range(2, 12)]
    arms = _arms(engine)
    assert arms[standing] == ("holdout", None)
    assert {arms[t][1] for t in ids} == {experiment.id}  # the experiment's draw (1 %), not the standing 100 %
    assert [e.id for e in list_experiments(engine, settings=SETTINGS)] == [experiment.id, None]


def test_only_admins_start_or_stop_an_experiment_one_at_a_time_and_the_audit_log_keeps_both(engine: Engine) -> None:
    admin, lead = _person(engine, "admin"), _person(engine, "lead")
    with pytest.raises(PermissionDeniedError):
        start_experiment(engine, percent=10, actor=lead)
    with pytest.raises(ValidationError, match="between 1 and 100"):
        start_experiment(engine, percent=0, actor=admin)
    first = start_experiment(engine, percent=10, actor=admin)
    with pytest.raises(ValidationError, match="running already"):
        start_experiment(engine, percent=20, actor=admin)
    with pytest.raises(PermissionDeniedError):
        stop_experiment(engine, actor=lead)
    stopped = stop_experiment(engine, actor=admin)
    assert stopped.id == first.id and not stopped.running and stopped.stopped_by == admin.email
    with session_scope(engine) as session:
        logged = session.scalars(select(AuditEventRow).where(AuditEventRow.entity_type == "experiment")).all()
        assert [(e.action, e.actor, e.detail) for e in logged] == [
            ("experiment.start", admin.email, {"percent": 10}),
            ("experiment.stop", admin.email, {"percent": 10}),
        ]


def test_a_held_out_ticket_opens_without_draft_or_articles_while_its_run_keeps_them(assistant: Assistant) -> None:
    engine = assistant.engine
    agent = _person(engine, "agent")
    ticket_id = take_in(
        engine,
        Arrival(
            channel=Channel.EMAIL,
            customer_email="held@example.com",
            body="How do I get a refund for my last invoice? I was charged after cancelling.",
        ),
        actor="intake:test",
        max_chars=5000,
        holdout_percent=100,
    )[0]
    ws = open_ticket(assistant, ticket_id=ticket_id, viewer=agent)
    assert ws.ticket.held_out
    assert ws.assistance.draft.text == "" and ws.assistance.hits == () and ws.assistance.draft.sources == ()
    assert "draft" not in ws.assistance.escalation.suggested_action
    kept = stored_run(engine, run_id=ws.assistance.run_id)
    assert kept is not None and kept.draft.text and kept.hits  # computed and stored, for the comparison
    with pytest.raises(NoAlternativeError, match="holdout"):
        regenerate(assistant, ticket_id=ticket_id, alternative=1, actor=agent)
    package = handoff_preview(engine, run_id=ws.assistance.run_id)  # what a lead taking it over would get
    assert package.draft is None and package.articles == ()
    send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=ws.ticket.version,
        text="Hi, I have refunded the charge; you will see it in 5 days.",
        draft_id=ws.assistance.draft_id,  # a stale page cannot tie the reply to a draft its agent never saw
        actor=agent,
        resolve=False,
        settings=SETTINGS,
    )
    with session_scope(engine) as session:
        reply = session.scalars(select(ReplyRow).where(ReplyRow.ticket_id == ticket_id)).one()
        assert reply.draft_id is None and reply.edit_ratio is None


def _workspace(engine: Engine, *, per_arm: int, faster_by_hours: float, seed: int) -> int:
    """An experiment's resolved tickets in pairs: both tickets of a pair draw the same handle time, the assisted one
    shortened by `faster_by_hours`, so the arms differ by exactly that and by nothing else (how often an interval
    holds the truth on independent draws is tests/test_effects.py's question)."""
    rng = random.Random(seed)
    with session_scope(engine) as session:
        experiment = stored.start(session, percent=50, by="admin@lumen.app", at=NOW - timedelta(days=30))
        customer = make_customer(session)
        for n in range(per_arm):
            handle, response = rng.uniform(4, 16), rng.uniform(0.5, 3)
            for arm, hours in ((Arm.HOLDOUT, handle), (Arm.ASSISTED, handle - faster_by_hours)):
                created = NOW - timedelta(days=20, hours=n)
                make_ticket(
                    session,
                    customer=customer,
                    created_at=created,
                    status=TicketStatus.RESOLVED.value,
                    first_response_at=created + timedelta(hours=response),
                    resolved_at=created + timedelta(hours=hours),
                    arm=arm.value,
                    experiment_id=experiment.id,
                )
        assert experiment.id is not None
        return experiment.id


def test_a_known_speed_up_falls_inside_the_interval_and_the_verdict_names_it(engine: Engine) -> None:
    experiment_id = _workspace(engine, per_arm=200, faster_by_hours=2.0, seed=7)
    comparison = compare_arms(engine, experiment_id=experiment_id, settings=SETTINGS)
    handle = next(e for e in comparison.overall if e.measure.key == "handle").difference
    assert comparison.tickets == {Arm.ASSISTED: 200, Arm.HOLDOUT: 200}
    assert handle.low is not None and handle.high is not None
    assert handle.difference == pytest.approx(-2.0)
    assert handle.low < -2.0 < handle.high and handle.high < 0
    assert handle.decided
    assert any(v.startswith("Handle time (to resolved):") and "lower with assistance" in v for v in comparison.verdicts)


def test_no_effect_gives_an_interval_around_zero_and_no_verdict(engine: Engine) -> None:
    experiment_id = _workspace(engine, per_arm=200, faster_by_hours=0.0, seed=11)
    comparison = compare_arms(engine, experiment_id=experiment_id, settings=SETTINGS)
    for effect in comparison.overall:
        d = effect.difference
        if d.low is not None and d.high is not None:
            assert d.low <= 0 <= d.high, effect.measure.key
    assert comparison.verdicts == []
    handle = next(e for e in comparison.overall if e.measure.key == "handle").difference
    needed = handle.needed()
    assert needed is None or min(needed) > 200  # more tickets than it has, were this tiny difference real
    assert {s.name for s in comparison.by_tenure} == {"unassigned"}
    assert [s.name for s in comparison.by_category] == ["account"]
