"""CSV exports that are safe to open in a spreadsheet.

A cell starting with = + - @ (or a tab or carriage return) is a formula to Excel and LibreOffice:
`=HYPERLINK(...)` written by a customer would run on the lead's machine. Such cells get a leading
apostrophe, the OWASP-recommended neutraliser, which spreadsheets show as plain text.
"""

from __future__ import annotations

import csv
from typing import Any

import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DECIMALS = 3


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with every text cell neutralised (numbers are left as numbers)."""
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_float_dtype(safe[column]):  # 3.667, not 3.6666666666666665
            safe[column] = safe[column].round(DECIMALS)
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    # Every text cell quoted: pandas leaves a lone carriage return unquoted, which splits the row.
    text: str = safe.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)
    return text.encode()
