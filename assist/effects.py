"""The difference between two groups with its 95 % interval, and how many more of each it would take to tell.

- Means get Welch's interval (t with Welch's degrees of freedom: a few dozen CSAT ratings are not many).
- Rates (reopened or not, escalated or not) get Newcombe's hybrid score interval, which stays honest for 0 of 20.
- Medians, which the time measures use because a few tickets left open for a week would swamp a mean, get a
  percentile bootstrap. An unfinished ticket counts as +inf (later than anything finished), so the slow arm is not
  flattered by leaving its slowest tickets out; while half an arm is unfinished its median is "not yet".

Verdicts look at several measures at once, so each is judged on its family-wise interval (Bonferroni over the
measures compared), while the 95 % interval is what the page shows. "Tickets needed" is the count at which the
interval would exclude zero with 80 % power were the true difference the one seen: both groups scaled by
((z₉₇.₅ + z₈₀) · se / |difference|)², since an interval narrows with the square root of the count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

Z95 = 1.959964
Z_POWER = 0.841621  # 80 % power
MIN_PER_ARM = 20  # below this, an interval is shown but no verdict: a handful of tickets can point anywhere
RESAMPLES = 1000
_DRAWS_PER_CHUNK = 2_000_000  # indices drawn at once, so a large experiment's bootstrap stays in memory

Statistic = Literal["mean", "median", "rate"]


@dataclass(frozen=True, slots=True)
class Difference:
    """`treated` − `control` of a statistic, with its 95 % interval, the family-wise interval a verdict needs and
    the standard error (None where there is no interval yet)."""

    treated: float | None
    control: float | None
    n_treated: int
    n_control: int
    difference: float | None = None
    low: float | None = None
    high: float | None = None
    se: float | None = None
    family_low: float | None = None
    family_high: float | None = None

    @property
    def excludes_zero(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)

    @property
    def decided(self) -> bool:
        """Enough tickets in each group and a family-wise interval that excludes zero: a verdict is supported."""
        lo, hi = self.family_low, self.family_high
        return (
            min(self.n_treated, self.n_control) >= MIN_PER_ARM
            and lo is not None
            and hi is not None
            and (lo > 0 or hi < 0)
        )

    def needed(self) -> tuple[int, int] | None:
        """Tickets each group needs (treated, control) for the interval to exclude zero with 80 % power, were the
        difference what it is now; None when there is no difference to detect or no interval yet."""
        if self.se is None or self.difference is None or self.difference == 0:
            return None
        scale = max(1.0, ((Z95 + Z_POWER) * self.se / abs(self.difference)) ** 2)
        return (
            max(MIN_PER_ARM, math.ceil(self.n_treated * scale)),
            max(MIN_PER_ARM, math.ceil(self.n_control * scale)),
        )


def difference(
    treated: Sequence[float], control: Sequence[float], *, statistic: Statistic, family: int = 1, seed: int = 0
) -> Difference:
    """The difference of `statistic` between the groups, with its 95 % interval and the interval that holds for
    `family` measures judged together."""
    a, b = np.asarray(treated, dtype=float), np.asarray(control, dtype=float)
    ta, tb = _point(a, statistic), _point(b, statistic)
    base = Difference(ta, tb, len(a), len(b))
    if ta is None or tb is None or not (math.isfinite(ta) and math.isfinite(tb)):
        return base
    if min(len(a), len(b)) < 2:
        return Difference(ta, tb, len(a), len(b), ta - tb)
    alpha = 0.05 / family
    if statistic == "mean":
        (low, high), (family_low, family_high), se = _welch(a, b, 0.05), _welch(a, b, alpha), _welch_se(a, b)
    elif statistic == "rate":
        (low, high), (family_low, family_high) = _newcombe(a, b, Z95), _newcombe(a, b, _z(alpha))
        se = (high - low) / (2 * Z95)
    else:
        draws = _bootstrap_medians(a, seed) - _bootstrap_medians(b, seed + 1)
        if not np.all(np.isfinite(draws)):  # some resamples are half unfinished: no interval yet
            return Difference(ta, tb, len(a), len(b), ta - tb)
        low, high, family_low, family_high = (
            float(x) for x in np.percentile(draws, [2.5, 97.5, 50 * alpha, 100 - 50 * alpha])
        )
        se = float(draws.std(ddof=1))
    return Difference(ta, tb, len(a), len(b), ta - tb, low, high, se, family_low, family_high)


def _point(values: np.ndarray, statistic: Statistic) -> float | None:
    if not len(values):
        return None
    return float(np.median(values) if statistic == "median" else np.mean(values))


def _z(alpha: float) -> float:
    return float(stats.norm.ppf(1 - alpha / 2))


def _welch_se(a: np.ndarray, b: np.ndarray) -> float:
    return math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))


def _welch(a: np.ndarray, b: np.ndarray, alpha: float) -> tuple[float, float]:
    d, se = float(a.mean() - b.mean()), _welch_se(a, b)
    if se == 0:
        return d, d
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = se**4 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    t = float(stats.t.ppf(1 - alpha / 2, df))
    return d - t * se, d + t * se


def _wilson(successes: float, n: int, z: float) -> tuple[float, float]:
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _newcombe(a: np.ndarray, b: np.ndarray, z: float) -> tuple[float, float]:
    """Newcombe's hybrid score interval for a difference of two proportions (his method 10)."""
    p1, p2 = float(a.mean()), float(b.mean())
    l1, u1 = _wilson(float(a.sum()), len(a), z)
    l2, u2 = _wilson(float(b.sum()), len(b), z)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def _bootstrap_medians(values: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    chunk = max(1, _DRAWS_PER_CHUNK // len(values))
    out = []
    for done in range(0, RESAMPLES, chunk):
        picks = rng.integers(0, len(values), size=(min(chunk, RESAMPLES - done), len(values)))
        out.append(np.median(values[picks], axis=1))
    return np.concatenate(out)
