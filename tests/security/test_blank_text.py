"""Issue 31 · 14: "is this empty?" is judged by Unicode category, by one predicate (`assist.text.is_blank`),
wherever text must say something: notes, replies, ticket bodies and subjects, imports and the HTTP intake,
macros, articles, a lead's note. Notes of only U+2800, tag characters, variation selectors, U+180B-D or
U+1D173 were accepted."""

from __future__ import annotations

import itertools
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from assist.arrival import Arrival, admit
from assist.config import Settings
from assist.domain import Channel, ImportField
from assist.errors import ValidationError
from assist.intake import import_rows
from assist.kb.parsers import parse_file
from assist.macros import save_macro
from assist.queue import return_to_tier1
from assist.store import session_scope
from assist.store.models import EscalationRow, TicketRow
from assist.store.tickets import clean_body
from assist.text import is_blank
from assist.ticket_actions import add_note
from assist.users import OPERATOR
from tests.factories import make_actor, make_ticket

FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
# What the probe sent, one kind each.
PROBES = {
    "braille blank": "\u2800\u2800",
    "tag characters": "\U000e0001\U000e0068\U000e0069\U000e007f",
    "variation selectors": "\ufe0f\ufe0e\U000e0100",
    "mongolian selectors": "\u180b\u180c\u180d",
    "musical begin beam": "\U0001d173\U0001d174",
    "hangul fillers and spaces": "\u3164 \u115f\u3000\n",
}
# Hangul fillers are letters (Lo) that render as nothing, BRAILLE PATTERN BLANK a symbol (So) with an
# empty glyph: see assist/text.py, _EMPTY_GLYPHS.
EMPTY_GLYPHS = "\u2800\u115f\u1160\u3164\uffa0"
BLANK_CHAR = st.one_of(
    st.characters(categories=["Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"]),
    st.sampled_from(EMPTY_GLYPHS),
)
BLANK = st.text(BLANK_CHAR, max_size=12)
VISIBLE_CHAR = st.characters(categories=["Lu", "Ll", "Lt", "Lm", "Lo", "Nd"]).filter(lambda c: c not in EMPTY_GLYPHS)
SAYS_SOMETHING = st.tuples(BLANK, VISIBLE_CHAR, BLANK).map("".join)
_titles = itertools.count()


def _note(engine: Engine, text: str) -> None:
    with session_scope(engine) as session:
        ticket = make_ticket(session)
        actor = make_actor(session)
        ticket_id, version = ticket.id, ticket.version
    add_note(engine, ticket_id=ticket_id, expected_version=version, text=text, actor=actor, settings=Settings())


def _storable(text: str) -> str:
    """As a browser or an upload can send it: no lone surrogates (no encoding writes them), no NUL."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cs" and ch != "\x00")


@pytest.mark.parametrize("text", PROBES.values(), ids=PROBES.keys())
def test_a_note_of_only_characters_that_show_nothing_is_refused(engine: Engine, text: str) -> None:
    with pytest.raises(ValidationError, match="empty"):
        _note(engine, text)


@pytest.mark.parametrize("text", PROBES.values(), ids=PROBES.keys())
def test_a_lead_cannot_return_an_escalation_with_a_note_that_shows_nothing(engine: Engine, text: str) -> None:
    with session_scope(engine) as session:
        ticket = make_ticket(session, status="escalated")
        lead = make_actor(session, "lead")
        row = EscalationRow(ticket_id=ticket.id, reasons=["x"], priority="high", queue="tier2", state="open")
        session.add(row)
        session.flush()
        escalation_id, version = row.id, ticket.version
    with pytest.raises(ValidationError, match="Write a note"):
        return_to_tier1(engine, escalation_id=escalation_id, expected_version=version, note=text, actor=lead)


def test_a_subject_that_shows_nothing_gives_way_to_the_first_line_that_does(engine: Engine) -> None:
    row = {"customer_email": "ana@example.com", "subject": "\u2800\U000e0041", "body": "\u200b\nMy invoice is wrong"}
    mapping = {ImportField(k): k for k in row}
    report = import_rows(engine, [row], mapping=mapping, actor=OPERATOR, max_chars=5000)
    with session_scope(engine) as session:
        assert session.scalars(select(TicketRow.subject)).one() == "My invoice is wrong"
    assert len(report.created) == 1


@given(text=BLANK)
@settings(max_examples=200, deadline=None)
def test_text_made_only_of_separators_controls_format_marks_and_empty_glyphs_is_refused_everywhere(text: str) -> None:
    assert is_blank(text)
    with pytest.raises(ValidationError, match="empty"):
        clean_body(text, max_chars=5000)  # replies, notes and ticket bodies
    with pytest.raises(ValidationError, match="empty"):
        admit(Arrival(channel=Channel.EMAIL, customer_email="ana@example.com", body=text), max_chars=5000)
    with pytest.raises(ValidationError):
        parse_file("article.txt", _storable(text).encode() or b" ")  # an article with nothing to read


@given(text=SAYS_SOMETHING)
@settings(max_examples=200, deadline=None)
def test_text_with_a_letter_or_digit_is_accepted_everywhere(text: str) -> None:
    assert not is_blank(text)
    assert clean_body(text, max_chars=5000)
    assert admit(Arrival(channel=Channel.EMAIL, customer_email="ana@example.com", body=text), max_chars=5000).body
    assert parse_file("article.txt", _storable(text).encode()).text


@FUZZ
@given(blank=BLANK, visible=SAYS_SOMETHING)
def test_notes_and_macros_refuse_blank_text_and_keep_text_that_says_something(
    engine: Engine, blank: str, visible: str
) -> None:
    blank, visible = _storable(blank), _storable(visible).replace("{", "").replace("}", "")
    with pytest.raises(ValidationError, match="empty"):
        _note(engine, blank)
    _note(engine, visible)
    for title, body in ((blank, "Thanks for waiting."), ("Thanks", blank)):
        with pytest.raises(ValidationError, match="needs a title and a text"):
            save_macro(engine, title=title, body=body, actor=OPERATOR)
    saved: Any = save_macro(engine, title=f"{visible[:60]} {next(_titles)}", body=visible, actor=OPERATOR)
    assert not is_blank(saved.body)
