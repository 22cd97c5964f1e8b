"""Redact personal data before text leaves for an LLM, and put it back in the reply.

Detection reads a normalised *view* of the text (`_View`), never the raw spelling: each character
cluster in NFKC form (full-width digits and letters become ASCII, non-breaking and thin spaces become
spaces, decomposed accents are composed) with every Unicode decimal digit as its ASCII digit. Numbers
are looked for in a view where any short run of separators between letters or digits (spaces of any
width, line breaks, dashes, dots, underscores, slashes, commas, colons, backticks) is one space, so
`4111_1111_1111_1111`, `DE89-3704-...` and `no.4111 1111 ...` are the same numbers as their plain spellings.
Characters that show nothing (zero-width spaces, bidi marks, soft hyphens, stray combining marks) are not in
the view at all. A match in a view maps back to the
exact characters of the original, which the placeholder replaces and `restore` puts back.

Phone numbers are found by Google's libphonenumber (the `phonenumbers` package: E.164 and national
formats of every country, with DEFAULT_PHONE_REGION for numbers written without a country code; a `00`
international prefix reads as `+`); payment cards with any separator, validated by Luhn; IBANs in any
case, validated by their mod-97 checksum; email addresses in any script. Each becomes a placeholder such
as [PHONE_1]; the same value always gets the same placeholder.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import phonenumbers

_IBAN_START = re.compile(r"\b[A-Za-z]{2}\d{2}")
_IBAN_BODY = re.compile(r"(?:[ ]?[A-Za-z0-9]){11,30}")
_CARD = re.compile(r"(?<!\d)(?:\d ?){12,18}\d(?!\d)")
# Any script (`\w` is Unicode); starts only where a run of address characters starts, so text without an @
# is scanned once, not once per character.
# Local parts with RFC 5322's other characters and quoted ones; domains with a punycode TLD or an IP literal.
_LOCAL = r"[\w.%+'!#$&*=?^`{|}~-]"
_EMAIL = re.compile(
    rf"(?:(?<!{_LOCAL}){_LOCAL}+|\"[^\"\n]{{1,64}}\")@"
    r"(?:[\w-]+(?:\.[\w-]+)*\.(?:[^\W\d_]{2,}|xn--[a-z0-9-]{2,})|\[[0-9A-Fa-f:.]{2,45}\])(?![\w-])"
)
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
class _View:
    """A normalised copy of a text that remembers, for each of its characters, where it came from."""

    text: str
    origin: tuple[int, ...]  # origin[i]: index in the original of the character text[i] came from

    @classmethod
    def of(cls, original: str) -> _View:
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

    def sub(self, pattern: re.Pattern[str], replace: Callable[[str], str]) -> _View:
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
        return _View("".join(chars), tuple(origin))

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


def _card_ok(value: str) -> bool:
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


def _numbers(view: _View) -> _View:
    """Any short run of separators between letters or digits is one space."""
    return view.sub(_SEPARATORS, lambda _: " ")


def _dialled(view: _View) -> _View:
    """`00` is `+`, and any separators between digit groups (other than a date's) are spaces, one for one."""
    view = view.sub(_INTERNATIONAL_00, lambda _: "+")
    return view.sub(_GROUPED_DIGITS, lambda run: run if _DATE.fullmatch(run) else _NOT_DIGIT.sub(" ", run))


def _as_written(view: _View) -> _View:
    return view


@dataclass
class Redaction:
    region: str = "US"  # how to read phone numbers written without a country code
    placeholders: dict[str, str] = field(default_factory=dict)  # placeholder -> original

    def redact(self, text: str) -> str:
        """The text with every IBAN, payment card, email address and phone number replaced by a placeholder."""
        text = self._replace("IBAN", text, _numbers, _ibans)
        text = self._replace("CARD", text, _numbers, _cards)
        text = self._replace("EMAIL", text, _as_written, _emails)
        return self._replace("PHONE", text, _dialled, self._phones)

    def restore(self, text: str) -> str:
        for placeholder, original in self.placeholders.items():
            text = text.replace(placeholder, original)
        return text

    def _replace(
        self, kind: str, text: str, view_of: Callable[[_View], _View], find: Callable[[str], Iterable[Span]]
    ) -> str:
        """Find `kind` in a normalised view of `text`; replace the original characters with placeholders."""
        view = view_of(_View.of(text))
        merged: list[list[int]] = []
        for start, end in sorted(view.span(start, end, text) for start, end in find(view.text)):
            if merged and start < merged[-1][1]:  # overlapping finds are one value: redact their union
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        out, at = [], 0
        for start, end in merged:
            out += [text[at:start], self._placeholder(kind, text[start:end])]
            at = end
        return "".join([*out, text[at:]])

    def _phones(self, text: str) -> Iterable[Span]:
        """libphonenumber over the text, and over each run of digits on its own: punctuation next to a
        number (a stray `()` or `+`) makes it drop the whole candidate."""
        found = [(m.start, m.end) for m in self._matcher(text)]
        for run in _DIGIT_RUN.finditer(text):
            found += [(run.start() + m.start, run.start() + m.end) for m in self._matcher(run.group(0))]
        return found

    def _matcher(self, text: str) -> Iterable[phonenumbers.PhoneNumberMatch]:
        return phonenumbers.PhoneNumberMatcher(text, self.region, leniency=phonenumbers.Leniency.POSSIBLE)

    def _placeholder(self, kind: str, value: str) -> str:
        for placeholder, original in self.placeholders.items():
            if original == value:
                return placeholder
        placeholder = f"[{kind}_{sum(p.startswith(f'[{kind}_') for p in self.placeholders) + 1}]"
        self.placeholders[placeholder] = value
        return placeholder


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
    return [m.span() for m in _CARD.finditer(text) if _card_ok(m.group(0))]


def _emails(text: str) -> Iterable[Span]:
    return [m.span() for m in _EMAIL.finditer(text)]
