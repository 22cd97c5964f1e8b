"""Holdout experiments as SQL keeps them: the one running, the arm each arriving ticket gets, and what each of an
experiment's tickets came to (`assist.experiments` compares the arms from these rows)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assist.domain import Arm, Experiment
from assist.errors import NotFoundError
from assist.store.models import (
    CsatRow,
    EscalationRow,
    ExperimentRow,
    ReplyRow,
    StatusChangeRow,
    TicketRow,
    UserRow,
)

__all__ = [
    "TicketOutcome",
    "arm_for",
    "assign_arm",
    "experiment",
    "experiments",
    "held_out",
    "held_out_ticket",
    "outcomes",
    "running",
    "start",
    "stop",
]

STANDING_SEED = "standing"  # the standing holdout's tickets (no experiment row) draw their arm with this seed


@dataclass(frozen=True, slots=True)
class TicketOutcome:
    """What one ticket of an experiment came to; hours are None where the ticket has not got that far."""

    ticket_id: int
    arm: Arm
    category: str
    tenure_days: float | None  # the assignee's account age when the ticket arrived; None: unassigned
    first_response_hours: float | None
    handle_hours: float | None  # created to resolved
    replies: int  # the team's replies to the customer
    resolved: bool
    reopened: bool
    escalated: bool
    csat: float | None  # the mean of its ratings, 1-5


def arm_for(seed: str, ticket_id: int, percent: int) -> Arm:
    """A stable draw: the same seed and ticket always give the same arm, and `percent` of ids in 100 are held out."""
    digest = hashlib.sha256(f"{seed}:{ticket_id}".encode()).digest()
    return Arm.HOLDOUT if int.from_bytes(digest[:8], "big") % 10_000 < percent * 100 else Arm.ASSISTED


def _experiment(row: ExperimentRow) -> Experiment:
    return Experiment(
        id=row.id,
        percent=row.percent,
        started_at=row.started_at,
        started_by=row.started_by,
        stopped_at=row.stopped_at,
        stopped_by=row.stopped_by,
    )


def _running_row(session: Session) -> ExperimentRow | None:
    return session.scalar(select(ExperimentRow).where(ExperimentRow.running == 1))


def running(session: Session) -> Experiment | None:
    """The experiment running now, if one is."""
    row = _running_row(session)
    return _experiment(row) if row is not None else None


def held_out(ticket: TicketRow) -> bool:
    """The ticket's agent is shown no draft and no articles (the row's side of `TicketDetail.held_out`)."""
    return ticket.arm == Arm.HOLDOUT.value


def held_out_ticket(session: Session, ticket_id: int) -> bool:
    return session.scalar(select(TicketRow.arm).where(TicketRow.id == ticket_id)) == Arm.HOLDOUT.value


def assign_arm(session: Session, ticket: TicketRow, *, standing_percent: int) -> None:
    """Give a ticket that just arrived (flushed: it has its id) its arm: the running experiment's draw, else the
    standing holdout's when `standing_percent` is above 0, else none (it is in no experiment)."""
    row = _running_row(session)
    if row is not None:
        ticket.experiment_id = row.id
        ticket.arm = arm_for(row.seed, ticket.id, row.percent).value
    elif standing_percent > 0:
        ticket.arm = arm_for(STANDING_SEED, ticket.id, standing_percent).value


def start(session: Session, *, percent: int, by: str, at: datetime) -> Experiment:
    """A new running experiment (the unique `running` refuses a second one at commit, however the two raced)."""
    row = ExperimentRow(percent=percent, seed=secrets.token_hex(8), started_at=at, started_by=by, running=1)
    session.add(row)
    session.flush()
    return _experiment(row)


def stop(session: Session, *, experiment_id: int, by: str, at: datetime) -> Experiment:
    """Stop this experiment if it still runs (a conditional update: of two Stops, or a Stop from a page that
    shows an experiment someone already stopped, only one stops it): tickets arriving from now on are in none."""
    stopped = session.execute(
        update(ExperimentRow)
        .where(ExperimentRow.id == experiment_id, ExperimentRow.running == 1)
        .values(running=None, stopped_at=at, stopped_by=by)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if stopped != 1:
        raise NotFoundError(f"Experiment #{experiment_id} is not running any more; reload the page to see it.")
    return _experiment(session.get_one(ExperimentRow, experiment_id, populate_existing=True))


def experiments(session: Session, *, standing_percent: int) -> list[Experiment]:
    """Every experiment, newest first, and the standing holdout when tickets were held out by it."""
    found = [_experiment(r) for r in session.scalars(select(ExperimentRow).order_by(ExperimentRow.id.desc()))]
    held_by_setting = (TicketRow.experiment_id.is_(None), TicketRow.arm.is_not(None))
    since = session.scalar(select(func.min(TicketRow.created_at)).where(*held_by_setting))
    if since is not None:
        found.append(_standing(standing_percent, since=since))
    return found


def _standing(percent: int, *, since: datetime | None) -> Experiment:
    # Its share is today's setting: the tickets it held out earlier may have been drawn at another.
    return Experiment(id=None, percent=percent, started_at=since, started_by="ASSIST_HOLDOUT_PERCENT")


def experiment(session: Session, *, experiment_id: int | None, standing_percent: int) -> Experiment:
    """One experiment by id (None: the standing holdout)."""
    if experiment_id is None:
        return _standing(standing_percent, since=None)
    row = session.get(ExperimentRow, experiment_id)
    if row is None:
        raise NotFoundError(f"Experiment #{experiment_id} does not exist; pick one from the list.")
    return _experiment(row)


def _hours(later: datetime | None, earlier: datetime) -> float | None:
    return (later - earlier).total_seconds() / 3600 if later is not None else None


def outcomes(session: Session, *, experiment_id: int | None) -> list[TicketOutcome]:
    """Every ticket of the experiment (None: of the standing holdout) with what it came to, in one read."""
    replies = select(ReplyRow.ticket_id, func.count().label("n")).group_by(ReplyRow.ticket_id).subquery()
    reopened = (
        select(StatusChangeRow.ticket_id, func.count().label("n"))
        .where(StatusChangeRow.to_status == "reopened")
        .group_by(StatusChangeRow.ticket_id)
        .subquery()
    )
    escalated = select(EscalationRow.ticket_id, func.count().label("n")).group_by(EscalationRow.ticket_id).subquery()
    csat = select(CsatRow.ticket_id, func.avg(CsatRow.score).label("mean")).group_by(CsatRow.ticket_id).subquery()
    which = TicketRow.experiment_id == experiment_id if experiment_id is not None else TicketRow.experiment_id.is_(None)
    rows = session.execute(
        select(
            TicketRow.id,
            TicketRow.arm,
            TicketRow.category,
            TicketRow.created_at,
            TicketRow.first_response_at,
            TicketRow.resolved_at,
            TicketRow.status,
            UserRow.created_at.label("assignee_since"),
            replies.c.n.label("replies"),
            reopened.c.n.label("reopened"),
            escalated.c.n.label("escalated"),
            csat.c.mean.label("csat"),
        )
        .outerjoin(UserRow, UserRow.id == TicketRow.assignee_id)
        .outerjoin(replies, replies.c.ticket_id == TicketRow.id)
        .outerjoin(reopened, reopened.c.ticket_id == TicketRow.id)
        .outerjoin(escalated, escalated.c.ticket_id == TicketRow.id)
        .outerjoin(csat, csat.c.ticket_id == TicketRow.id)
        .where(which, TicketRow.arm.is_not(None))
        .order_by(TicketRow.id)
    )
    resolved = "resolved"
    return [
        TicketOutcome(
            ticket_id=r.id,
            arm=Arm(r.arm),
            category=r.category or "uncategorised",
            tenure_days=(r.created_at - r.assignee_since).total_seconds() / 86_400 if r.assignee_since else None,
            first_response_hours=_hours(r.first_response_at, r.created_at),
            handle_hours=_hours(r.resolved_at, r.created_at) if r.status == resolved else None,
            replies=r.replies or 0,
            resolved=r.status == resolved,
            reopened=bool(r.reopened),
            escalated=bool(r.escalated),
            csat=float(r.csat) if r.csat is not None else None,
        )
        for r in rows
    ]
