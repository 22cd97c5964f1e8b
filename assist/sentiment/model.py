"""The local transformer sentiment classifier: P(negative, neutral, positive) for each text."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assist.errors import ConfigError
from assist.sentiment.artifact import LABELS, load_model

MAX_TOKENS = 128


class SentimentModel:
    """Wraps a 2- or 3-label Hugging Face sequence classifier; thread-safe, CPU only.

    `label_map` maps the model's own label names to negative/neutral/positive when they differ
    (e.g. {"LABEL_0": "negative", "LABEL_1": "positive"}). A 2-label model never says neutral.
    """

    def __init__(self, path: Path | None = None, *, label_map: dict[str, str] | None = None) -> None:
        import torch

        self._torch = torch
        self.model, self.tokenizer, self.name = load_model(path)
        id2label: dict[int, str] = {int(k): v for k, v in self.model.config.id2label.items()}
        mapping = {k.lower(): v.lower() for k, v in (label_map or {}).items()}
        self._columns: list[int] = []
        for i in range(len(id2label)):
            label = mapping.get(id2label[i].lower(), id2label[i].lower())
            if label not in LABELS:
                raise ConfigError(
                    f"Sentiment model label '{id2label[i]}' is not negative/neutral/positive. Set SENTIMENT_LABELS, "
                    'e.g. {"LABEL_0": "negative", "LABEL_1": "positive"}.'
                )
            self._columns.append(LABELS.index(label))
        self._lock = threading.Lock()

    def predict(self, texts: Sequence[str], *, batch_size: int = 64) -> npt.NDArray[np.float32]:
        """Rows of [P(negative), P(neutral), P(positive)], one per text."""
        torch = self._torch
        out = np.zeros((len(texts), 3), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start : start + batch_size])
            tokens = self.tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            with self._lock, torch.inference_mode():
                probs = torch.softmax(self.model(**tokens).logits, dim=-1).numpy()
            out[start : start + len(batch), self._columns] = probs
        return out

    def predict_one(self, text: str) -> npt.NDArray[np.float32]:
        row: npt.NDArray[np.float32] = self.predict([text])[0]
        return row

    @property
    def backbone(self) -> Any:
        return self.model
