"""The shipped sentiment model's storage format: the whole fine-tuned network in 8 bits (assist/quantised.py).

Every weight matrix (word embeddings included: fine-tuning trains them too) is stored as int8 with
one float16 scale per row, vectors as float16: about 23 MB for MiniLM's 22.7 M parameters, under
the 25 MB limit, and the scores move by less than a rounding step (the training report compares
the stored model with the trained one). The config carries the labels and the calibration fitted
on held-out rows (a temperature for tone, a Platt scaling for complaint and for frustration). Loading rebuilds
the packaged MiniLM's architecture and replaces every weight with the stored one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit, softmax

from assist.embeddings import packaged_model_path
from assist.errors import ConfigError
from assist.quantised import dequantise, quantise

SHIPPED = Path(__file__).parent / "model"
WEIGHTS = "weights.safetensors"
CONFIG = "sentiment.json"
REPORT = "training_report.json"
LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Calibration:
    """Post-hoc calibration fitted on held-out rows: tone logits / temperature; complaint and frustration
    sigmoid(a·logit + b) each. Tone's temperature and frustration's scaling are fitted on support-style messages
    where the trainer has enough of them: the product reads messages written to a company (docs/evaluation.md)."""

    temperature: float = 1.0
    complaint_scale: float = 1.0
    complaint_shift: float = 0.0
    frustration_scale: float = 1.0
    frustration_shift: float = 0.0

    def __post_init__(self) -> None:
        if not self.temperature > 0:
            raise ValueError("the temperature must be positive")

    @classmethod
    def from_config(cls, config: dict[str, Any], *, source: Path | None = None) -> Calibration:
        """The calibration as `to_config` stored it."""
        try:
            return cls(**config)
        except (TypeError, ValueError) as e:
            where = source or "the sentiment model's config"
            raise ConfigError(
                f"The calibration in {where} is not valid ({e}). Restore it with `git checkout assist/sentiment/model` "
                "or refit it with `python -m assist train sentiment … --calibrate-only`."
            ) from e

    def to_config(self) -> dict[str, Any]:
        return asdict(self)

    def tone(self, logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """P(negative, neutral, positive) [n, 3] from the tone logits [n, 3]."""
        return np.asarray(softmax(np.asarray(logits, dtype=np.float64) / self.temperature, axis=1), dtype=np.float32)

    def complaint(self, logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        logit = np.asarray(logits, dtype=np.float64) * self.complaint_scale + self.complaint_shift
        return np.asarray(expit(logit), dtype=np.float32)

    def frustration(self, logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        probability = expit(np.asarray(logits, dtype=np.float64) * self.frustration_scale + self.frustration_shift)
        return np.asarray(probability, dtype=np.float32)


def save_weights(network: Any, target: Path) -> int:
    """Write the network quantised (its calibration is fitted on what this stores: `save_calibration`); returns the
    weights' size in bytes."""
    from safetensors.torch import save_file

    target.mkdir(parents=True, exist_ok=True)
    save_file(quantise(network.state_dict()), str(target / WEIGHTS))
    return (target / WEIGHTS).stat().st_size


def save_calibration(target: Path, calibration: Calibration) -> None:
    """Write the config beside the weights: the labels, the base model and `calibration`."""
    config = {"labels": list(LABELS), "base": "all-MiniLM-L6-v2", "calibration": calibration.to_config()}
    (target / CONFIG).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def save_report(target: Path, report: dict[str, Any]) -> None:
    """The training report beside the model (data, settings, dev history, check scores)."""
    (target / REPORT).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def load_network(directory: Path) -> tuple[Any, Any, Calibration]:
    """(network, tokenizer, calibration) from a folder written by `save_weights` and `save_calibration`."""
    config = json.loads((directory / CONFIG).read_text(encoding="utf-8"))
    network, tokenizer = load_weights(directory)
    return network, tokenizer, Calibration.from_config(config.get("calibration", {}), source=directory / CONFIG)


def load_weights(directory: Path) -> tuple[Any, Any]:
    """(network, tokenizer) from a folder written by `save_weights`, whatever its calibration (`train sentiment
    --calibrate-only` refits one stored in an older form)."""
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    from assist.sentiment.network import SentimentNetwork

    _quiet_transformers()
    base = packaged_model_path()
    encoder = AutoModel.from_config(AutoConfig.from_pretrained(base, local_files_only=True))  # type: ignore[no-untyped-call]
    network = SentimentNetwork(encoder)
    state = dequantise(load_file(str(directory / WEIGHTS)))
    try:
        network.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise ConfigError(
            f"The sentiment model at {directory} does not fit the packaged MiniLM ({str(e)[:160]}). Restore it "
            "with `git checkout assist/sentiment/model` or retrain it with `python -m assist train sentiment`."
        ) from e
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    return network.eval(), tokenizer


def load_classifier(directory: Path) -> tuple[Any, Any]:
    """(model, tokenizer) for any complete local Hugging Face sequence-classification folder."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    _quiet_transformers()
    model = AutoModelForSequenceClassification.from_pretrained(directory, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
    return model.eval(), tokenizer


def kind(directory: Path) -> str:
    """'shipped' for a folder written by `save_weights` and `save_calibration`, 'classifier' for a Hugging Face
    folder; else a ConfigError."""
    if (directory / CONFIG).exists() and (directory / WEIGHTS).exists():
        return "shipped"
    if (directory / "config.json").exists():
        return "classifier"
    raise ConfigError(
        f"No sentiment model at {directory}. Point SENTIMENT_MODEL to a local Hugging Face model folder, "
        "or rebuild the shipped one with `python -m assist train sentiment`."
    )


def _quiet_transformers() -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
