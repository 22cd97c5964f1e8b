"""CSV exports a lead opens in a spreadsheet: formulas neutralised, numbers as people read them."""

from __future__ import annotations

import pandas as pd

from assist.csv_export import to_csv


def test_floats_are_rounded_and_whole_numbers_and_text_kept() -> None:
    """Defect (issue 34): exports carried 3.6666666666666665."""
    frame = pd.DataFrame({"agent": ["Maya"], "csat": [11 / 3], "replies": [12], "rate": [0.5]})
    text = to_csv(frame).decode()
    assert text.splitlines() == ['"agent","csat","replies","rate"', '"Maya",3.667,12,0.5']
