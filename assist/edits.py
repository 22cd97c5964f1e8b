"""How much an agent changed a draft before sending it, and where "light edits" end.

One rule read by the confidence (what it predicts), the team's recalibration (what it fits against), the stored
dashboard facts and the Metrics funnel, so "sent with at most light edits" means the same everywhere. It sits
below the store because the store's facts count by it.
"""

from __future__ import annotations

# A name, a date or a sentence of one's own added to a ten-line reply stays under it; replacing the answer does not.
LIGHT_EDIT = 0.2


def edit_ratio(draft: str, sent: str, distance: int) -> float:
    """Levenshtein distance normalised by the longer text: 0 = unchanged, 1 = nothing in common."""
    longest = max(len(draft), len(sent))
    return round(distance / longest, 4) if longest else 0.0
