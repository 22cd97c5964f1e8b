"""The team's confidence recalibration: the sends it is fitted on, and the one in use.

Every process reads the newest recalibration at most every `REFRESH_S` seconds, so a refit from the
command line reaches every app and worker process without a restart.
"""

from __future__ import annotations

import threading
import time
import weakref

from sqlalchemy import Engine, select

from assist.edits import LIGHT_EDIT
from assist.recalibration import IDENTITY, Recalibration
from assist.store.db import session_scope
from assist.store.models import CalibrationRow, DraftRow, ReplyRow
from assist.times import utcnow

REFRESH_S = 30.0
# Per engine, not per URL: two engines with one URL can reach two databases (a PostgreSQL search path set in the
# connect arguments, a SQLite file replaced), and one must not read the other's recalibration.
_cache: weakref.WeakKeyDictionary[Engine, tuple[float, Recalibration]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def current_recalibration(engine: Engine) -> Recalibration:
    now = time.monotonic()
    with _lock:
        cached = _cache.get(engine)
        if cached and now - cached[0] < REFRESH_S:
            return cached[1]
    with session_scope(engine) as session:
        row = session.scalars(select(CalibrationRow).order_by(CalibrationRow.id.desc()).limit(1)).first()
        found = Recalibration(row.slope, row.intercept, row.sends, row.fitted_at) if row is not None else IDENTITY
    with _lock:
        _cache[engine] = (now, found)
    return found


def forget_cached(engine: Engine) -> None:
    with _lock:
        _cache.pop(engine, None)


def recorded_sends(engine: Engine) -> tuple[list[float], list[bool]]:
    """(raw confidence of the draft, sent with at most light edits) for every reply sent from a draft."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(DraftRow.raw_confidence, ReplyRow.edit_ratio)
            .join(DraftRow, DraftRow.id == ReplyRow.draft_id)
            .where(DraftRow.raw_confidence.is_not(None), ReplyRow.edit_ratio.is_not(None))
            .order_by(ReplyRow.id)
        ).all()
    return [float(r or 0.0) for r, _ in rows], [float(e or 0.0) <= LIGHT_EDIT for _, e in rows]


def save_recalibration(engine: Engine, recalibration: Recalibration) -> Recalibration:
    with session_scope(engine) as session:
        row = CalibrationRow(
            slope=recalibration.slope,
            intercept=recalibration.intercept,
            sends=recalibration.sends,
            fitted_at=recalibration.fitted_at or utcnow(),
        )
        session.add(row)
        session.flush()
        saved = Recalibration(row.slope, row.intercept, row.sends, row.fitted_at)
    forget_cached(engine)
    return saved
