"""The confidence policy: which figure each threshold reads (assist/drafting/policy.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from assist.dev.evaluation.drafts import LabelledDraft, open_ticket_for
from assist.domain import DraftAction
from assist.drafting.needs import Need, NeedReading
from assist.drafting.policy import Confidence, ConfidencePolicy
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


@pytest.mark.parametrize(
    ("need", "read_as"),
    [(Need.UNANSWERED, Need.ANSWER), (Need.CLARIFY, Need.ANSWER), (Need.ANSWER, Need.ANSWER), (Need.LEAD, Need.LEAD)],
)
def test_the_team_s_answer_to_the_same_question_reads_as_an_answer_and_a_lead_s_call_as_a_lead_s(
    need: Need, read_as: Need
) -> None:
    """The need model reads whether an article answers; the team answering this very question from one says it
    does. A lead's call stays a lead's, and the figure and the threshold are the article's."""
    probabilities = {n: 0.25 for n in Need}
    article = Confidence(0.6, 0.55, abstain_below=0.15, escalate_below=0.45, need=NeedReading(need, probabilities))

    reused = ConfidencePolicy.answered_before(article)

    assert reused.need == NeedReading(read_as, probabilities) and reused.answerable
    assert (reused.raw, reused.calibrated, reused.recalibrated, reused.margin) == (0.6, 0.55, False, None)
    below = ConfidencePolicy.answered_before(replace(article, raw=0.1, calibrated=0.1))
    assert not below.answerable


def test_a_threshold_the_team_sets_reads_the_figure_their_recalibration_shows(assistant: Assistant) -> None:
    question = LabelledDraft(query="How do I create an API key?", gold=None)
    save_recalibration(assistant.engine, Recalibration(slope=1.0, intercept=-6.0, sends=80))  # 0.90 shows 0.02
    forget_cached(assistant.engine)
    fitted = compute_assistance(assistant, ticket_id=open_ticket_for(assistant, question, 0)).draft
    assert fitted.action is DraftAction.ANSWER and fitted.sources[:1] == ("api-keys",) and fitted.confidence < 0.1
    teams = replace(assistant, settings=assistant.settings.model_copy(update={"draft_min_confidence": 0.15}))
    withheld = compute_assistance(teams, ticket_id=open_ticket_for(teams, question, 1)).draft
    assert withheld.action.abstains and withheld.sources == ()


def test_likely_sent_needs_the_stated_sentence_to_stand_clear_of_the_rest_of_its_article() -> None:
    """Defect (issue 32): drafts quoting the wrong sentence of the right article were badged "likely sent as is" at
    97-100 % (#163 quoted "Only approved time can be added to invoices." for "Where is the Unlock option?"). The
    confidence reads whether the article answers; how far the stated sentence stands above the best one left out
    decides whether the badge may promise it."""
    import numpy as np

    from assist.domain import ConfidenceBand
    from assist.drafting.answers import Candidate, Question, Selection
    from assist.drafting.stated import stated_margin
    from assist.drafting.units import split_units

    units = split_units(
        "# Approvals\n\n## Invoices\n\nOnly approved time can be added to invoices.\n\n"
        "## Unlocking\n\nA manager opens the week and clicks Unlock.\n"
    )
    invoices, unlock = units

    def selection(p_invoices: float, p_unlock: float) -> Selection:
        candidates = [Candidate("approvals", 0, invoices, (), p_invoices, (), 0.95)]
        candidates.append(Candidate("approvals", 1, unlock, (), p_unlock, (), 0.95))
        vector = np.zeros(384, dtype=np.float32)
        question = Question("Where is the Unlock option?", vector, vector)
        ordered = tuple(sorted(candidates, key=lambda c: -c.probability))
        return Selection(question, ordered, {}, (), ())

    thin, clear = stated_margin(selection(0.48, 0.44)), stated_margin(selection(0.70, 0.20))
    assert thin is not None and clear is not None
    assert abs(thin - 0.04) < 1e-9 and abs(clear - 0.50) < 1e-9

    def band(margin: float | None) -> ConfidenceBand:
        read = Confidence(0.97, 0.97, abstain_below=0.15, escalate_below=0.45, margin=margin, likely_sent_margin=0.15)
        return read.band(answers=True)

    assert band(thin) is ConfidenceBand.CHECK_SENTENCE
    assert band(clear) is ConfidenceBand.LIKELY_SENT
    assert band(None) is ConfidenceBand.LIKELY_SENT  # a past reply's draft: the whole reply is stated
    whole = Selection(selection(0.2, 0.1).question, (Candidate("approvals", 1, unlock, (), 0.2, (), 0.95),), {}, (), ())
    assert stated_margin(whole) is None  # the reply states all the article offers: no other sentence to confuse
    low = Confidence(0.6, 0.6, abstain_below=0.15, escalate_below=0.45, margin=0.5, likely_sent_margin=0.15)
    assert low.band(answers=True) is ConfidenceBand.CHECK


def test_the_figure_shown_maps_the_models_through_the_shipped_scaling_until_the_team_fits_its_own(
    assistant: Assistant,
) -> None:
    """Issue 32: the model is fitted on crisp one-line questions too and read tickets too low (realistic ECE 0.094);
    the figure shown goes through a scaling fitted on the ticket-like fit lines, which the team's own replaces."""
    shipped = assistant.confidence.shown
    assert (shipped.slope, shipped.intercept) != (1.0, 0.0)  # trained, not the identity
    question = LabelledDraft(query="How do I create an API key?", gold=None)
    forget_cached(assistant.engine)
    draft = compute_assistance(assistant, ticket_id=open_ticket_for(assistant, question, 0)).draft
    assert draft.raw_confidence is not None and draft.confidence == shipped.apply(draft.raw_confidence)
    teams = Recalibration(slope=1.0, intercept=-1.0, sends=80, fitted_at=datetime(2026, 12, 1, tzinfo=UTC))
    save_recalibration(assistant.engine, teams)
    forget_cached(assistant.engine)
    again = compute_assistance(assistant, ticket_id=open_ticket_for(assistant, question, 1)).draft
    assert again.raw_confidence == draft.raw_confidence and again.confidence == teams.apply(draft.raw_confidence)


def test_a_selection_led_by_a_unit_reads_that_unit_against_the_article_preferred() -> None:
    """Regenerate's figure: the unit the draft states leads, the article the selector preferred is the runner-up."""
    import numpy as np

    from assist.drafting.answers import Candidate, Question, Selection
    from assist.drafting.units import split_units

    units = split_units("# A\n\nFirst sentence here.\n\nSecond sentence here.\n\nThird sentence here.\n")
    preferred = [Candidate("refunds", i, units[i], (), 0.6 - 0.1 * i, (), 0.9) for i in range(2)]
    other = [Candidate("billing", i, units[i], (), 0.5 - 0.1 * i, (), 0.4) for i in range(3)]
    vector = np.zeros(384, dtype=np.float32)
    selection = Selection(Question("q", vector, vector), (*preferred, *other), {}, (), ())

    led = selection.led_by(other[2])

    assert led.best is other[2]
    assert [(c.article_id, c.index) for c in led.candidates] == [
        ("billing", 2),
        ("billing", 0),
        ("billing", 1),
        ("refunds", 0),
        ("refunds", 1),
    ]
    assert led.runner_up_elsewhere() == 0.9
    with pytest.raises(ValueError, match="not among the candidates"):
        selection.led_by(Candidate("billing", 7, units[0], (), 0.1, (), 0.4))
