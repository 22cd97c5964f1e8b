"""When something outside says it happened: parsed one way, and kept inside a sane window around now.

A ticket dated 9999 or 1970 made the dashboard show a first response of minus fourteen million hours. Every
arrival path (imports, the HTTP intake and the mailbox through `arrival.admit`, the CSAT import) passes its
time through `arrival_time`; the caller injects `now`.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta

from assist.errors import ValidationError

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # no helpdesk export we take holds older tickets
MAX_AHEAD = timedelta(days=1)  # a sender's clock may run ahead (or be in another zone, unlabelled) by hours
_DIGIT = re.compile(r"\d")


def parse_time(text: str) -> datetime | None:
    """The moment a helpdesk export or request wrote, in UTC (a time without a zone is taken as UTC);
    None for an empty value.

    Raises:
        ValidationError: not a date ("now", "yesterday" and other words without a digit are refused too:
            they would give a different time on every import).
    """
    import pandas as pd

    text = text.strip()
    if not text:
        return None
    if not _DIGIT.search(text):
        raise ValidationError(f"'{text[:40]}' is not a date; use ISO dates like 2026-03-31 14:05.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas warns about guessed formats and lost nanoseconds
            stamp = pd.Timestamp(text)
            moment = None if pd.isna(stamp) else stamp.to_pydatetime()
    except (ValueError, TypeError, OverflowError) as e:
        raise ValidationError(f"'{text[:40]}' is not a date; use ISO dates like 2026-03-31 14:05.") from e
    if not isinstance(moment, datetime):
        return None
    return as_utc(moment)


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def arrival_time(moment: datetime | None, *, now: datetime) -> datetime | None:
    """`moment` in UTC if it lies between 2000-01-01 and a day after `now`; None stays None (the caller
    uses the time of arrival).

    Raises:
        ValidationError: outside that window.
    """
    if moment is None:
        return None
    try:
        moment = as_utc(moment)
    except (OverflowError, ValueError) as e:  # year 1 or 9999 near the edge of what datetime can shift
        raise ValidationError(f"the date {moment.isoformat()[:40]} cannot be read as UTC; check it.") from e
    if moment < EARLIEST or moment > as_utc(now) + MAX_AHEAD:
        raise ValidationError(
            f"the date {moment:%Y-%m-%d %H:%M} UTC is outside the accepted window ({EARLIEST:%Y-%m-%d} to a day "
            "from now); check the date and the sender's clock."
        )
    return moment


def utcnow() -> datetime:
    """Now, in UTC: the one clock every stored time is read from."""
    return datetime.now(UTC)
