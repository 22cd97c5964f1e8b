"""The offline grounded drafter with the real embedding model and the shipped articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assist.domain import DraftMode, SentimentLevel
from assist.drafting.offline import EMPATHY, ArticleText, OfflineDrafter, split_units
from assist.embeddings import Embedder
from assist.kb.parsers import parse_file
from tests.factories import hit

pytestmark = pytest.mark.model
KB = Path(__file__).parents[2] / "kb_docs"


def _article(article_id: str) -> ArticleText:
    parsed = parse_file(f"{article_id}.md", (KB / f"{article_id}.md").read_bytes())
    return ArticleText(parsed.article_id, parsed.title, parsed.text)


def _draft(
    embedder: Embedder,
    question: str,
    article_id: str,
    *,
    level: SentimentLevel = SentimentLevel.NEUTRAL,
    earlier: int = 0,
    score: float = 0.6,
) -> tuple[str, ArticleText]:
    article = _article(article_id)
    draft = OfflineDrafter(embedder).draft(
        customer_name="Dana Reyes",
        level=level,
        hits=[hit(article_id, title=article.title, score=score)],
        articles={article_id: article},
        query_vector=embedder.encode_one(question),
        earlier_contacts=earlier,
        confidence=0.7,
    )
    assert draft.mode is DraftMode.OFFLINE
    return draft.text, article


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\*\*|`", "", text)).strip()


def _body(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("") + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("This is from our help article"))
    return [
        line
        for line in lines[start:end]
        if line and line not in EMPATHY.values() and not line.startswith("I can see you've contacted us")
    ]


@pytest.mark.parametrize(
    ("question", "article_id", "expected"),
    [
        ("The password reset email never arrives, I checked spam", "password-reset", "spam"),
        ("How many requests per minute can we make on the Pro plan?", "rate-limits", "120"),
        ("our webhook endpoint got disabled, how do we get the events back", "webhooks", "Resend"),
    ],
)
def test_every_body_sentence_comes_from_the_article(
    embedder: Embedder, question: str, article_id: str, expected: str
) -> None:
    text, article = _draft(embedder, question, article_id)
    body = _body(text)
    source = _normalise(article.body)
    assert body, text
    for line in body:
        pieces = re.split(r" — |; |: ", line) if " — " in line else [line]  # table rows are read out
        for piece in pieces:
            assert _normalise(piece) in source, line
    assert expected in text
    assert f'This is from our help article "{article.title}".' in text
    assert text.startswith("Hi Dana,")
    assert text.rstrip().endswith("Lumen Support")


def test_steps_are_kept_whole_and_in_order(embedder: Embedder) -> None:
    text, _ = _draft(embedder, "how do I turn on two-factor authentication", "two-factor-authentication")
    steps = [line for line in _body(text) if re.match(r"\d+\.", line)]
    assert [int(s.split(".")[0]) for s in steps] == list(range(1, len(steps) + 1))
    assert len(steps) >= 3


def test_tone_follows_sentiment_and_history(embedder: Embedder) -> None:
    angry, _ = _draft(embedder, "WHERE IS MY REFUND", "refund-policy", level=SentimentLevel.ANGRY, earlier=2)
    assert EMPATHY[SentimentLevel.ANGRY] in angry
    assert "contacted us about this before" in angry
    calm, _ = _draft(embedder, "refund timing?", "refund-policy")
    assert "contacted us about this before" not in calm


def test_no_fitting_article_says_so_and_suggests_escalation(embedder: Embedder) -> None:
    drafter = OfflineDrafter(embedder)
    draft = drafter.draft(
        customer_name="Dana",
        level=SentimentLevel.NEUTRAL,
        hits=[hit(score=0.1)],
        articles={},
        query_vector=embedder.encode_one("quantum physics"),
        earlier_contacts=0,
        confidence=0.5,
    )
    assert "couldn't find an article" in draft.text
    assert draft.sources == () and draft.confidence <= 0.1
    assert "consider escalating" in draft.notes[0]


@pytest.mark.parametrize("article", sorted(p.stem for p in KB.glob("*.md")))
def test_no_draft_ever_asks_for_a_password_or_card_number(embedder: Embedder, article: str) -> None:
    text, _ = _draft(embedder, "I forgot my password and my card was declined", article)
    asks = re.compile(
        r"\b(send|share|tell|give|provide|reply with)\b[^.]*\b(password|card number|security code)\b", re.I
    )
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        assert not (asks.search(sentence) and not re.search(r"\b(never|not)\b", sentence, re.I)), sentence


def test_split_units_drops_headings_and_groups_steps() -> None:
    units = split_units(
        "# Title\n\nIntro sentence here. Second one here.\n\n"
        "1. First step here\n2. Second step here\n\nAfter the steps, more text."
    )
    assert [u.text for u in units] == [
        "Intro sentence here.",
        "Second one here.",
        "1. First step here",
        "2. Second step here",
        "After the steps, more text.",
    ]
    assert units[2].group == units[3].group == 1 and units[0].group is None


def test_table_rows_are_read_out_with_their_headers() -> None:
    units = split_units("| Plan | Requests per minute | Burst |\n|---|---|---|\n| Pro | 120 | 20 per second |")
    assert [u.text for u in units] == ["Pro — Requests per minute: 120; Burst: 20 per second"]


def test_units_remember_their_section_heading() -> None:
    units = split_units("# Title\n\n## When the money arrives\n\nCard refunds take 5-10 business days.")
    assert units[0].embed_text == "When the money arrives: Card refunds take 5-10 business days."
