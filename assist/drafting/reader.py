"""The answer reader: a cross-encoder that reads the customer's question and one candidate passage together
and scores how well the passage answers it.

A sentence encoder embeds question and passage apart, so the sentence that *restates* the customer's
problem ("Approved entries are locked") looks as close as the one that *solves* it ("an admin can unlock a
week from Approvals → Unlock"); read together, the attention between the two texts tells them apart. The
network is the packaged MiniLM with one linear head over its mean-pooled token states, trained by
`python -m assist train answers --public-only` on public customer-service and help-page relevance data (DSTC9
FAQ siblings, MedQuAD question types); the script's second stage on our fit tickets was measured and did not
help (docs/evaluation.md), so the shipped reader has seen no Lumen text. It is stored in 8 bits
(assist/quantised.py) and run with int8 matrix products on the CPU. Those quantise a batch's activations with one
scale, so a pair's logit is not the stored weights' (0.83 apart on average on the realistic check half's readings)
and moves with the passages read beside it; the models that read it were fitted on these scores, and float32 or
bfloat16 products with or without refitting them were measured and bought nothing yet (docs/evaluation.md).
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assist.embeddings import packaged_model_path
from assist.errors import ConfigError

SHIPPED = Path(__file__).with_name("reader")
WEIGHTS = "weights.safetensors"
CONFIG = "reader.json"
MAX_TOKENS = 128  # question and passage together; the longer side is cut first
QUESTION_TOKENS = 72  # a buried question is extracted first (assist/drafting/thread.py); this bounds the rest


def network(encoder: Any) -> Any:
    """The packaged MiniLM with a relevance head: mean-pooled token states -> one logit."""
    import torch

    class PairScorer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(int(encoder.config.hidden_size), 1)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any = None) -> Any:
            states = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
            return self.head(self.dropout(pooled)).squeeze(-1)

    return PairScorer()


def fresh_network() -> tuple[Any, Any]:
    """(network, tokenizer) initialised from the packaged MiniLM weights, with a new head."""
    from transformers import AutoModel, AutoTokenizer

    base = packaged_model_path()
    encoder = AutoModel.from_pretrained(base, local_files_only=True)
    return network(encoder), AutoTokenizer.from_pretrained(base, local_files_only=True)


def encode_pairs(tokenizer: Any, questions: Sequence[str], passages: Sequence[str]) -> Any:
    """Tokenised pairs as the network reads them, in training and in the product alike."""
    clipped = {q: _clip(tokenizer, q) for q in dict.fromkeys(questions)}  # the product asks one question about 8 times
    return tokenizer(
        [clipped[q] for q in questions],
        list(passages),
        truncation="longest_first",
        max_length=MAX_TOKENS,
        padding=True,
        return_tensors="pt",
    )


def _clip(tokenizer: Any, text: str) -> str:
    """The question's first QUESTION_TOKENS word pieces. The pair is then cut to MAX_TOKENS from its longer side, so a
    passage of more than 53 word pieces shortens a clipped question further, to 62 at the least."""
    ids = tokenizer(text, add_special_tokens=False, truncation=True, max_length=QUESTION_TOKENS)["input_ids"]
    return str(tokenizer.decode(ids)) if len(ids) >= QUESTION_TOKENS else text


class AnswerReader:
    """Scores (question, passage) pairs; build once and share (thread-safe)."""

    def __init__(self, directory: Path = SHIPPED, *, int8: bool = True) -> None:
        import torch
        from safetensors.torch import load_file
        from transformers import AutoConfig, AutoModel, AutoTokenizer

        from assist.quantised import dequantise

        weights = directory / WEIGHTS
        if not weights.exists():
            raise ConfigError(
                f"No answer reader at {directory}. Restore it with `git checkout {directory}` or retrain it with "
                "`python -m assist train answers`."
            )
        base = packaged_model_path()
        encoder = AutoModel.from_config(AutoConfig.from_pretrained(base, local_files_only=True))  # type: ignore[no-untyped-call]
        model = network(encoder)
        try:
            model.load_state_dict(dequantise(load_file(str(weights))), strict=True)
        except RuntimeError as e:
            raise ConfigError(
                f"The answer reader at {directory} does not fit the packaged MiniLM ({str(e)[:160]}). Restore it "
                f"with `git checkout {directory}` or retrain it with `python -m assist train answers`."
            ) from e
        model.eval()
        if int8:  # int8 matrix products: a third faster than float32 here, scores not the weights' (module doc)
            with warnings.catch_warnings():  # torch 2.13 announces a future replacement; the pinned version has it
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", UserWarning)
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)  # type: ignore[no-untyped-call]
        self._torch = torch
        self.model = model
        self.tokenizer: Any = AutoTokenizer.from_pretrained(base, local_files_only=True)
        self.config: dict[str, Any] = json.loads((directory / CONFIG).read_text(encoding="utf-8"))
        self._lock = threading.Lock()

    def scores(self, question: str, passages: Sequence[str]) -> npt.NDArray[np.float32]:
        """One logit per passage: higher answers the question better (comparable across passages)."""
        if not passages:
            return np.zeros(0, dtype=np.float32)
        # Tokenised under the lock: clipping the question and cutting the pairs set the fast tokenizer's shared
        # truncation and padding differently, and a thread between the two would cut another's pairs.
        with self._lock, self._torch.inference_mode():
            tokens = encode_pairs(self.tokenizer, [question] * len(passages), passages)
            logits = self.model(**tokens)
        return np.asarray(logits.float().numpy(), dtype=np.float32)
