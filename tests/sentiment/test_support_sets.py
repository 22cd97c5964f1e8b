"""The support-style fit files never echo the check half: a check figure is only worth something on messages the
model did not learn from, nor from close copies of them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parents[1] / "data"
RUN = 6  # words in a row; shorter runs are stock phrases ("this is the second time")


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.mark.parametrize("fit", ["support_sentiment_fit.csv", "support_sentiment_more_fit.csv"])
def test_no_fit_message_shares_six_words_in_a_row_with_a_check_message(fit: str) -> None:
    check = set().union(*map(_runs, pd.read_csv(DATA / "support_sentiment_check.csv")["text"]))
    echoes = [text for text in pd.read_csv(DATA / fit)["text"] if _runs(text) & check]
    assert echoes == []
