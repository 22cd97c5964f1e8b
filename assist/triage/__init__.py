"""Triage: category and intent from labelled tickets, with a zero-shot fallback."""

from assist.triage.classifier import TextClassifier
from assist.triage.service import Example, Triager, examples_from_csv, examples_from_store, train

__all__ = ["Example", "TextClassifier", "Triager", "examples_from_csv", "examples_from_store", "train"]
