"""Migration 0024: drafts stored before the badge was stored get the badge their figure gave them then."""

from __future__ import annotations

from sqlalchemy import Engine, select, text

from assist.store import downgrade, session_scope, upgrade
from assist.store.models import DraftRow
from tests.factories import make_ticket


def test_drafts_stored_before_the_badge_was_stored_read_the_badge_their_figure_gave(engine: Engine) -> None:
    with session_scope(engine) as session:
        ticket_id = make_ticket(session).id
    downgrade(engine, "0023")
    with engine.begin() as connection:
        for confidence in (0.0, 0.4, 0.75, 0.97):
            connection.execute(
                text(
                    "INSERT INTO drafts (ticket_id, ticket_version, text, confidence, sources, model, mode, created_at)"
                    " VALUES (:t, 1, 'd', :c, '[]', 'm', 'offline', CURRENT_TIMESTAMP)"
                ),
                {"t": ticket_id, "c": confidence},
            )
    upgrade(engine)
    with session_scope(engine) as session:
        rows = session.execute(select(DraftRow.confidence, DraftRow.band).order_by(DraftRow.id)).all()
    assert [tuple(r) for r in rows] == [
        (0.0, "no_answer"),
        (0.4, "check"),
        (0.75, "likely_sent"),
        (0.97, "likely_sent"),
    ]
