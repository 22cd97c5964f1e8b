"""The sentiment trainer's calibration: tone's temperature and frustration's scaling, fitted on the support-style dev
rows alone where there are enough (fakes for the network: no model is loaded and nothing is trained here)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from assist.dev.training import sentiment as trainer
from assist.dev.training.sentiment import SUPPORT_FRUSTRATION, fit_calibration


def _fake_logits(frustration: dict[str, float] | None = None, tone: dict[str, Any] | None = None) -> Any:
    """The network's (tone, complaint, frustration) logits by text; a text not given reads 0 on that head."""
    frustration, tone = frustration or {}, tone or {}

    def logits(network: Any, tokenizer: Any, texts: list[str], max_tokens: int) -> tuple[Any, Any, Any]:
        return (
            np.stack([tone.get(t, np.zeros(3, dtype=np.float32)) for t in texts]),
            np.zeros(len(texts), dtype=np.float32),
            np.array([frustration.get(t, 0.0) for t in texts], dtype=np.float32),
        )

    return logits


TONE = pd.DataFrame({"text": ["a", "b", "c"], "label": ["negative", "neutral", "positive"]})


def _rows(prefix: str, labels: list[int], readings: list[float]) -> tuple[pd.DataFrame, dict[str, float]]:
    texts = [f"{prefix} {i}" for i in range(len(labels))]
    return pd.DataFrame({"text": texts, "label": labels}), dict(zip(texts, readings, strict=True))


def test_frustration_s_scaling_is_fitted_on_the_support_dev_rows_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # Support: frustrated from the middle of its readings up. Reddit: calm there, frustrated only above them, so a
    # scaling fitted on both would read the frustrated support messages as calm.
    support_labels = [0] * 60 + [1] * 60
    support, support_logits = _rows("support", support_labels, [-2 + 0.02 * i for i in range(120)])
    reddit, reddit_logits = _rows("reddit", [0] * 160 + [1] * 40, [-2 + 0.02 * i for i in range(200)])
    monkeypatch.setattr(trainer, "logits", _fake_logits({**reddit_logits, **support_logits}))

    without = fit_calibration(None, None, {"tweets": TONE, "frustration_goemotions": reddit}, max_tokens=96)
    calibration = fit_calibration(
        None, None, {"tweets": TONE, "frustration_goemotions": reddit, SUPPORT_FRUSTRATION: support}, max_tokens=96
    )
    readings = np.array(list(support_logits.values()), dtype=np.float32)
    frustrated = np.array(support_labels) == 1
    shown = calibration.frustration(readings)
    assert shown[frustrated].min() > 0.5 > shown[~frustrated].max()
    assert without.frustration(readings)[frustrated].mean() < 0.5  # Reddit's scaling reads them as calm


@pytest.mark.parametrize(
    ("labels", "why"),
    [([1] * 150, "one label only"), ([0] * 60 + [1] * 10, "too few rows"), ([0] * 140 + [1] * 10, "too few of one")],
)
def test_too_few_support_dev_rows_leave_frustration_to_every_source(
    monkeypatch: pytest.MonkeyPatch, labels: list[int], why: str
) -> None:
    support, support_logits = _rows("support", labels, [0.01 * i for i in range(len(labels))])
    reddit, reddit_logits = _rows("reddit", [0, 1] * 50, [0.01 * i for i in range(100)])  # Platt needs both labels
    monkeypatch.setattr(trainer, "logits", _fake_logits({**reddit_logits, **support_logits}))
    dev = {"tweets": TONE, "frustration_goemotions": reddit, SUPPORT_FRUSTRATION: support}
    calibration = fit_calibration(None, None, dev, max_tokens=96)
    # As if the support rows were any other source: every frustration dev set counting equally.
    anonymous = {"tweets": TONE, "frustration_goemotions": reddit, "frustration_other": support}
    expected = fit_calibration(None, None, anonymous, max_tokens=96)
    assert calibration == expected, why


def _toned(prefix: str, n: int, *, margin: float, right: float, rng: np.random.Generator) -> tuple[Any, Any, float]:
    """n rows whose logits favour one tone by `margin`, the favoured tone being the labelled one about a `right`
    share of the time; returns the frame, its logits by text, and the share right it was drawn with."""
    labels = rng.integers(0, 3, n)
    hit = rng.uniform(0, 1, n) < right
    favoured = np.where(hit, labels, (labels + rng.integers(1, 3, n)) % 3)
    tone = np.zeros((n, 3), dtype=np.float32)
    tone[np.arange(n), favoured] = margin
    texts = [f"{prefix} {i}" for i in range(n)]
    frame = pd.DataFrame({"text": texts, "label": [("negative", "neutral", "positive")[g] for g in labels]})
    return frame, dict(zip(texts, tone, strict=True)), float(hit.mean())


@pytest.mark.parametrize("support_rows", [trainer.SUPPORT_MIN_ROWS, trainer.SUPPORT_MIN_ROWS - 1])
def test_tone_is_as_sure_as_the_support_dev_rows_are_right(monkeypatch: pytest.MonkeyPatch, support_rows: int) -> None:
    # Tweets: a margin of 3 and right about 90 % of the time. Support messages: the same margin, right about 70 % of
    # the time. The least log-loss makes the favoured tone's probability the share right of the rows it is fitted
    # on: the support rows' alone where there are enough, else the mean of both sources' shares.
    rng = np.random.default_rng(3)
    tweets, tweet_logits, tweets_right = _toned("tweet", 2000, margin=3.0, right=0.9, rng=rng)
    support, support_logits, support_right = _toned(trainer.SUPPORT, support_rows, margin=3.0, right=0.7, rng=rng)
    monkeypatch.setattr(trainer, "logits", _fake_logits(tone={**tweet_logits, **support_logits}))

    dev = {"tweets": tweets, trainer.SUPPORT: support}
    temperature = fit_calibration(None, None, dev, max_tokens=96).temperature
    sure = np.exp(3.0 / temperature) / (np.exp(3.0 / temperature) + 2)  # the favoured tone's probability
    if support_rows >= trainer.SUPPORT_MIN_ROWS:
        assert trainer.tone_temperature_source(dev) == trainer.SUPPORT
        assert sure == pytest.approx(support_right, abs=0.01)
    else:  # too few to decide alone: every source counts equally
        assert trainer.tone_temperature_source(dev) == "every tone dev set"
        assert sure == pytest.approx((tweets_right + support_right) / 2, abs=0.01)
