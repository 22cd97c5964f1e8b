"""The local transformer sentiment model: tone, complaint and frustration probabilities for each text, one pass each."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assist.errors import ConfigError
from assist.sentiment.artifact import LABELS, SHIPPED, Calibration, kind, load_classifier, load_network

MAX_TOKENS = 128
COLUMNS = (*LABELS, "complaint", "frustration")  # the columns of `SentimentModel.predict`
COMPLAINT = COLUMNS.index("complaint")
FRUSTRATION = COLUMNS.index("frustration")


def multiplies_bfloat16(torch: Any) -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AVX-512 BF16 or AMX). The shipped network then runs its
    matrix products in bfloat16: about 1.7x faster on two cores, its probabilities within 0.011 of float32's on
    the support check set (docs/benchmarks.md). Elsewhere bfloat16 is emulated, slower than float32."""
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # torch.cpu's own probes (no public one)
    return any(getattr(torch.cpu, name, lambda: False)() for name in checks)


class SentimentModel:
    """Rows of [P(negative), P(neutral), P(positive), P(complaint), P(frustrated)]; thread-safe, CPU only.

    The shipped network reads tone, complaint and frustration from the same encoder pass. Any other local Hugging
    Face classifier (SENTIMENT_MODEL) with 2 or 3 labels works too: `label_map` maps its label names
    to negative/neutral/positive when they differ (e.g. {"LABEL_0": "negative", "LABEL_1": "positive"});
    a 2-label model never says neutral; a model without a complaint head reports 0 for complaint (its
    negativity already carries what it knows) and NaN for frustration (`analyze` then reads it from tone).
    """

    def __init__(
        self, path: Path | None = None, *, label_map: dict[str, str] | None = None, bfloat16: bool | None = None
    ) -> None:
        import torch

        self._torch = torch
        self._bfloat16 = multiplies_bfloat16(torch) if bfloat16 is None else bfloat16
        self._lock = threading.Lock()
        self.calibration: Calibration | None
        directory = path or SHIPPED
        if kind(directory) == "shipped":
            self.model, self.tokenizer, self.calibration = load_network(directory)
            self._columns = [0, 1, 2]
            self.name = "minilm-sentiment"
            return
        self.model, self.tokenizer = load_classifier(directory)
        self.calibration = None
        self.name = directory.name
        id2label: dict[int, str] = {int(k): v for k, v in self.model.config.id2label.items()}
        mapping = {k.lower(): v.lower() for k, v in (label_map or {}).items()}
        self._columns = []
        for i in range(len(id2label)):
            label = mapping.get(id2label[i].lower(), id2label[i].lower())
            if label not in LABELS:
                raise ConfigError(
                    f"Sentiment model label '{id2label[i]}' is not negative/neutral/positive. Set SENTIMENT_LABELS, "
                    'e.g. {"LABEL_0": "negative", "LABEL_1": "positive"}.'
                )
            self._columns.append(LABELS.index(label))

    def predict(self, texts: Sequence[str], *, batch_size: int = 64) -> npt.NDArray[np.float32]:
        """Rows of [P(negative), P(neutral), P(positive), P(complaint), P(frustrated)], one per text."""
        torch = self._torch
        out = np.zeros((len(texts), len(COLUMNS)), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start : start + batch_size])
            tokens = self.tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            with self._lock, torch.inference_mode():
                readings = self._forward(tokens)
            rows = slice(start, start + len(batch))
            out[rows, self._columns] = readings[0]
            if len(readings) == 1:
                out[rows, FRUSTRATION] = np.nan
            else:
                out[rows, COMPLAINT], out[rows, FRUSTRATION] = readings[1], readings[2]
        return out

    def _forward(self, tokens: Any) -> tuple[npt.NDArray[np.float32], ...]:
        """(tone,) from another classifier; (tone, complaint, frustration) from the shipped network."""
        if self.calibration is not None:
            from assist.sentiment.network import calibrated

            with self._torch.autocast("cpu", dtype=self._torch.bfloat16, enabled=self._bfloat16):
                return calibrated(self.model, tokens, self.calibration)
        return (self._torch.softmax(self.model(**tokens).logits, dim=-1).numpy(),)

    def predict_one(self, text: str) -> npt.NDArray[np.float32]:
        row: npt.NDArray[np.float32] = self.predict([text])[0]
        return row

    @property
    def backbone(self) -> Any:
        return self.model
