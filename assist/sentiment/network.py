"""The shipped sentiment network: one MiniLM pass, three readings of it.

The encoder's token states are mean-pooled (the pooling MiniLM was trained with as a sentence
encoder), then small heads read the same vector: *tone* (negative / neutral / positive, softmax),
*complaint* (is the customer reporting something that went wrong, sigmoid) and *frustration* (is the
customer fed up: anger, annoyance, disappointment, "I've wasted hours", sarcasm; sigmoid). A
complaint is often worded neutrally ("my order never arrived") and a polite complaint is not an
upset customer, so tone alone tells neither; all come from the one forward pass, so the extra
readings cost nothing at run time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from assist.sentiment.artifact import Calibration


class SentimentNetwork(torch.nn.Module):
    def __init__(self, encoder: Any, *, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.dropout = torch.nn.Dropout(dropout)
        self.tone = torch.nn.Linear(hidden, 3)
        self.complaint = torch.nn.Linear(hidden, 1)
        self.frustration = torch.nn.Linear(hidden, 1)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, **_: Any
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(tone logits [n, 3], complaint logit [n], frustration logit [n])."""
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = self.dropout((states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0))
        return self.tone(pooled), self.complaint(pooled).squeeze(-1), self.frustration(pooled).squeeze(-1)


def calibrated(
    network: SentimentNetwork, tokens: Any, calibration: Calibration
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """(P(negative, neutral, positive) [n, 3], P(complaint) [n], P(frustrated) [n]), calibrated as stored."""
    tone, complaint, frustration = (reading.float().numpy() for reading in network(**tokens))
    return calibration.tone(tone), calibration.complaint(complaint), calibration.frustration(frustration)
