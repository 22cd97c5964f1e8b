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
        # Sure of the article, not of the sentence (issue 32), for a draft that quotes none (the LLM's own words).
        (ConfidenceBand.CHECK_SENTENCE, 0.97, ":orange-badge[:material/format_quote: Check the answer · 97%]"),
        (ConfidenceBand.NO_ANSWER, 0.0, ":red-badge[:material/help: No answer drafted]"),
        # A happy customer's thanks (#328) gets a closing reply: not a red "no answer", and no figure.
        (ConfidenceBand.CLOSING, 0.0, ":green-badge[:material/waving_hand: Nothing asked · a closing reply]"),
    ],
)
def test_each_band_reads_as_what_the_draft_offers(band: ConfidenceBand, confidence: float, reads: str) -> None:
    draft = Draft(text="x", confidence=confidence, band=band, sources=(), mode=DraftMode.OFFLINE, model="offline")
    assert confidence_badge(draft) == reads


def test_a_draft_sure_of_its_article_but_not_of_its_sentence_points_at_the_sentence_it_quotes() -> None:
    """Issue 32: #163 quoted the sentence before the answer and was badged "likely sent as is" at 97 %."""
    draft = Draft(
        text="x",
        confidence=0.97,
        band=ConfidenceBand.CHECK_SENTENCE,
        sources=("time-tracking-approvals",),
        quoted=("Only approved time can be added to invoices.",),
        mode=DraftMode.OFFLINE,
        model="offline",
    )
    assert confidence_badge(draft) == ":orange-badge[:material/format_quote: Check the quoted sentence · 97%]"
