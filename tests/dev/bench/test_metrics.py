"""`python -m assist bench metrics` seeds its outcomes in bulk, past the ORM: they must satisfy the schema as the
product's own writes do."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine, select

from assist.dev.bench.inbox import fill
from assist.dev.bench.metrics import fill_outcomes
from assist.store import session_scope
from assist.store.models import DraftRow


def test_the_seeded_drafts_carry_the_badge_their_figure_gives(sqlite_engine: Engine) -> None:
    """Defect: after the badge was stored with each draft (migration 0024) the bulk load left it empty and
    `bench metrics` failed on the NOT NULL column."""
    fill(sqlite_engine, tickets=400)
    fill_outcomes(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        drafts = session.execute(select(DraftRow.confidence, DraftRow.band)).all()
    assert drafts
    bands = Counter(band for _, band in drafts)
    assert set(bands) <= {"likely_sent", "check"} and all((c >= 0.75) == (b == "likely_sent") for c, b in drafts)
