"""How the stored calibration turns the network's logits into the probabilities the product shows (no model
loaded here; the trainer's fit is in tests/dev/training/test_sentiment_calibration.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assist.errors import ConfigError
from assist.sentiment.artifact import Calibration


def _sigmoid_inverse(p: float) -> float:
    return float(np.log(p / (1 - p)))


def test_without_a_curve_frustration_is_the_fitted_sigmoid() -> None:
    calibration = Calibration(frustration_scale=2.0, frustration_shift=-1.0)
    logits = np.array([-3.0, 0.0, 0.5, 4.0], dtype=np.float32)
    assert calibration.frustration(logits) == pytest.approx(1 / (1 + np.exp(-(2 * logits - 1))), abs=1e-6)


def test_the_curve_maps_the_sigmoid_through_its_points_and_holds_its_ends() -> None:
    calibration = Calibration(frustration_curve=((0.1, 0.05), (0.2, 0.4), (0.9, 0.95)))
    probabilities = np.array([0.01, 0.1, 0.15, 0.2, 0.55, 0.99])
    shown = calibration.frustration(np.array([_sigmoid_inverse(p) for p in probabilities], dtype=np.float32))
    assert shown == pytest.approx([0.05, 0.05, 0.225, 0.4, 0.675, 0.95], abs=1e-4)


def test_the_curve_survives_the_stored_config() -> None:
    calibration = Calibration(temperature=1.2, frustration_shift=0.3, frustration_curve=((0.1, 0.2), (0.8, 0.9)))
    stored = json.loads(json.dumps(calibration.to_config()))
    assert Calibration.from_config(stored) == calibration
    assert Calibration.from_config({"temperature": 1.1}) == Calibration(temperature=1.1)  # models stored before


@pytest.mark.parametrize(
    "curve",
    [
        [[0.5, 0.2], [0.4, 0.3]],  # x falls: np.interp would read it wrongly, silently
        [[0.4, 0.2], [0.4, 0.3]],  # x repeats
        [[0.1, 0.6], [0.4, 0.3]],  # y falls
        [[0.1, 0.2], [0.4, 1.3]],  # not a probability
        "not a curve",
    ],
)
def test_a_broken_curve_in_a_stored_config_is_a_clear_error(curve: object) -> None:
    with pytest.raises(ConfigError, match="git checkout assist/sentiment/model"):
        Calibration.from_config({"frustration_curve": curve})
