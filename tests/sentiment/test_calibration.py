"""How the stored calibration turns the network's logits into the probabilities the product shows (no model
loaded here; the trainer's fit is in tests/dev/training/test_sentiment_calibration.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assist.errors import ConfigError
from assist.sentiment.artifact import Calibration


def test_frustration_is_the_fitted_sigmoid() -> None:
    calibration = Calibration(frustration_scale=2.0, frustration_shift=-1.0)
    logits = np.array([-3.0, 0.0, 0.5, 4.0], dtype=np.float32)
    assert calibration.frustration(logits) == pytest.approx(1 / (1 + np.exp(-(2 * logits - 1))), abs=1e-6)


def test_the_calibration_survives_the_stored_config() -> None:
    calibration = Calibration(temperature=1.2, frustration_scale=0.9, frustration_shift=0.3)
    stored = json.loads(json.dumps(calibration.to_config()))
    assert Calibration.from_config(stored) == calibration
    assert Calibration.from_config({"temperature": 1.1}) == Calibration(temperature=1.1)


@pytest.mark.parametrize(
    "config",
    [
        {"temperature": 0.0},  # every tone would divide by zero
        {"temperature": "warm"},
        {"frustration_curve": [[0.1, 0.2], [0.4, 0.3]]},  # a config from before the curve was dropped
    ],
)
def test_a_broken_stored_config_is_a_clear_error(config: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="git checkout assist/sentiment/model"):
        Calibration.from_config(config)
