"""The support-style fit files never echo the check half, nor the demo's wording that the readings tests pin: a
check figure or a pinned reading is only worth something on messages the model did not learn from, nor from close
copies of them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parents[1] / "data"
PINS = Path(__file__).with_name("test_support_readings.py")
RUN = 6  # words in a row; shorter runs are stock phrases ("this is the second time")
FIT_FILES = sorted(p.name for p in DATA.glob("support_sentiment_*fit.csv"))
# The first check half, and 240 more written blind on 2026-12-07 (docs/evaluation.md)
CHECK_FILES = ("support_sentiment_check.csv", "support_sentiment_check_more.csv")


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _pinned_texts() -> list[str]:
    """Every string written in the readings tests (adjacent literals are one string to `ast`)."""
    tree = ast.parse(PINS.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_the_fit_files_are_found() -> None:
    assert len(FIT_FILES) >= 3 and "support_sentiment_fit.csv" in FIT_FILES


@pytest.mark.parametrize("check_file", CHECK_FILES)
@pytest.mark.parametrize("fit", FIT_FILES)
def test_no_fit_message_shares_six_words_in_a_row_with_a_check_message(fit: str, check_file: str) -> None:
    check = set().union(*map(_runs, pd.read_csv(DATA / check_file)["text"]))
    assert len(check) > 1000  # the check file was read
    echoes = [text for text in pd.read_csv(DATA / fit)["text"] if _runs(text) & check]
    assert echoes == []


def test_the_two_check_files_share_no_message() -> None:
    first, more = (set().union(*map(_runs, pd.read_csv(DATA / name)["text"])) for name in CHECK_FILES)
    assert first & more == set()


@pytest.mark.parametrize("fit", FIT_FILES)
def test_no_fit_message_shares_six_words_in_a_row_with_a_pinned_reading(fit: str) -> None:
    pinned = set().union(*map(_runs, _pinned_texts()))
    assert len(pinned) > 50  # the pins were read
    echoes = [text for text in pd.read_csv(DATA / fit)["text"] if _runs(text) & pinned]
    assert echoes == []
