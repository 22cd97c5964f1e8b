"""Recalibration on the team's own sends (Platt scaling).

The shipped confidence model was fitted on labelled questions; a team's articles, tickets and habits
differ. Every send records the draft and its edit distance, so once there are enough sends,
`python -m assist train confidence --from-db` fits p' = sigmoid(a · logit(p) + b) so that the shown
confidence matches how often this team sends a draft with at most light edits. Platt rather than
isotonic: isotonic regression is a step function, and on a few hundred sends it would show the same
value for most drafts (the defect this replaced: 95 of 124 drafts at exactly 98%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from assist.errors import ValidationError

MIN_SENDS = 50
_EPS = 1e-4


@dataclass(frozen=True)
class Recalibration:
    slope: float = 1.0
    intercept: float = 0.0
    sends: int = 0
    fitted_at: datetime | None = None

    @property
    def fitted(self) -> bool:
        """Fitted on a team's sends (the store gives `IDENTITY`, with no date, when the team has none)."""
        return self.fitted_at is not None

    def apply(self, raw: float) -> float:
        return round(float(self.apply_all(np.array([raw]))[0]), 4)

    def apply_all(self, raw: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The same mapping over many confidences at once (the Metrics calibration chart)."""
        z = self.slope * _logits(raw) + self.intercept
        result: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
        return result


IDENTITY = Recalibration()


def fit(raw: Sequence[float], light: Sequence[bool], *, fitted_at: datetime | None = None) -> Recalibration:
    """Fit on (raw confidence shown at the time, sent with light edits) pairs."""
    if len(raw) < MIN_SENDS:
        raise ValidationError(
            f"Only {len(raw)} sent drafts with a recorded confidence; recalibration needs at least {MIN_SENDS}. "
            "Keep sending replies from drafts and run it again later."
        )
    if len(set(light)) < 2:
        raise ValidationError(
            "Every recorded send has the same outcome (all lightly edited, or none), so there is nothing to "
            "calibrate against yet. Run it again after more sends."
        )
    scaled = platt(raw, light)
    return Recalibration(scaled.slope, scaled.intercept, sends=len(raw), fitted_at=fitted_at)


def platt(raw: Sequence[float], outcome: Sequence[bool]) -> Recalibration:
    """The Platt scaling of `raw` that best predicts `outcome`.

    Raises:
        ValidationError: the outcomes are not both present.
    """
    if len(set(outcome)) < 2:
        raise ValidationError(
            f"A Platt scaling needs both outcomes among its {len(outcome)} figures; give it lines that are right "
            "and lines that are wrong."
        )
    from sklearn.linear_model import LogisticRegression

    xs = _logits(np.asarray(raw, dtype=float)).reshape(-1, 1)
    model = LogisticRegression(C=100.0).fit(xs, list(outcome))
    return Recalibration(slope=round(float(model.coef_[0][0]), 4), intercept=round(float(model.intercept_[0]), 4))


def _logits(raw: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    p = np.clip(raw, _EPS, 1 - _EPS)
    result: npt.NDArray[np.float64] = np.log(p / (1 - p))
    return result
