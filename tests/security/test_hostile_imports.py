"""Issue 31 · 4, 15, 16, 17: hostile helpdesk exports and CSAT files, on SQLite and PostgreSQL.

Every row is imported or reported (never a traceback that leaves the rest unread), text that cannot be
stored is replaced and said so, a message's identity uses parsed values, and identifiers and dates follow
one rule each (assist/text.py, assist/identifiers.py, assist/times.py, all applied by `intake.admit`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from assist.csat import import_csat
from assist.domain import ImportField, ImportReport
from assist.errors import ValidationError
from assist.intake import import_rows, read_rows
from assist.store import session_scope
from assist.store.models import CsatRow, CustomerRow, MessageRow, TicketRow
from assist.users import OPERATOR
from tests.factories import make_ticket

FIELDS = (
    ImportField.EXTERNAL_ID,
    ImportField.SUBJECT,
    ImportField.BODY,
    ImportField.CUSTOMER_EMAIL,
    ImportField.CUSTOMER_NAME,
    ImportField.CREATED,
)
MAPPING = {f: f.value for f in FIELDS}
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _import(engine: Engine, rows: list[dict[str, str]], **kwargs: Any) -> ImportReport:
    return import_rows(engine, rows, mapping=MAPPING, actor=OPERATOR, max_chars=5000, **kwargs)


def _count(engine: Engine, model: Any) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _handled(report: ImportReport) -> int:
    return len(report.created) + len(report.appended) + len(report.unchanged) + len(report.errors)


# 4 · one lone surrogate stopped the import after row 1 ------------------------------------------------------


def test_a_lone_surrogate_in_a_json_export_is_replaced_and_every_row_lands(engine: Engine) -> None:
    export = (
        b'[{"external_id": "S-1", "customer_email": "ana@example.com", "body": "Refund \\ud800 missing"},'
        b' {"external_id": "S-2", "customer_email": "bo@example.com", "subject": "Hi \\udc80", "body": "Login"},'
        b' {"external_id": "S-3", "customer_email": "cy@example.com", "body": "NUL \\u0000 and bell \\u0007"},'
        b' {"external_id": "S-4", "customer_email": "di@example.com", "body": "Plain question"}]'
    )
    rows = read_rows("export.json", export, max_bytes=100_000)
    report = _import(engine, rows)
    assert len(report.created) == 4 and not report.errors
    assert [(w.row, w.error.split(" ")[0]) for w in report.warnings] == [(1, "1"), (2, "1"), (3, "2")]
    assert "replaced with \ufffd" in report.warnings[0].error
    with session_scope(engine) as session:
        bodies = dict(session.execute(select(TicketRow.external_id, TicketRow.preview)).all())
        subject = session.scalars(select(TicketRow.subject).where(TicketRow.external_id == "S-2")).one()
    assert bodies["S-1"] == "Refund \ufffd missing" and bodies["S-3"] == "NUL \ufffd and bell \ufffd"
    assert subject == "Hi \ufffd"


def test_a_lone_surrogate_in_a_csat_file_is_replaced_and_every_rating_lands(engine: Engine) -> None:
    with session_scope(engine) as session:
        ticket_id = make_ticket(session, external_id="Z-1").id
    export = (
        '[{"ticket": "Z-1", "score": "2", "comment": "slow \\udc80 reply", "date": "2026-01-05"},'
        ' {"ticket": "#' + str(ticket_id) + '", "score": "5", "comment": "great \\u0000", "date": "2026-01-06"},'
        ' {"ticket": "Z-1", "score": "4", "comment": "fine"}]'
    ).encode()
    report = import_csat(engine, read_rows("csat.json", export, max_bytes=100_000), actor=OPERATOR)
    assert len(report.created) == 3 and not report.errors and [w.row for w in report.warnings] == [1, 2]
    with session_scope(engine) as session:
        comments = sorted(session.scalars(select(CsatRow.comment)))
    assert comments == ["fine", "great \ufffd", "slow \ufffd reply"]


# 4 · the same messages with dates written differently were appended again ---------------------------------

SPELLINGS = ("2026-01-02 09:00", "2026-01-02T09:00:00Z", "2026-01-02T10:00:00+01:00", "Jan 2 2026 09:00")


def test_the_same_tickets_with_dates_written_differently_add_nothing(engine: Engine) -> None:
    def rows(when: str) -> list[dict[str, str]]:
        return [
            {"external_id": "D-1", "customer_email": "ana@example.com", "body": "First", "created": when},
            {"external_id": "D-1", "customer_email": "ana@example.com", "body": "Follow-up", "created": when},
        ]

    first = _import(engine, rows(SPELLINGS[0]))
    assert (len(first.created), len(first.appended)) == (1, 1)
    for spelling in SPELLINGS[1:]:
        again = _import(engine, rows(spelling))
        assert len(again.unchanged) == 2 and not again.created and not again.appended, spelling
    assert _count(engine, MessageRow) == 2


def test_the_same_csat_ratings_with_dates_written_differently_add_nothing(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_ticket(session, external_id="Z-2")
    for n, spelling in enumerate(SPELLINGS):
        report = import_csat(engine, [{"ticket": "Z-2", "score": "3", "date": spelling}], actor=OPERATOR)
        assert (len(report.created), len(report.unchanged)) == ((1, 0) if n == 0 else (0, 1)), spelling
    assert _count(engine, CsatRow) == 1


# 4 · JSON nested 100,000 deep gave a RecursionError traceback -----------------------------------------------


@pytest.mark.parametrize("depth", [100_000, 1_000, 65])
def test_deeply_nested_json_is_refused_with_the_reason(depth: int) -> None:
    nested = ("[" * depth + "]" * depth).encode()
    with pytest.raises(ValidationError, match="nested more than 64 levels"):
        read_rows("export.json", nested, max_bytes=1_000_000)
    inside = b'[{"body": "' + b"[" * 5000 + b'", "customer_email": "a@example.com", "x": {"y": [[1]]}}]'
    assert read_rows("export.json", inside, max_bytes=1_000_000)[0]["body"] == "[" * 5000  # brackets in text


def test_a_number_longer_than_python_reads_is_reported_as_unreadable() -> None:
    with pytest.raises(ValidationError, match="cannot be read as JSON"):
        read_rows("export.json", b'[{"body": ' + b"9" * 5000 + b"}]", max_bytes=1_000_000)


# 4 · any rows at all: each imported or reported, and a re-import with other date spellings adds nothing ----

# Text the way hostile exports write it: any code point (lone surrogates included), NUL and controls.
ANY_CHAR = st.one_of(st.characters(exclude_categories=()), st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Mn"]))
ANY_TEXT = st.text(ANY_CHAR, max_size=30)
ODD_TEXT = st.one_of(ANY_TEXT, st.sampled_from(["\x00", "\ud800", "\udc80x", " ", "\u2800", "\r\n", "\x1b[31m"]))
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2025, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)
)
# Mostly rows a helpdesk could send, with hostile values mixed in, so that both outcomes are exercised.
GOOD_IDS = st.sampled_from(["", "A-1", "A-2", "a/b", "A-1\n", " A-2", "ZD-#9"])
BAD_IDS = st.one_of(st.sampled_from(["%2F", "..", "A\u200b1", "A 1", "x" * 101]), ODD_TEXT)
GOOD_EMAILS = st.sampled_from(["ana@example.com", "ANA@Example.com ", "ana@example.com\n", "bo@ex.example"])
BAD_EMAILS = st.one_of(st.sampled_from(["a b@x.io", "a@b", "a,b@x.io", "a@x.io\u200b"]), ODD_TEXT)
GOOD_BODIES = st.text(ANY_CHAR, max_size=30).map(lambda t: f"Refund {t}")
BAD_BODIES = st.one_of(ODD_TEXT, st.sampled_from(["", "\u2800", "\u200b\ufe0f"]))
BAD_DATES = st.one_of(ODD_TEXT, st.sampled_from(["1970-01-01", "9999-12-31", "now", "2026-02-30", "+99:00"]))


def _mostly(draw: st.DrawFn, good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
    return draw(good) if draw(st.integers(0, 9)) < 8 else draw(bad)


def _spell(moment: datetime, style: int) -> str:
    """One moment written the ways helpdesk exports write it."""
    return [
        moment.strftime("%Y-%m-%d %H:%M"),
        moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "+00:00",
        moment.astimezone(timezone(timedelta(hours=-5))).isoformat(),
    ][style]


@st.composite
def export_rows(draw: st.DrawFn) -> list[tuple[dict[str, str], datetime | str]]:
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        when: datetime | str = _mostly(draw, st.one_of(MOMENTS, st.just("")), BAD_DATES)
        row = {
            "external_id": _mostly(draw, GOOD_IDS, BAD_IDS),
            "customer_email": _mostly(draw, GOOD_EMAILS, BAD_EMAILS),
            "body": _mostly(draw, GOOD_BODIES, BAD_BODIES),
            "subject": draw(ODD_TEXT),
            "customer_name": draw(ODD_TEXT),
        }
        rows.append((row, when))
    return rows


@FUZZ
@given(rows=export_rows(), styles=st.tuples(st.integers(0, 3), st.integers(0, 3)))
def test_every_row_is_imported_or_reported_and_a_reimport_with_other_date_spellings_adds_nothing(
    engine: Engine, rows: list[tuple[dict[str, str], datetime | str]], styles: tuple[int, int]
) -> None:
    def spelled(style: int) -> list[dict[str, str]]:
        return [{**row, "created": _spell(w, style) if isinstance(w, datetime) else w} for row, w in rows]

    first = _import(engine, spelled(styles[0]))
    assert _handled(first) == len(rows)
    messages = _count(engine, MessageRow)
    again = _import(engine, spelled(styles[1]))
    assert _handled(again) == len(rows)
    assert not again.created and not again.appended
    assert _count(engine, MessageRow) == messages


@st.composite
def csat_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        row = {
            "ticket": _mostly(draw, st.sampled_from(["C-1", "#1", " C-1 "]), ODD_TEXT),
            "score": _mostly(draw, st.sampled_from(["1", "3", "5", " 4 "]), ODD_TEXT),
            "comment": draw(ODD_TEXT),
            "date": _mostly(draw, st.one_of(MOMENTS.map(lambda m: _spell(m, 1)), st.just("")), BAD_DATES),
        }
        rows.append({k: v for k, v in row.items() if draw(st.integers(0, 9)) < 9})  # a column may be missing
    return rows


@FUZZ
@given(rows=csat_rows())
def test_every_csat_row_is_imported_or_reported(engine: Engine, rows: list[dict[str, str]]) -> None:
    with session_scope(engine) as session:
        if session.get(TicketRow, 1) is None:
            make_ticket(session, external_id="C-1")
    report = import_csat(engine, rows, actor=OPERATOR)
    assert _handled(report) == len(rows)
    again = import_csat(engine, rows, actor=OPERATOR)
    assert _handled(again) == len(rows) and not again.created


# 15 · an external id that the follow-up route cannot address --------------------------------------------


@pytest.mark.parametrize("bad", ["A 1", "A\u200b1", "A\x001", "50%", "..", "x" * 101])
def test_an_external_id_that_cannot_be_addressed_again_is_reported(engine: Engine, bad: str) -> None:
    report = _import(engine, [{"external_id": bad, "customer_email": "ana@example.com", "body": "Hello"}])
    assert not report.created and "external" in report.errors[0].error
    assert _count(engine, TicketRow) == 0


def test_an_external_id_with_a_slash_is_kept_and_its_follow_ups_join_it(engine: Engine) -> None:
    row = {"external_id": "acme/support/77", "customer_email": "ana@example.com", "body": "First"}
    _import(engine, [row])
    report = _import(engine, [{**row, "body": "Second"}])
    assert len(report.appended) == 1 and _count(engine, TicketRow) == 1


# 16 · a customer e-mail with a newline became a look-alike customer ----------------------------------------

WHITESPACE = st.text(st.sampled_from(" \t\n\r\x0b\x0c\u00a0\u2003\u3000\u2028\u0085"), min_size=1, max_size=3)
HIDDEN = st.one_of(
    st.characters(categories=["Cc", "Cf", "Cs", "Zs", "Zl", "Zp"]),
    st.sampled_from(["\n", "\r\n", "\u200b", "\ufeff"]),
)


def test_an_address_ending_in_a_newline_is_the_same_customer(engine: Engine) -> None:
    _import(engine, [{"external_id": "E-1", "customer_email": "ana@example.com", "body": "One"}])
    report = _import(engine, [{"external_id": "E-2", "customer_email": "Ana@Example.com\n", "body": "Two"}])
    assert len(report.created) == 1
    with session_scope(engine) as session:
        assert list(session.scalars(select(CustomerRow.email))) == ["ana@example.com"]


@FUZZ
@given(around=st.tuples(WHITESPACE, WHITESPACE), inside=HIDDEN, at=st.integers(1, 14))
def test_whitespace_around_an_address_is_trimmed_and_anything_hidden_inside_is_refused(
    engine: Engine, around: tuple[str, str], inside: str, at: int
) -> None:
    address = "sam.lee@example.com"
    trimmed = _import(engine, [{"customer_email": around[0] + address + around[1], "body": "Hi"}])
    assert _handled(trimmed) == 1 and not trimmed.errors
    hidden = address[:at] + inside + address[at:]
    refused = _import(engine, [{"customer_email": hidden, "body": "Hi"}])
    assert not refused.created and len(refused.errors) == 1
    with session_scope(engine) as session:
        assert set(session.scalars(select(CustomerRow.email))) == {address}


# 17 · a ticket dated 9999 or 1970 broke the dashboard ----------------------------------------------------


@pytest.mark.parametrize("when", ["9999-12-31 23:59", "1970-01-01", "1999-12-31T23:00:00Z"])
def test_a_date_outside_the_sane_window_is_reported(engine: Engine, when: str) -> None:
    report = _import(
        engine, [{"external_id": "T-1", "customer_email": "ana@example.com", "body": "Hi", "created": when}]
    )
    assert not report.created and "outside the accepted window" in report.errors[0].error
    with session_scope(engine) as session:
        make_ticket(session, external_id="Z-3")
    rating = import_csat(engine, [{"ticket": "Z-3", "score": "4", "date": when}], actor=OPERATOR)
    assert not rating.created and "outside the accepted window" in rating.errors[0].error


def test_the_window_ends_a_day_after_the_injected_clock(engine: Engine) -> None:
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    rows = [
        {"external_id": f"W-{n}", "customer_email": "ana@example.com", "body": "Hi", "created": when.isoformat()}
        for n, when in enumerate([now + timedelta(hours=23), now + timedelta(hours=25)])
    ]
    report = _import(engine, rows, now=now)
    assert len(report.created) == 1 and [e.row for e in report.errors] == [2]
    assert "outside the accepted window" in report.errors[0].error
