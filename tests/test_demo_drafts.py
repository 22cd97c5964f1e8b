"""The demo workspace as a new user meets it after `make run`: drafts on the open tickets, and the calibration
chart before and after the team's recalibration (`python -m assist train confidence --from-db`)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from assist.cli import main
from assist.demo import seed_demo
from assist.drafting.confidence import expected_calibration_error
from assist.metrics import MetricsFilter, calibration
from assist.pipeline import Assistant, precompute_many
from assist.store.calibrations import forget_cached
from assist.store.db import session_scope
from assist.store.models import TicketRow
from tests.conftest import NOW

pytestmark = pytest.mark.model
YEAR = MetricsFilter(start=(NOW - timedelta(days=400)).date(), end=NOW.date())


@pytest.fixture
def demo_assistant(assistant: Assistant) -> Assistant:
    seed_demo(assistant.engine, seed=7)
    return assistant


def test_no_single_confidence_covers_more_than_a_fifth_of_the_open_drafts(demo_assistant: Assistant) -> None:
    with session_scope(demo_assistant.engine) as session:
        open_ids = list(session.scalars(select(TicketRow.id).where(TicketRow.status != "resolved")))
    results = precompute_many(demo_assistant, ticket_ids=open_ids)
    shown = Counter(round(r.draft.confidence * 100) for r in results.values() if not isinstance(r, str))
    assert sum(shown.values()) == len(open_ids) > 30
    value, count = shown.most_common(1)[0]
    assert count / len(open_ids) <= 0.20, f"{count} of {len(open_ids)} drafts show {value}%"


def _ece(frame: object, series: str) -> float:
    rows = frame[frame["series"] == series]  # type: ignore[index]
    confidences = [c for c, n in zip(rows["mean_confidence"], rows["replies"], strict=True) for _ in range(int(n))]
    light = []
    for rate, n in zip(rows["light_edit_rate"], rows["replies"], strict=True):
        hits = round(rate * n)
        light += [True] * hits + [False] * (int(n) - hits)
    return expected_calibration_error(confidences, light)


def test_recalibrating_on_the_teams_sends_brings_the_chart_to_the_diagonal(demo_assistant: Assistant) -> None:
    engine = demo_assistant.engine
    before = calibration(engine, YEAR)
    assert set(before["series"]) == {"as shown"}
    result = CliRunner().invoke(main, ["train", "confidence", "--from-db", "--url", str(engine.url)])
    assert result.exit_code == 0, result.output
    assert '"from": "db"' in result.output
    forget_cached(engine)
    after = calibration(engine, YEAR)
    assert set(after["series"]) == {"as shown", "recalibrated"}
    shown, recalibrated = _ece(after, "as shown"), _ece(after, "recalibrated")
    print({"ece_as_shown": shown, "ece_recalibrated": recalibrated, "sends": int(after["replies"].sum() / 2)})
    # ~200 sends in ten bands: sampling noise alone is a few points of ECE.
    assert recalibrated <= 0.08 and recalibrated < shown / 2


def test_the_teams_recalibration_moves_the_badge_not_which_tickets_get_an_answer(demo_assistant: Assistant) -> None:
    """Defect (issue 32): the abstain threshold fitted with the model read the recalibrated figure, so after
    `train confidence --from-db` on the demo's sends (which edit more than the model expects) drafts that had
    answered offered none: on the demo's labelled open tickets grounded@1 fell from 0.80 to 0.74."""
    engine = demo_assistant.engine
    with session_scope(engine) as session:
        open_ids = list(session.scalars(select(TicketRow.id).where(TicketRow.status != "resolved")))
    before = precompute_many(demo_assistant, ticket_ids=open_ids)
    result = CliRunner().invoke(main, ["train", "confidence", "--from-db", "--url", str(engine.url)])
    assert result.exit_code == 0, result.output
    forget_cached(engine)
    after = precompute_many(demo_assistant, ticket_ids=open_ids)
    old = {i: r.draft for i, r in before.items() if not isinstance(r, str)}
    new = {i: r.draft for i, r in after.items() if not isinstance(r, str)}
    assert len(old) == len(new) == len(open_ids)
    assert {i: (d.action, d.sources) for i, d in new.items()} == {i: (d.action, d.sources) for i, d in old.items()}
    assert sum(new[i].confidence != old[i].confidence for i in old) > len(old) / 2  # the recalibration is in force


def test_recalibration_refuses_too_few_sends(assistant: Assistant) -> None:
    result = CliRunner().invoke(main, ["train", "confidence", "--from-db", "--url", str(assistant.engine.url)])
    assert result.exit_code == 1 and "needs at least 50" in result.output


# The questions the demo asks again (issue 33), each first answered well on another customer's ticket.
ASKED_AGAIN = (
    "make-admin",
    "export-for-auditors",
    "sepa-direct-debit",
    "429-hundreds",
    "blank-page-chrome",
    "blank-page-tried",
)
# Not yet drafted from the team's reply, and why (docs/evaluation.md, issue 33).
NOT_YET = {
    "LUM-10291": "an escalation request around the question: 0.93 alike, under SAME_QUESTION; the reuse model "
    "gives 0.13",
    "LUM-10316": "terse, 0.69 alike: the reuse model gives 0.09 against the articles' 0.46 now that the articles' "
    "answer is read (0.48); unread, it took a floor score of -4.9 and the reply won at 0.47",
}


def test_the_questions_the_demo_asks_again_are_drafted_from_the_reply_the_team_sent(demo_assistant: Assistant) -> None:
    with session_scope(demo_assistant.engine) as session:
        rows = session.execute(
            select(TicketRow.id, TicketRow.external_id, TicketRow.intent, TicketRow.status).where(
                TicketRow.intent.in_(ASKED_AGAIN)
            )
        ).all()
    answered = {r.id: r.intent for r in rows if r.status == "resolved"}
    asked = {r.id: (r.external_id, r.intent) for r in rows if r.status != "resolved"}

    prepared = precompute_many(demo_assistant, ticket_ids=list(asked))  # the index caught up first, as `make run`

    drafts = {asked[t][0]: r.draft for t, r in prepared.items() if not isinstance(r, str)}
    assert len(drafts) == len(asked) >= 9
    from_team = {e for t, (e, intent) in asked.items() if answered.get(drafts[e].reused_from or 0) == intent}
    assert set(drafts) - from_team == set(NOT_YET)
