"""Platt recalibration on a team's sends, and where it is stored."""

from __future__ import annotations

import math
import random

import pytest
from sqlalchemy import Engine

from assist.errors import ValidationError
from assist.recalibration import IDENTITY, MIN_SENDS, Recalibration, fit
from assist.store.calibrations import current_recalibration, save_recalibration


def test_identity_leaves_the_confidence_as_it_is() -> None:
    assert IDENTITY.apply(0.73) == pytest.approx(0.73, abs=1e-4)


def test_fit_recovers_how_overconfident_the_shipped_model_is_for_this_team() -> None:
    rng = random.Random(3)
    raw = [rng.uniform(0.05, 0.95) for _ in range(4000)]

    def truth(p: float) -> float:  # the team edits more than the model expects
        return 1 / (1 + math.exp(-(0.6 * math.log(p / (1 - p)) - 0.8)))

    light = [rng.random() < truth(p) for p in raw]
    recalibration = fit(raw, light)
    assert recalibration.slope == pytest.approx(0.6, abs=0.1)
    assert recalibration.intercept == pytest.approx(-0.8, abs=0.15)
    assert recalibration.apply(0.9) == pytest.approx(truth(0.9), abs=0.03)


def test_too_few_sends_or_one_outcome_is_refused_with_what_to_do() -> None:
    with pytest.raises(ValidationError, match=f"at least {MIN_SENDS}"):
        fit([0.5] * 10, [True] * 10)
    with pytest.raises(ValidationError, match="same outcome"):
        fit([0.5] * MIN_SENDS, [True] * MIN_SENDS)


def test_the_newest_recalibration_is_the_one_in_use(engine: Engine) -> None:
    assert current_recalibration(engine) == IDENTITY
    save_recalibration(engine, Recalibration(slope=1.0, intercept=0.5, sends=60))
    save_recalibration(engine, Recalibration(slope=0.5, intercept=-0.2, sends=80))
    now = current_recalibration(engine)
    assert (now.slope, now.intercept, now.sends) == (0.5, -0.2, 80) and now.fitted_at is not None
