"""The difference between two groups with its 95 % interval, and how many more of each it would take to tell.

Means get Welch's normal interval (the sample means of a few dozen tickets are near normal, and it is exact to
compute); medians, which time measures use because a few tickets left open for a week would swamp a mean, get a
percentile bootstrap. Both scale the same way to "how many per arm": an interval's half-width shrinks with the
square root of the count, so at the observed difference both arms need (1.96 · se / |difference|)² times what
they hold for the interval to exclude zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Z95 = 1.959964
MIN_PER_ARM = 20  # below this, an interval is shown but no verdict: a handful of tickets can point anywhere
RESAMPLES = 1000
_DRAWS_PER_CHUNK = 2_000_000  # indices drawn at once, so a large experiment's bootstrap stays in memory

Statistic = Literal["mean", "median"]


@dataclass(frozen=True, slots=True)
class Difference:
    """`treated` − `control` of a statistic, with its 95 % interval and standard error (None below 2 per group)."""

    treated: float | None
    control: float | None
    n_treated: int
    n_control: int
    difference: float | None
    low: float | None
    high: float | None
    se: float | None

    @property
    def excludes_zero(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)

    @property
    def decided(self) -> bool:
        """Enough tickets in each group and an interval that excludes zero: the data supports a verdict."""
        return min(self.n_treated, self.n_control) >= MIN_PER_ARM and self.excludes_zero

    def needed(self) -> tuple[int, int] | None:
        """Tickets each group needs (treated, control) for the interval to exclude zero, were the difference what
        it is now; None when there is no difference to detect or no interval yet."""
        if self.se is None or self.difference is None or self.difference == 0:
            return None
        scale = max(1.0, (Z95 * self.se / abs(self.difference)) ** 2)
        return (
            max(MIN_PER_ARM, math.ceil(self.n_treated * scale)),
            max(MIN_PER_ARM, math.ceil(self.n_control * scale)),
        )


def difference(
    treated: Sequence[float], control: Sequence[float], *, statistic: Statistic, seed: int = 0
) -> Difference:
    """The difference of `statistic` between the groups, with its 95 % interval."""
    a, b = np.asarray(treated, dtype=float), np.asarray(control, dtype=float)
    ta = _point(a, statistic)
    tb = _point(b, statistic)
    if ta is None or tb is None or min(len(a), len(b)) < 2:
        return Difference(ta, tb, len(a), len(b), None if ta is None or tb is None else ta - tb, None, None, None)
    if statistic == "mean":
        se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
        low, high = ta - tb - Z95 * se, ta - tb + Z95 * se
    else:
        draws = _bootstrap_medians(a, seed) - _bootstrap_medians(b, seed + 1)
        low, high = (float(x) for x in np.percentile(draws, [2.5, 97.5]))
        se = float(draws.std(ddof=1))
    return Difference(ta, tb, len(a), len(b), ta - tb, low, high, se)


def _point(values: np.ndarray, statistic: Statistic) -> float | None:
    if not len(values):
        return None
    return float(np.mean(values) if statistic == "mean" else np.median(values))


def _bootstrap_medians(values: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    chunk = max(1, _DRAWS_PER_CHUNK // len(values))
    out = []
    for done in range(0, RESAMPLES, chunk):
        picks = rng.integers(0, len(values), size=(min(chunk, RESAMPLES - done), len(values)))
        out.append(np.median(values[picks], axis=1))
    return np.concatenate(out)
