"""Rows labelled for both readings the product shows: tone (negative / neutral / positive) and frustration.

Frustration is not negative tone. A polite complaint ("I'm afraid the invoice is wrong again, could you
check?") is negative and calm; sarcasm ("Love that for us") borrows praise words, means the opposite (negative
tone) and is fed up. GoEmotions
labels emotions, not tone alone: a comment carrying anger, annoyance, disappointment, disapproval or
disgust is frustrated, whatever its wording; its `sentiment` column gives the tone where it names one
(comments marked ambiguous, or with several, have no tone label). The support-style files are written
to a company's support and labelled for both directly.

Each frame has text, tone (a tone or ""), frustration (0/1) and label (tone/frustration, what the
stratified splits keep in proportion).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assist.errors import ValidationError

FRUSTRATED_EMOTIONS = frozenset({"anger", "annoyance", "disappointment", "disapproval", "disgust"})


def from_goemotions(path: Path) -> pd.DataFrame:
    """GoEmotions' `text,sentiment,emotions` CSV as tone and frustration labels."""
    frame = _read(path, ["text", "sentiment", "emotions"])
    emotions = frame["emotions"].str.lower().str.split(",")
    return _labelled(
        frame["text"],
        frame["sentiment"].str.strip().str.lower(),
        emotions.map(lambda found: int(bool(FRUSTRATED_EMOTIONS & {e.strip() for e in found}))),
    )


def read_support(path: Path) -> pd.DataFrame:
    """A `text,tone,frustration` CSV (tone negative/neutral/positive, frustration 0/1)."""
    frame = _read(path, ["text", "tone", "frustration"])
    tone = frame["tone"].str.strip().str.lower()
    frustration = frame["frustration"].str.strip()
    bad = frame[~tone.isin(["negative", "neutral", "positive"]) | ~frustration.isin(["0", "1"])]
    if len(bad):
        raise ValidationError(
            f"{path}: row {int(bad.index[0]) + 2} has tone '{bad['tone'].iloc[0]}' and frustration "
            f"'{bad['frustration'].iloc[0]}'; use negative/neutral/positive and 0/1."
        )
    return _labelled(frame["text"], tone, frustration.astype(int))


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, usecols=columns, dtype=str, keep_default_na=False)
    except (ValueError, OSError) as e:
        raise ValidationError(f"{path}: expected a CSV with columns {','.join(columns)} ({e}).") from e
    return frame[frame["text"].str.strip() != ""].reset_index(drop=True)


def _labelled(text: pd.Series, tone: pd.Series, frustration: pd.Series) -> pd.DataFrame:
    tone = tone.where(tone.isin(["negative", "neutral", "positive"]), "")
    return pd.DataFrame(
        {"text": text, "tone": tone, "frustration": frustration, "label": tone + "/" + frustration.astype(str)}
    )
