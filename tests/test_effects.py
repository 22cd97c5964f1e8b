"""The intervals the experiment comparison reports: do they hold the true difference as often as they say?"""

from __future__ import annotations

import random

import pytest

from assist.effects import MIN_PER_ARM, Statistic, difference


def _groups(seed: int, *, statistic: Statistic, shift: float, n: int) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    if statistic == "rate":  # escalated or not: one in ten, and one in ten plus the shift
        return [float(rng.random() < 0.1 + shift) for _ in range(n)], [float(rng.random() < 0.1) for _ in range(n)]
    control = [rng.expovariate(1 / 8) for _ in range(n)]  # skewed, as handle times are
    return [rng.expovariate(1 / 8) + shift for _ in range(n)], control


@pytest.mark.parametrize(
    ("statistic", "n"),
    # A median's bootstrap is conservative with few tickets (60 each: every interval held the truth), so its
    # coverage is checked where the page needs it to be right: at experiment sizes.
    [("mean", 30), ("median", 150), ("rate", 60)],
)
@pytest.mark.parametrize("shift", [0.0, 1.0])
def test_the_95_percent_interval_holds_the_true_difference_about_95_times_in_100(
    statistic: Statistic, n: int, shift: float
) -> None:
    truth = shift / 10 if statistic == "rate" else -3 * shift
    covered = family = 0
    for seed in range(200):
        d = difference(*_groups(seed, statistic=statistic, shift=truth, n=n), statistic=statistic, family=6, seed=seed)
        assert d.low is not None and d.high is not None and d.family_low is not None and d.family_high is not None
        covered += d.low <= truth <= d.high
        family += d.family_low <= truth <= d.family_high
    assert 180 <= covered <= 198  # 90-99 %: neither too narrow nor needlessly wide
    assert family >= 196 and family >= covered  # the interval a verdict reads holds six measures together


def test_a_verdict_needs_enough_tickets_in_each_group_even_when_the_interval_excludes_zero() -> None:
    few = difference([1.0, 1.1, 0.9] * 5, [5.0, 5.1, 4.9] * 5, statistic="mean")
    assert few.excludes_zero and not few.decided
    many = difference([1.0, 1.1, 0.9] * MIN_PER_ARM, [5.0, 5.1, 4.9] * MIN_PER_ARM, statistic="mean")
    assert many.decided and many.difference == pytest.approx(-4.0)


def test_the_tickets_needed_grow_with_the_square_of_a_shrinking_difference() -> None:
    _, control = _groups(3, statistic="mean", shift=0.0, n=200)
    half = difference([c - 0.5 for c in control], control, statistic="mean")  # the same spread, a known shift
    one = difference([c - 1.0 for c in control], control, statistic="mean")
    assert half.needed() is not None and one.needed() is not None
    assert half.needed()[0] == pytest.approx(4 * one.needed()[0], rel=0.01)  # type: ignore[index]
    assert one.needed()[0] > 200  # type: ignore[index]  # an hour on a spread of eight: more than it has
    assert difference([], [1.0, 2.0], statistic="median").difference is None


def test_a_rate_of_none_against_a_few_gets_an_honest_interval_and_no_verdict_from_twenty_tickets() -> None:
    """0 of 20 against 4 of 20: the normal interval said "worse" (2 to 38 points); Fisher's exact test says p 0.11."""
    d = difference([0.0] * 20, [1.0] * 4 + [0.0] * 16, statistic="rate", family=6)
    assert d.low is not None and d.high is not None and d.low < -0.2 and d.high > -0.05
    assert not d.decided


def test_half_an_arm_unfinished_has_no_median_yet() -> None:
    d = difference([1.0] * 10, [2.0] * 4 + [float("inf")] * 6, statistic="median")
    assert d.control == float("inf") and d.difference is None and d.low is None and not d.decided
