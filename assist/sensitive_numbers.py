"""Where a text holds payment cards, IBANs and phone numbers: one detection, used by the prompt
redactor (`drafting.redaction`) and by masking on arrival (`masking`).

Detection reads a normalised *view* of the text (`View`), never the raw spelling: each character
cluster in NFKC form (full-width digits and letters become ASCII, non-breaking and thin spaces become
spaces, decomposed accents are composed) with every Unicode decimal digit as its ASCII digit. Numbers
are looked for in a view where any short run of separators between letters or digits (spaces of any
width, line breaks, dashes, dots, underscores, slashes, commas, colons, backticks) is one space, so
`4111_1111_1111_1111`, `DE89-3704-...` and `no.4111 1111 ...` are the same numbers as their plain spellings.
Characters that show nothing (zero-width spaces, bidi marks, soft hyphens, stray combining marks) are not in
the view at all. A match in a view maps back to the exact characters of the original (`Found.start/end`).

Phone numbers are found by Google's libphonenumber (the `phonenumbers` package: E.164 and national
formats of every country, with a default region for numbers written without a country code; a `00`
international prefix reads as `+`); payment cards with any separator, validated by Luhn (and a network's
first digit, so order numbers, timestamps and ids of 13-19 digits rarely pass); IBANs in any case, validated
by their mod-97 checksum.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers


class NumberKind(StrEnum):
    CARD = "card"
    IBAN = "iban"
    PHONE = "phone"


@dataclass(frozen=True)
class Found:
    """One number in the original text: `text[start:end]`, and its digits and letters as read (ASCII)."""

    kind: str  # a NumberKind; the redactor finds email addresses ("email") the same way
    start: int
    end: int
    value: str  # the normalised characters of the match, e.g. "4242 4242 4242 4242"


_IBAN_START = re.compile(r"\b[A-Za-z]{2}\d{2}")
_IBAN_BODY = re.compile(r"(?:[ ]?[A-Za-z0-9]){11,30}")
_CARD = re.compile(r"(?<!\d)(?:\d ?){12,18}\d(?!\d)")
# Up to six separator characters between groups: spaces of any kind and line breaks (a blank line too),
# dashes, dots, underscores, slashes, commas, colons and backticks.
_SEPARATORS = re.compile(r"(?<=[A-Za-z0-9])[\s\-_/.,:`\u00b7\u2010-\u2015\u2212]{1,6}(?=[A-Za-z0-9])")
_INTERNATIONAL_00 = re.compile(r"(?<![\d+])00(?=[1-9])")
_GROUPED_DIGITS = re.compile(r"\d+(?:[ \t\-_/.\u00b7\u2010-\u2015\u2212]{1,3}\d+)+")
_NOT_DIGIT = re.compile(r"\D")
_DIGIT_RUN = re.compile(r"\+?\(?\d[\d() \-.]{5,}\d")
_UNSEEN = ("Cf", "Mn", "Me")
_DATE = re.compile(r"\d{1,4}([-/.])\d{1,2}\1\d{1,4}")  # left alone: libphonenumber rightly skips dates


@dataclass(frozen=True)
class View:
    """A normalised copy of a text that remembers, for each of its characters, where it came from."""

    text: str
    origin: tuple[int, ...]  # origin[i]: index in the original of the character text[i] came from

    @classmethod
    def of(cls, original: str) -> View:
        if original.isascii():  # nothing to normalise (most text): every character is its own origin
            return cls(original, tuple(range(len(original))))
        chars: list[str] = []
        origin: list[int] = []
        for start, cluster in _clusters(original):
            # Format characters (zero-width spaces, joiners, bidi marks, soft hyphens) and combining marks left
            # after composition show nothing: read as if absent, so they cannot split a number or an address.
            normal = "".join(
                _digit(ch) for ch in unicodedata.normalize("NFKC", cluster) if unicodedata.category(ch) not in _UNSEEN
            )
            chars.append(normal)
            origin.extend([start] * len(normal))
        return cls("".join(chars), tuple(origin))

    def sub(self, pattern: re.Pattern[str], replace: Callable[[str], str]) -> View:
        """The view with each match replaced by `replace(match)`. A replacement of the same length keeps each
        character's origin; any other comes from the match's first character."""
        chars: list[str] = []
        origin: list[int] = []
        at = 0
        for match in pattern.finditer(self.text):
            new = replace(match.group(0))
            chars += [self.text[at : match.start()], new]
            origin.extend(self.origin[at : match.start()])
            if len(new) == match.end() - match.start():
                origin.extend(self.origin[match.start() : match.end()])
            else:
                origin.extend([self.origin[match.start()]] * len(new))
            at = match.end()
        chars.append(self.text[at:])
        origin.extend(self.origin[at:])
        return View("".join(chars), tuple(origin))

    def span(self, start: int, end: int, original: str) -> tuple[int, int]:
        """The original characters behind text[start:end] (with any combining marks of the last one)."""
        first, last = self.origin[start], self.origin[end - 1] + 1
        while last < len(original) and unicodedata.combining(original[last]):
            last += 1
        return first, last


def _clusters(text: str) -> Iterable[tuple[int, str]]:
    """Each character with the combining marks that follow it, so NFKC can compose them."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            yield start, text[start:i]
            start = i


def _digit(ch: str) -> str:
    value = unicodedata.decimal(ch, None)
    return str(value) if value is not None and not ch.isascii() else ch


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def card_ok(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    # Card networks issue numbers starting 2-6; a Luhn check alone also accepts "0000 0000 ...".
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and len(set(digits)) > 1 and luhn(digits)


def iban_ok(value: str) -> bool:
    compact = value.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isascii() or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


Span = tuple[int, int]  # start and end of a match in a view's text


def numbers_view(view: View) -> View:
    """Any short run of separators between letters or digits is one space."""
    return view.sub(_SEPARATORS, lambda _: " ")


def dialled_view(view: View) -> View:
    """`00` is `+`, and any separators between digit groups (other than a date's) are spaces, one for one."""
    view = view.sub(_INTERNATIONAL_00, lambda _: "+")
    return view.sub(_GROUPED_DIGITS, lambda run: run if _DATE.fullmatch(run) else _NOT_DIGIT.sub(" ", run))


def find(
    text: str, kind: str, *, view_of: Callable[[View], View], spans: Callable[[str], Iterable[Span]]
) -> list[Found]:
    """What `spans` finds in a normalised view of `text`, mapped back to the original; overlapping finds are one."""
    view = view_of(View.of(text))
    merged: list[list[int]] = []
    for start, end in sorted(spans(view.text)):
        first, last = view.span(start, end, text)
        if merged and first < merged[-1][1]:  # overlapping finds are one value: their union
            merged[-1][1], merged[-1][3] = max(merged[-1][1], last), max(merged[-1][3], end)
        else:
            merged.append([first, last, start, end])
    return [Found(kind, first, last, view.text[vs:ve]) for first, last, vs, ve in merged]


def cards(text: str) -> list[Found]:
    """Payment card numbers (Luhn-valid, 13-19 digits, any separators)."""
    return find(text, NumberKind.CARD, view_of=numbers_view, spans=_cards)


def ibans(text: str) -> list[Found]:
    """IBANs (mod-97 valid, any case and separators)."""
    return find(text, NumberKind.IBAN, view_of=numbers_view, spans=_ibans)


def phones(text: str, *, region: str) -> list[Found]:
    """Phone numbers as libphonenumber reads them; `region` for numbers written without a country code."""
    return find(text, NumberKind.PHONE, view_of=dialled_view, spans=lambda t: _phones(t, region))


def _ibans(text: str) -> Iterable[Span]:
    """IBANs in any case: the longest run after a country code and check digits that passes mod 97
    (in lower case the following words would otherwise be swallowed into the candidate)."""
    at = 0
    for start in _IBAN_START.finditer(text):
        if start.start() < at:
            continue
        body = _IBAN_BODY.match(text, start.end())
        if body is None:
            continue
        for end in range(body.end(), start.end(), -1):
            candidate = text[start.start() : end]
            if not candidate.endswith(" ") and (end == len(text) or not text[end].isalnum()) and iban_ok(candidate):
                yield start.start(), end
                at = end
                break


def _cards(text: str) -> Iterable[Span]:
    return [m.span() for m in _CARD.finditer(text) if card_ok(m.group(0))]


def _phones(text: str, region: str) -> Iterable[Span]:
    """libphonenumber over the text, and over each run of digits on its own: punctuation next to a
    number (a stray `()` or `+`) makes it drop the whole candidate."""
    found = [(m.start, m.end) for m in _matcher(text, region)]
    for run in _DIGIT_RUN.finditer(text):
        found += [(run.start() + m.start, run.start() + m.end) for m in _matcher(run.group(0), region)]
    return found


def _matcher(text: str, region: str) -> Iterable[phonenumbers.PhoneNumberMatch]:
    return phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
