"""The badge over a draft says what the draft offers: a figure only for an answer it states."""

from __future__ import annotations

import pytest

from assist.domain import ConfidenceBand, Draft, DraftMode
from ui.reply_view import confidence_badge


@pytest.mark.parametrize(
    ("band", "confidence", "reads"),
    [
        (ConfidenceBand.LIKELY_SENT, 0.91, ":green-badge[:material/verified: Likely sent as is · 91%]"),
        (ConfidenceBand.CHECK, 0.4, ":orange-badge[:material/edit_note: Check before sending · 40%]"),
        # Sure of the article, not of the sentence (issue 32: #163 quoted the sentence before the answer at 97 %).
        (ConfidenceBand.CHECK_SENTENCE, 0.97, ":orange-badge[:material/format_quote: Check the quoted sentence · 97%]"),
        (ConfidenceBand.NO_ANSWER, 0.0, ":red-badge[:material/help: No answer drafted]"),
        # A happy customer's thanks (#328) gets a closing reply: not a red "no answer", and no figure.
        (ConfidenceBand.CLOSING, 0.0, ":green-badge[:material/waving_hand: Nothing asked · a closing reply]"),
    ],
)
def test_each_band_reads_as_what_the_draft_offers(band: ConfidenceBand, confidence: float, reads: str) -> None:
    draft = Draft(text="x", confidence=confidence, band=band, sources=(), mode=DraftMode.OFFLINE, model="offline")
    assert confidence_badge(draft) == reads
