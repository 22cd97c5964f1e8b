"""Classification scores shared by the sentiment and triage evaluations."""

from __future__ import annotations

from collections.abc import Sequence


def classification_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """accuracy, macro recall and macro F1 over the labels that occur in `gold`."""
    from sklearn.metrics import accuracy_score, f1_score, recall_score

    labels = sorted(set(gold))
    return {
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_recall": round(float(recall_score(gold, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "n": len(gold),
    }


def per_class_recall(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Recall of each label that occurs in `gold`: which class the model misses, which macro recall hides."""
    return {
        label: round(sum(p == label for g, p in zip(gold, predicted, strict=True) if g == label) / gold.count(label), 4)
        for label in sorted(set(gold))
    }


def top_label_ece(probabilities: Sequence[Sequence[float]], gold: Sequence[int], *, bins: int = 10) -> float:
    """Expected calibration error of the most probable label (equal-width bins)."""
    from assist.drafting.confidence import expected_calibration_error

    top = [max(row) for row in probabilities]
    correct = [max(range(len(row)), key=row.__getitem__) == g for row, g in zip(probabilities, gold, strict=True)]
    return round(expected_calibration_error(top, correct, bins=bins), 4)


def binary_scores(positive: Sequence[bool], scores: Sequence[float]) -> dict[str, float | int | None]:
    """auroc, average precision and the best F1 over thresholds, for a score meant to rank `positive` first."""
    import numpy as np
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

    if len(set(positive)) < 2:
        return {"auroc": None, "average_precision": None, "f1": None, "n": len(positive)}
    precision, recall, _ = precision_recall_curve(positive, scores)
    f1 = np.max(2 * precision * recall / np.maximum(precision + recall, 1e-12))
    return {
        "auroc": round(float(roc_auc_score(positive, scores)), 4),
        "average_precision": round(float(average_precision_score(positive, scores)), 4),
        "f1": round(float(f1), 4),
        "n": len(positive),
    }
