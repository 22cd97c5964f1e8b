"""The shipped knowledge base: enough articles, valid front matter, and an answer for every demo topic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter
import pytest

from assist.demo.content import TOPICS, WORDINGS
from assist.domain import Category

KB = Path(__file__).parents[1] / "kb_docs"
ARTICLES = sorted(KB.glob("*.md"))


def test_there_are_at_least_thirty_articles() -> None:
    assert len(ARTICLES) >= 30


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_front_matter_is_complete(path: Path) -> None:
    post = frontmatter.load(path)
    assert set(post.metadata) >= {"id", "title", "category", "product", "updated"}
    assert post.metadata["id"] == path.stem
    assert Category(post.metadata["category"])
    assert isinstance(post.metadata["updated"], dt.date)
    assert len(post.content.split()) >= 80, "an article needs real content"


def test_every_demo_topic_is_answered_by_an_article() -> None:
    ids = {frontmatter.load(p).metadata["id"] for p in ARTICLES}
    assert {t.article for t in TOPICS} <= ids
    assert {w.article for w in WORDINGS.values()} <= ids
    assert {f.article for w in WORDINGS.values() for f in w.follow_ups if f.article} <= ids
