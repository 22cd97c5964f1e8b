"""The shipped sentiment model's storage format: only what differs from the packaged MiniLM.

Fine-tuning freezes the word embeddings, so the artifact holds the six transformer layers, the
pooler and the classifier in float16 (about 21 MB, under the 25 MB limit) plus a config with the
labels. Loading rebuilds a standard `BertForSequenceClassification` on top of the packaged base.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assist.embeddings import packaged_model_path
from assist.errors import ConfigError

SHIPPED = Path(__file__).parent / "model"
DELTA = "delta.safetensors"
LABELS = ("negative", "neutral", "positive")


def save_delta(model: Any, target: Path, *, report: dict[str, Any]) -> int:
    """Write the trainable parameters as float16 plus config and training report; returns bytes written."""
    from safetensors.torch import save_file

    target.mkdir(parents=True, exist_ok=True)
    delta = {
        name: param.detach().to("cpu").half().contiguous()
        for name, param in model.named_parameters()
        if param.requires_grad
    }
    save_file(delta, str(target / DELTA))
    model.config.to_json_file(str(target / "config.json"))
    (target / "training_report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return (target / DELTA).stat().st_size


def load_model(path: Path | None = None) -> tuple[Any, Any, str]:
    """(model, tokenizer, name): the shipped delta over the packaged base, or any local HF model directory."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # the delta supplies the classifier
    directory = path or SHIPPED
    if not (directory / "config.json").exists():
        raise ConfigError(
            f"No sentiment model at {directory}. Point SENTIMENT_MODEL to a local Hugging Face model folder, "
            "or rebuild the shipped one with `python -m assist train sentiment`."
        )
    if not (directory / DELTA).exists():  # a complete model folder (SENTIMENT_MODEL)
        model = AutoModelForSequenceClassification.from_pretrained(directory, local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
        return model.eval(), tokenizer, directory.name
    from safetensors.torch import load_file

    base = packaged_model_path()
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=len(config["id2label"]),
        id2label={int(k): v for k, v in config["id2label"].items()},
        label2id=config["label2id"],
        local_files_only=True,
    )
    delta = {name: tensor.to(torch.float32) for name, tensor in load_file(str(directory / DELTA)).items()}
    missing = set(delta) - set(dict(model.named_parameters()))
    if missing:
        raise ConfigError(f"The sentiment model at {directory} does not fit the packaged base ({sorted(missing)[:3]}).")
    model.load_state_dict(delta, strict=False)
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    return model.eval(), tokenizer, "minilm-sentiment"
