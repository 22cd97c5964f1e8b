"""How the stored calibration turns the network's logits into the probabilities the product shows, and how the
trainer fits frustration's curve on support-style messages (fakes for the network: no model is loaded here)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from assist.dev.training import sentiment as trainer
from assist.dev.training.sentiment import CURVE_FLOOR, SUPPORT_FRUSTRATION, fit_calibration, frustration_curve
from assist.drafting.confidence import expected_calibration_error
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
    config = calibration.to_config()
    assert config["frustration_curve"] == [[0.1, 0.2], [0.8, 0.9]]  # JSON-ready
    assert Calibration.from_config(config) == calibration
    assert Calibration.from_config({"temperature": 1.1}) == Calibration(temperature=1.1)  # models stored before


def test_the_curve_raises_readings_that_under_read_and_keeps_their_order() -> None:
    # The middle readings are frustrated twice as often as read, the ends are right: what support dev rows show.
    rng = np.random.default_rng(7)
    read = rng.uniform(0, 1, 4000)
    truth = np.where((read > 0.1) & (read < 0.45), np.minimum(1, 2 * read), read)
    frustrated = rng.uniform(0, 1, 4000) < truth
    curve = frustration_curve(read, frustrated)
    xs, ys = (np.array(v) for v in zip(*curve, strict=True))
    assert np.all(np.diff(xs) > 0) and np.all(np.diff(ys) >= 0)
    assert ys.min() >= CURVE_FLOOR and ys.max() <= 1 - CURVE_FLOOR
    mapped = np.interp(read, xs, ys)
    assert np.interp(0.3, xs, ys) > 0.45  # read 0.3, frustrated about 0.6 of the time
    before = expected_calibration_error(read.tolist(), frustrated.tolist())
    assert expected_calibration_error(mapped.tolist(), frustrated.tolist()) < before / 2


def _fake_logits(by_text: dict[str, float]) -> Any:
    def logits(network: Any, tokenizer: Any, texts: list[str], max_tokens: int) -> tuple[Any, Any, Any]:
        frustration = np.array([by_text.get(t, 0.0) for t in texts], dtype=np.float32)
        return np.zeros((len(texts), 3), dtype=np.float32), np.zeros(len(texts), dtype=np.float32), frustration

    return logits


def _rows(prefix: str, n: int, frustrated_share: float) -> tuple[pd.DataFrame, dict[str, float]]:
    texts = [f"{prefix} {i}" for i in range(n)]
    labels = [int(i < n * frustrated_share) for i in range(n)]
    readings = {t: (1.0 if label else -1.0) + 0.01 * i for i, (t, label) in enumerate(zip(texts, labels, strict=True))}
    return pd.DataFrame({"text": texts, "label": labels}), readings


def test_the_curve_is_fitted_on_the_support_dev_rows_only(monkeypatch: pytest.MonkeyPatch) -> None:
    reddit, reddit_logits = _rows("reddit", 40, 0.2)
    support, support_logits = _rows("support", 40, 0.5)
    monkeypatch.setattr(trainer, "logits", _fake_logits({**reddit_logits, **support_logits}))
    tone = pd.DataFrame({"text": ["a", "b", "c"], "label": ["negative", "neutral", "positive"]})

    without = fit_calibration(None, None, {"tweets": tone, "frustration_goemotions": reddit}, max_tokens=96)
    with_support = fit_calibration(
        None, None, {"tweets": tone, "frustration_goemotions": reddit, SUPPORT_FRUSTRATION: support}, max_tokens=96
    )
    assert without.frustration_curve == ()
    assert with_support.frustration_curve != ()
    # On the support rows the curve reads what they are: the frustrated ones high, the others low.
    shown = with_support.frustration(np.array(list(support_logits.values()), dtype=np.float32))
    assert shown[support["label"] == 1].min() > 0.9 and shown[support["label"] == 0].max() < 0.1
