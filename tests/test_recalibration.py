"""Platt recalibration on a team's sends, and where it is stored."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from sqlalchemy import Engine

from assist.errors import ValidationError
from assist.recalibration import IDENTITY, MIN_SENDS, Recalibration, fit
from assist.store import make_engine, upgrade
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


def test_a_new_database_at_the_same_address_does_not_read_the_old_one_s_recalibration(tmp_path: Path) -> None:
    """The cache belongs to the engine: a workspace recreated at the same URL (or another PostgreSQL schema behind
    one URL) starts from the identity, not from what the previous one had stored seconds before."""
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    old = make_engine(url)
    upgrade(old)
    save_recalibration(old, Recalibration(slope=0.5, intercept=-0.2, sends=80))
    assert current_recalibration(old).sends == 80
    old.dispose()
    (tmp_path / "workspace.db").unlink()
    new = make_engine(url)
    upgrade(new)
    assert current_recalibration(new) == IDENTITY
