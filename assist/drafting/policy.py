"""One confidence policy: the model's probability, the team's recalibration of it, what the agent is shown,
and every threshold read from it (abstain, suggest escalation, "likely sent as is"), in one object that the
pipeline builds once per run and hands to the escalation rules, the plan and the draft.

    raw         the confidence model's P(sent with at most light edits), fitted on grounding as its stand-in
                (assist/drafting/confidence.py)
    calibrated  raw after the team's Platt recalibration on its own sends (assist/recalibration.py); until the team
                has one, after the mapping shipped with the model, fitted on ticket-like lines (`ConfidenceModel.shown`)
    shown       calibrated; 0 when the draft states no answer (an abstention, a holding reply without facts, a
                closing reply when nothing was asked: `Plan.answers`), which also stores no raw figure
    band        likely sent as is / check before sending / no answer / closing, as the badge shows it. "Likely sent"
                also needs the stated unit to stand clear of the units of its article the reply leaves out
                (`stated.stated_margin` at least the model's `likely_sent_margin`): the confidence reads whether
                the article answers, not which of its sentences does. A confident draft whose unit does not stand
                clear asks the agent to check the quoted sentence
    abstain     no answer below the threshold. The one fitted with the model reads `raw`, the scale it was chosen
                on: it separates drafts whose article answers from those whose none does, while the team's
                recalibration maps to how often drafts go out lightly edited, so recalibrating moves the badge, not
                which tickets get an answer. A threshold the team sets (DRAFT_MIN_CONFIDENCE) reads `calibrated`,
                the figure they see: a team that wants its sends to move the cut sets one. A draft on an article
                the agent chose (Regenerate) answers whenever that article would on its own; its figure still
                reads the article preferred (`ConfidencePolicy.read_chosen`)
    need        what the message needs (assist/drafting/needs.py): an answer, a clarifying question, a hand-over
                (no article answers it) or a lead; only the first and the last may be answered from the articles,
                and any but the last from the team's answer to the same question (`answered_before`)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assist.domain import ConfidenceBand
from assist.drafting.answers import Selection
from assist.drafting.confidence import ConfidenceModel, ThreadSignals, features
from assist.drafting.needs import ANSWER_FIRST, Need, NeedModel, NeedReading
from assist.drafting.stated import stated_margin
from assist.recalibration import Recalibration

LIKELY_SENT = 0.75  # from here the badge says "likely sent as is"
LOW_CONFIDENCE = "Draft confidence below threshold"  # the escalation reason the policy's threshold gives
NEEDS_LEAD = "Needs a lead's decision"  # the escalation reasons the need reading gives
NO_ARTICLE = "No article answers it"
# Reasons that concern the agent's draft, not the customer: alone, they never turn a draft into a holding reply.
ABOUT_THE_DRAFT = frozenset({LOW_CONFIDENCE, NO_ARTICLE})


@dataclass(frozen=True)
class Confidence:
    """One draft's confidence, as every consumer reads it."""

    raw: float
    calibrated: float
    abstain_below: float
    escalate_below: float
    need: NeedReading = ANSWER_FIRST
    recalibrated: bool = True  # False: another model's figure (a past reply's), which the team's fit must not read
    abstain_reads_raw: bool = False  # the fitted threshold: it reads the model's own figure (module docstring)
    margin: float | None = None  # `stated_margin`; None: nothing else to state (a past reply, a whole article)
    likely_sent_margin: float = 0.0  # the margin from which the badge may say "likely sent as is"
    chosen: bool = False  # the agent asked for this article's answer (`ConfidencePolicy.read_chosen`)

    @property
    def answerable(self) -> bool:
        """The message asks what an article answers, with confidence high enough to draft that answer (or the
        agent chose the article, and it would answer on its own: `chosen`)."""
        figure = self.raw if self.abstain_reads_raw else self.calibrated
        return self.need.answerable and (self.chosen or figure >= self.abstain_below)

    @property
    def vague(self) -> bool:
        """Nothing answers it because it does not say enough: ask, rather than hand it on."""
        return self.need.vague

    @property
    def unanswered(self) -> bool:
        """No answer is drafted, and the need model reads a specific question no article answers."""
        return not self.answerable and self.need.need is Need.UNANSWERED

    @property
    def needs_lead(self) -> bool:
        return self.need.need is Need.LEAD

    @property
    def low(self) -> bool:
        """Low enough to suggest escalation: below the escalation threshold, or so low that no answer is drafted
        (whichever figure each threshold reads: a recalibration that raises figures must not leave an abstention
        without a reason)."""
        return self.calibrated < self.escalate_below or (self.need.answerable and not self.answerable)

    def shown(self, answers: bool) -> float:
        """What the badge shows: the chance that the answer the draft states goes out with at most light edits.
        A draft that states no answer (`Plan.answers`: an abstention, a holding reply without facts) shows 0."""
        return self.calibrated if answers else 0.0

    def recorded(self, answers: bool) -> float | None:
        """The model's own figure, stored on the draft for the team's recalibration (`raw_confidence`); None
        for a draft that states no answer, whose edits say nothing about the answer's confidence."""
        return self.raw if answers and self.recalibrated else None

    def band(self, answers: bool, *, closing: bool = False) -> ConfidenceBand:
        if not answers:
            return ConfidenceBand.CLOSING if closing else ConfidenceBand.NO_ANSWER
        clear = self.margin is None or self.margin >= self.likely_sent_margin
        return answer_band(self.calibrated, clear=clear)


def answer_band(shown: float, *, clear: bool = True) -> ConfidenceBand:
    """The badge of a draft that answers, by its shown confidence and whether the stated unit stands clear of the
    rest of its article (the module docstring)."""
    if shown < LIKELY_SENT:
        return ConfidenceBand.CHECK
    return ConfidenceBand.LIKELY_SENT if clear else ConfidenceBand.CHECK_SENTENCE


@dataclass(frozen=True)
class ConfidencePolicy:
    model: ConfidenceModel
    recalibration: Recalibration
    abstain_below: float
    escalate_below: float
    needs: NeedModel
    abstain_reads_raw: bool  # True for the threshold fitted with the model (module docstring)

    def read(self, selection: Selection, thread: ThreadSignals | None = None) -> Confidence:
        evidence = features(selection, thread)  # read once: the confidence and the need model share it
        raw = self.model.probability(evidence)
        need = self.needs.read(selection, evidence, raw)
        return self._confidence(raw, self.recalibration.apply(raw), need, margin=stated_margin(selection))

    def read_chosen(self, own: Confidence, against: Selection, thread: ThreadSignals | None = None) -> Confidence:
        """The confidence of a draft on an article the selector did not prefer (Regenerate), which answers on that
        article alone (`own`, `read` on it: the agent asked for what it says): its figure, with the candidates it
        was chosen over still competing (`against`: `Selection.led_by` the unit it states). Read alone, nothing
        competes: on the realistic check half Regenerate's drafts showed 0.45 on average where 3.5 % were on the
        gold article (docs/evaluation.md)."""
        return replace(self.read(against, thread), need=own.need, margin=own.margin, chosen=True)

    def reusing(self, probability: float, articles: Confidence, *, same_article: bool) -> Confidence:
        """The confidence of a draft built on a reply the team sent before (`drafting.reuse`), against `articles`,
        the confidence of the articles' draft it replaces.

        A reply whose first citation is the article the articles' draft cites stands on the same article: it shows
        that draft's figure, the estimate that this article answers (the reuse model chose the reply for its
        wording, not for another article). Any other reply shows the reuse model's own probability. Either way the
        team's recalibration neither learns from it nor, for the reuse model's figure, maps it (no raw figure is
        stored: `recorded`): its edits are of another text than the one the figure was read for."""
        if same_article:
            return self.standing_on(articles)
        return self._confidence(probability, probability, articles.need, recalibrated=False)

    @staticmethod
    def standing_on(article: Confidence) -> Confidence:
        """A past reply's confidence as the figure of the article it stands on (`article`: the articles' draft on
        that article), neither learnt by the team's recalibration nor checked against the units the reply leaves
        out (`reusing`)."""
        return replace(article, recalibrated=False, margin=None)

    @classmethod
    def answered_before(cls, article: Confidence) -> Confidence:
        """The confidence of the team's answer to this very question (`drafting.reuse.SAME_QUESTION`), on a ticket
        that ended well: `standing_on` the article it cites, and answerable where the need model reads no article
        answering it. That model reads whether an *article* answers the words in front of it; the team, answering
        the same question from that article, said one does. The threshold still reads the article's figure, and a
        lead's call stays a lead's."""
        need = article.need if article.need.answerable else NeedReading(Need.ANSWER, article.need.probabilities)
        return replace(cls.standing_on(article), need=need)

    def _confidence(
        self,
        raw: float,
        calibrated: float,
        need: NeedReading,
        *,
        recalibrated: bool = True,
        margin: float | None = None,
    ) -> Confidence:
        """A figure read against this policy's thresholds (one place, so every kind of draft reads them alike)."""
        return Confidence(
            raw,
            calibrated,
            self.abstain_below,
            self.escalate_below,
            need,
            recalibrated=recalibrated,
            abstain_reads_raw=self.abstain_reads_raw,
            margin=margin,
            likely_sent_margin=self.model.likely_sent_margin,
        )
