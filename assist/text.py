"""Outside text, made safe to store and judged for emptiness: one rule for each, used by every path.

`clean_text` is applied once where text enters (`arrival.admit`, which every import, HTTP request and mail
passes; the CSAT import; column names of uploaded files); `is_blank`
is the one test of "is there anything to read?" (ticket bodies, replies, notes, subjects, macros, articles,
a lead's note).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

REPLACEMENT = "\ufffd"
_KEPT_CONTROLS = frozenset("\t\n")
# Unicode's noncharacters: valid code points that are reserved for a program's internal use and never
# interchanged; a file holding them was produced by a bug, and some drivers refuse them.
_NONCHARACTERS = frozenset(
    [chr(c) for c in range(0xFDD0, 0xFDF0)]
    + [chr(p + s) for p in range(0, 0x110000, 0x10000) for s in (0xFFFE, 0xFFFF)]
)
# Letters and symbols whose standard glyph is empty. Categories Z* (separators), C* (controls, format
# characters, surrogates, private use, unassigned) and Mn/Me (marks, which only decorate a neighbour) show
# nothing by themselves and are judged by category. Two kinds of character outside them also render as
# nothing: the Hangul fillers, the only characters of Unicode's Default_Ignorable_Code_Point property
# (DerivedCoreProperties.txt) that are not C*/Z*/Mn — they are Lo; and BRAILLE PATTERN BLANK (So), the
# braille cell with no dots raised, whose glyph is by definition empty. A new blank glyph found later is
# added here, in the one list.
_EMPTY_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


@dataclass(frozen=True)
class Cleaned:
    """Text as stored, and how many code points had to be replaced to store it."""

    text: str
    replaced: int


def clean(value: str) -> Cleaned:
    """`value` with every code point that cannot be stored or shown safely replaced by U+FFFD.

    Replaced: lone surrogates (no encoding can write them: the database driver raised UnicodeEncodeError),
    NUL (PostgreSQL refuses it in text) and the other C0/C1 controls except tab and newline (they move a
    terminal's cursor, end header lines, hide text), and noncharacters. Line ends become "\\n" (a Windows
    export and a Unix one are the same text), and the result is NFC, so two spellings of the same accented
    letter are one text (the import's message key hashes it). Nothing is dropped, so what was replaced
    stays visible where it was.
    """
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    replaced = 0
    if not text.isprintable():  # the fast path: almost every value is printable (noncharacters are not)
        out: list[str] = []
        for ch in text:
            if _invalid(ch):
                out.append(REPLACEMENT)
                replaced += 1
            else:
                out.append(ch)
        text = "".join(out)
    return Cleaned(unicodedata.normalize("NFC", text), replaced)


def clean_text(value: str) -> str:
    """`clean(value).text`: for callers that need the text, not the count."""
    return clean(value).text


def _invalid(ch: str) -> bool:
    category = unicodedata.category(ch)
    return (category == "Cc" and ch not in _KEPT_CONTROLS) or category == "Cs" or ch in _NONCHARACTERS


def is_blank(text: str) -> bool:
    """Nothing a person could read: only separators, controls, format characters, marks with nothing to
    mark, and the few letters and symbols whose glyph is empty (see `_EMPTY_GLYPHS`)."""
    return all(_shows_nothing(ch) for ch in text)


def _shows_nothing(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "ZC" or category in ("Mn", "Me") or ch in _EMPTY_GLYPHS


def replaced_note(replaced: int) -> str:
    """How an import reports a row that was stored with replacements."""
    return (
        f"{replaced} character{'s' if replaced != 1 else ''} that cannot be stored (NUL, control characters or "
        f"broken surrogates) {'were' if replaced != 1 else 'was'} replaced with {REPLACEMENT}."
    )
