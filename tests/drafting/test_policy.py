"""The confidence policy: which figure each threshold reads (assist/drafting/policy.py)."""

from __future__ import annotations

from dataclasses import replace

from assist.dev.evaluation.drafts import LabelledDraft, open_ticket_for
from assist.domain import DraftAction
from assist.drafting.policy import Confidence
from assist.pipeline import Assistant, compute_assistance
from assist.recalibration import Recalibration
from assist.store.calibrations import forget_cached, save_recalibration

EDITS_MORE = Recalibration(slope=1.0, intercept=-1.2, sends=80)  # maps a raw 0.30 to 0.11
EDITS_LESS = Recalibration(slope=1.0, intercept=1.7, sends=80)  # maps a raw 0.14 to 0.47


def test_the_fitted_threshold_reads_the_models_figure_and_a_teams_own_reads_the_figure_shown() -> None:
    """The fitted threshold was chosen on the model's figure (does an article answer?); the team's recalibration
    maps that figure to how often drafts go out lightly edited, so it must not withdraw answers. A threshold the
    team sets is one they read off the badge."""
    shown = EDITS_MORE.apply(0.30)
    assert shown < 0.15
    fitted = Confidence(0.30, shown, abstain_below=0.15, escalate_below=0.45, abstain_reads_raw=True)
    assert fitted.answerable and fitted.shown(answers=True) == shown
    teams_own = Confidence(0.30, shown, abstain_below=0.15, escalate_below=0.45)
    assert not teams_own.answerable


def test_a_draft_withheld_for_low_confidence_always_suggests_escalation() -> None:
    """A recalibration that raises figures above the escalation threshold must not leave an abstention looking like
    a draft to check and send (a second read's finding)."""
    shown = EDITS_LESS.apply(0.14)
    assert shown > 0.35
    withheld = Confidence(0.14, shown, abstain_below=0.15, escalate_below=0.35, abstain_reads_raw=True)
    assert not withheld.answerable and withheld.low
    answered = Confidence(0.40, EDITS_LESS.apply(0.40), abstain_below=0.15, escalate_below=0.35, abstain_reads_raw=True)
    assert answered.answerable and not answered.low


def test_a_threshold_the_team_sets_reads_the_figure_their_recalibration_shows(assistant: Assistant) -> None:
    question = LabelledDraft(query="How do I create an API key?", gold=None)
    save_recalibration(assistant.engine, Recalibration(slope=1.0, intercept=-6.0, sends=80))  # 0.90 shows 0.02
    forget_cached(assistant.engine)
    fitted = compute_assistance(assistant, ticket_id=open_ticket_for(assistant, question, 0)).draft
    assert fitted.action is DraftAction.ANSWER and fitted.sources[:1] == ("api-keys",) and fitted.confidence < 0.1
    teams = replace(assistant, settings=assistant.settings.model_copy(update={"draft_min_confidence": 0.15}))
    withheld = compute_assistance(teams, ticket_id=open_ticket_for(teams, question, 1)).draft
    assert withheld.action.abstains and withheld.sources == ()
