"""Does assistance help? A holdout of arriving tickets gets no draft and no articles (`ticket_actions.open_ticket`
hides them, everything is still computed and stored), and the two arms are compared with their uncertainty.

Admins start and stop an experiment (audited); `ASSIST_HOLDOUT_PERCENT` keeps a standing holdout whenever none
runs. Each ticket's arm is drawn when it arrives (`store.experiments.assign_arm`, a stable hash of the ticket id
and the experiment's seed), so nobody picks which tickets go without.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from assist.config import Settings
from assist.domain import Arm, Experiment, User
from assist.effects import Difference, Statistic, difference
from assist.errors import ConcurrencyError, ValidationError
from assist.store import audit
from assist.store import experiments as stored
from assist.store.actors import current_actor, require
from assist.store.db import session_scope
from assist.store.experiments import TicketOutcome
from assist.times import utcnow

__all__ = [
    "MEASURES",
    "Comparison",
    "Effect",
    "Measure",
    "Segment",
    "compare_arms",
    "list_experiments",
    "start_experiment",
    "stop_experiment",
]


@dataclass(frozen=True, slots=True)
class Measure:
    key: str
    label: str
    unit: str  # "hours", "replies", "share" (0-1), "score" (1-5)
    statistic: Statistic
    lower_is_better: bool


MEASURES = (
    Measure("first_response", "First response", "hours", "median", True),
    Measure("handle", "Handle time (to resolved)", "hours", "median", True),
    Measure("replies", "Replies per resolution", "replies", "mean", True),
    Measure("reopen", "Reopen rate", "share", "rate", True),
    Measure("escalation", "Escalation rate", "share", "rate", True),
    Measure("csat", "CSAT", "score", "mean", False),
)


def _value(measure: Measure, o: TicketOutcome) -> float | None:
    """What one ticket counts for `measure`; None where it does not count (not resolved yet, no rating). A time
    not reached yet is +inf: later than any finished one (`effects`)."""
    ever_resolved = o.resolved or o.reopened
    values = {
        "first_response": o.first_response_hours if o.first_response_hours is not None else math.inf,
        "handle": o.handle_hours if o.handle_hours is not None else math.inf,
        "replies": float(o.replies) if o.resolved else None,
        "reopen": float(o.reopened) if ever_resolved else None,
        "escalation": float(o.escalated),
        "csat": o.csat,
    }
    return values[measure.key]


@dataclass(frozen=True, slots=True)
class Effect:
    """One measure in both arms: assisted − held out, with its interval."""

    measure: Measure
    difference: Difference

    @property
    def verdict(self) -> str | None:
        """In words, only when the data supports one (`Difference.decided`)."""
        d = self.difference
        if not d.decided or d.difference is None or d.low is None or d.high is None:
            return None
        better = (d.difference < 0) == self.measure.lower_is_better
        size, low, high = (_amount(self.measure, abs(x)) for x in (d.difference, d.low, d.high))
        if d.difference < 0:
            low, high = high, low
        direction = "lower" if d.difference < 0 else "higher"
        return (
            f"{self.measure.label}: {size} {direction} with assistance (95 % interval {low} to {high}), "
            + ("better" if better else "worse")
            + "."
        )


def _amount(measure: Measure, value: float) -> str:
    if measure.unit == "share":
        return f"{value * 100:.1f} points"
    if measure.unit == "hours":
        return f"{value:.1f} h"
    return f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    effects: tuple[Effect, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    experiment: Experiment
    tickets: dict[Arm, int]
    overall: tuple[Effect, ...]
    by_tenure: tuple[Segment, ...]  # the assignee's time on the team when the ticket arrived
    by_category: tuple[Segment, ...]

    @property
    def verdicts(self) -> list[str]:
        return [e.verdict for e in self.overall if e.verdict]


def start_experiment(engine: Engine, *, percent: int, actor: User) -> Experiment:
    """Start holding out `percent` of the tickets that arrive from now on.

    Raises:
        PermissionDeniedError: only admins start experiments.
        ValidationError: the share is not 1-100 %, or an experiment is running already (stop it first).
    """
    require(actor, action="start experiments")
    if not 1 <= percent <= 100:
        raise ValidationError("Hold out between 1 and 100 % of new tickets (10 % is a common start).")
    try:
        with session_scope(engine) as session:
            current_actor(session, actor)
            if stored.running(session) is not None:
                raise ValidationError("An experiment is running already; stop it before starting another.")
            started = stored.start(session, percent=percent, by=actor.email, at=utcnow())
            audit.record(
                session,
                actor=actor.email,
                action="experiment.start",
                entity_type="experiment",
                entity_id=started.id,
                detail={"percent": percent},
            )
    except IntegrityError as e:  # another admin started one at the same moment
        raise ConcurrencyError("Another experiment was started just now; reload the page to see it.") from e
    return started


def stop_experiment(engine: Engine, *, experiment_id: int, actor: User) -> Experiment:
    """Stop the experiment; its tickets keep their arms, so it can still be compared.

    Raises:
        PermissionDeniedError: only admins stop experiments.
        NotFoundError: it is not running (any more).
    """
    require(actor, action="stop experiments")
    with session_scope(engine) as session:
        current_actor(session, actor)
        stopped = stored.stop(session, experiment_id=experiment_id, by=actor.email, at=utcnow())
        audit.record(
            session,
            actor=actor.email,
            action="experiment.stop",
            entity_type="experiment",
            entity_id=stopped.id,
            detail={"percent": stopped.percent},
        )
    return stopped


def list_experiments(engine: Engine, *, settings: Settings) -> list[Experiment]:
    """Every experiment, newest first (the running one, if any, first), and the standing holdout if it held any
    ticket out."""
    with session_scope(engine) as session:
        return stored.experiments(session, standing_percent=settings.assist_holdout_percent)


def _effects(outcomes: list[TicketOutcome]) -> tuple[Effect, ...]:
    effects = []
    for n, measure in enumerate(MEASURES):
        values: dict[Arm, list[float]] = {Arm.ASSISTED: [], Arm.HOLDOUT: []}
        for o in outcomes:
            value = _value(measure, o)
            if value is not None:
                values[o.arm].append(value)
        diff = difference(
            values[Arm.ASSISTED], values[Arm.HOLDOUT], statistic=measure.statistic, family=len(MEASURES), seed=n
        )
        effects.append(Effect(measure=measure, difference=diff))
    return tuple(effects)


def tenure_band(days: float | None) -> str:
    if days is None:
        return "unassigned"
    return "under 3 months" if days < 91 else "3-12 months" if days < 365 else "a year or more"


def _segments(outcomes: list[TicketOutcome], key: Callable[[TicketOutcome], str]) -> tuple[Segment, ...]:
    groups: dict[str, list[TicketOutcome]] = {}
    for o in outcomes:
        groups.setdefault(key(o), []).append(o)
    return tuple(Segment(name=name, effects=_effects(rows)) for name, rows in sorted(groups.items()))


def compare_arms(engine: Engine, *, experiment_id: int | None, settings: Settings) -> Comparison:
    """The experiment's tickets (None: the standing holdout's), assisted against held out: each measure with its
    95 % interval, overall, per tenure band and per category.

    Raises:
        NotFoundError: no such experiment.
    """
    with session_scope(engine) as session:
        experiment = stored.experiment(
            session, experiment_id=experiment_id, standing_percent=settings.assist_holdout_percent
        )
        outcomes = stored.outcomes(session, experiment_id=experiment_id)
    return Comparison(
        experiment=experiment,
        tickets={arm: sum(o.arm is arm for o in outcomes) for arm in Arm},
        overall=_effects(outcomes),
        by_tenure=_segments(outcomes, lambda o: tenure_band(o.tenure_days)),
        by_category=_segments(outcomes, lambda o: o.category),
    )
