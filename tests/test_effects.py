"""The intervals the experiment comparison reports: do they hold the true difference as often as they say?"""

from __future__ import annotations

import random

import pytest

from assist.effects import MIN_PER_ARM, Statistic, difference


def _groups(seed: int, *, shift: float, n: int = 150) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    control = [rng.expovariate(1 / 8) for _ in range(n)]  # skewed, as handle times are
    treated = [rng.expovariate(1 / 8) + shift for _ in range(n)]
    return treated, control


@pytest.mark.parametrize("statistic", ["mean", "median"])
@pytest.mark.parametrize("shift", [-3.0, 0.0])
def test_the_95_percent_interval_holds_the_true_difference_about_95_times_in_100(
    statistic: Statistic, shift: float
) -> None:
    covered = 0
    for seed in range(100):
        d = difference(*_groups(seed, shift=shift), statistic=statistic, seed=seed)
        assert d.low is not None and d.high is not None
        covered += d.low <= shift <= d.high
    assert 88 <= covered <= 100


def test_a_verdict_needs_enough_tickets_in_each_group_even_when_the_interval_excludes_zero() -> None:
    few = difference([1.0, 1.1, 0.9] * 5, [5.0, 5.1, 4.9] * 5, statistic="mean")
    assert few.excludes_zero and not few.decided
    many = difference([1.0, 1.1, 0.9] * MIN_PER_ARM, [5.0, 5.1, 4.9] * MIN_PER_ARM, statistic="mean")
    assert many.decided and many.difference == pytest.approx(-4.0)


def test_the_tickets_needed_grow_with_the_square_of_a_shrinking_difference() -> None:
    _, control = _groups(3, shift=0.0, n=200)
    half = difference([c - 0.5 for c in control], control, statistic="mean")  # the same spread, a known shift
    one = difference([c - 1.0 for c in control], control, statistic="mean")
    assert half.needed() is not None and one.needed() is not None
    assert half.needed()[0] == pytest.approx(4 * one.needed()[0], rel=0.01)  # type: ignore[index]
    assert one.needed()[0] > 200  # type: ignore[index]  # an hour on a spread of eight: more than it has
    assert difference([], [1.0, 2.0], statistic="median").difference is None
