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
