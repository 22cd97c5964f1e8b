"""The draft funnel, honestly counted: every draft an agent was shown ends in exactly one stage (sent as is,
lightly edited, heavily edited, not used, not acted on yet), then the sent ones are followed to a reopen and a
rating. "Accepted" is sent with at most light edits (`edits.LIGHT_EDIT`), the line the confidence predicts;
an insertion or a copy that the agent then rewrites is not acceptance.

A draft counts as shown once, when a team member first opened the ticket with its text in the reply box
(`ticket_actions.offers_draft`): answers, holding and closing replies; never an abstention, never on a held-out
ticket. The Agent breakdown and filter are who was shown it, not who owns the ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import Engine

from assist.domain import ConfidenceBand, MetricsFilter
from assist.edits import LIGHT_EDIT
from assist.store.db import session_scope
from assist.store.drafts_shown import ShownDraft, shown_drafts

__all__ = ["GROUPINGS", "Funnel", "FunnelRow", "Stage", "draft_funnel", "stage"]


class Stage(StrEnum):
    SENT_AS_IS = "Sent as is"
    LIGHT = "Lightly edited"
    HEAVY = "Heavily edited"
    NOT_USED = "Not used"  # the ticket went on without it: another reply or draft, an escalation, resolved
    WAITING = "Not acted on yet"


SENT = (Stage.SENT_AS_IS, Stage.LIGHT, Stage.HEAVY)


def stage(shown: ShownDraft) -> Stage:
    """Where one shown draft ended."""
    if shown.sent:
        if shown.sent_distance == 0:
            return Stage.SENT_AS_IS
        light = shown.sent_ratio is not None and shown.sent_ratio <= LIGHT_EDIT
        return Stage.LIGHT if light else Stage.HEAVY
    return Stage.NOT_USED if shown.moved_on else Stage.WAITING


@dataclass(frozen=True, slots=True)
class FunnelRow:
    group: str
    shown: int
    stages: dict[Stage, int]
    reopened: int  # of the sent ones
    rated: int  # sent ones with a rating afterwards
    csat: float | None  # their mean rating

    @property
    def sent(self) -> int:
        return sum(self.stages[s] for s in SENT)

    @property
    def accepted(self) -> int:
        """Sent as is or with light edits."""
        return self.stages[Stage.SENT_AS_IS] + self.stages[Stage.LIGHT]


@dataclass(frozen=True, slots=True)
class Funnel:
    overall: FunnelRow
    by: dict[str, tuple[FunnelRow, ...]] = field(default_factory=dict)


BAND_GROUPS = {
    ConfidenceBand.LIKELY_SENT: "Likely sent as is",
    ConfidenceBand.CHECK_SENTENCE: "Check the quoted sentence",
    ConfidenceBand.CHECK: "Check before sending",
    ConfidenceBand.NO_ANSWER: "No figure (a closing or holding reply)",
    ConfidenceBand.CLOSING: "No figure (a closing or holding reply)",
}


def _band(d: ShownDraft) -> str:
    """The badge the agent saw, as stored with the draft (it reads more than the figure: assist/drafting/policy.py)."""
    return BAND_GROUPS[d.band]


def _source(d: ShownDraft) -> str:
    if d.reused_from is not None:  # the LLM too, given the past reply as its first passage
        return "A reply the team sent before"
    return "LLM" if d.mode == "llm" else "Knowledge-base article" if d.sources else "No article"


GROUPINGS: dict[str, Callable[[ShownDraft], str]] = {
    "Confidence band": _band,
    "Category": lambda d: d.category,
    "Agent shown it": lambda d: d.shown_to or "(account removed)",
    "Draft source": _source,
}


def _row(group: str, drafts: list[ShownDraft]) -> FunnelRow:
    stages = dict.fromkeys(Stage, 0)
    reopened, ratings = 0, []
    for d in drafts:
        where = stage(d)
        stages[where] += 1
        if where in SENT:
            reopened += d.reopened
            if d.csat is not None:
                ratings.append(d.csat)
    return FunnelRow(
        group=group,
        shown=len(drafts),
        stages=stages,
        reopened=reopened,
        rated=len(ratings),
        csat=round(sum(ratings) / len(ratings), 2) if ratings else None,
    )


def draft_funnel(engine: Engine, f: MetricsFilter) -> Funnel:
    """The drafts first shown in the filter's period (its categories; `agent_id` is who was shown them)."""
    start = datetime.combine(f.start, time.min, tzinfo=UTC)
    end = datetime.combine(f.end, time.min, tzinfo=UTC) + timedelta(days=1)
    with session_scope(engine) as session:
        drafts = shown_drafts(session, start=start, end=end, categories=f.categories, agent_id=f.agent_id)
    by = {}
    for name, key in GROUPINGS.items():
        groups: dict[str, list[ShownDraft]] = {}
        for d in drafts:
            groups.setdefault(key(d), []).append(d)
        by[name] = tuple(_row(g, rows) for g, rows in sorted(groups.items(), key=lambda kv: -len(kv[1])))
    return Funnel(overall=_row("All drafts shown", drafts), by=by)
