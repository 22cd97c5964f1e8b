"""The 8-bit storage both shipped networks use (sentiment, answer reader), under the 25 MB artifact limit.

Every weight matrix (word embeddings included: fine-tuning trains them too) is stored as int8 with one
float16 scale per row, vectors as float16: about 23 MB for MiniLM's 22.7 M parameters, and scores move by
less than a rounding step (each training report compares the stored network with the trained one).
"""

from __future__ import annotations

from typing import Any

_SCALE = ".scale"


def quantise(state: dict[str, Any]) -> dict[str, Any]:
    """Matrices to int8 rows with a float16 scale each (symmetric), everything else to float16."""
    import torch

    out: dict[str, Any] = {}
    for name, tensor in state.items():
        tensor = tensor.detach().to("cpu", torch.float32)
        if tensor.dim() == 2 and tensor.shape[0] > 1 and tensor.numel() >= 4096:
            scale = (tensor.abs().amax(dim=1, keepdim=True) / 127.0).clamp(min=1e-8)
            out[name] = torch.round(tensor / scale).to(torch.int8).contiguous()
            out[name + _SCALE] = scale.half().contiguous()
        else:
            out[name] = tensor.half().contiguous()
    return out


def dequantise(stored: dict[str, Any]) -> dict[str, Any]:
    import torch

    state = {}
    for name, tensor in stored.items():
        if name.endswith(_SCALE):
            continue
        scale = stored.get(name + _SCALE)
        state[name] = tensor.to(torch.float32) * scale.to(torch.float32) if scale is not None else tensor.float()
    return state
