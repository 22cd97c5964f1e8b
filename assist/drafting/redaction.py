"""Redact personal data before text leaves for an LLM, and put it back in the reply.

Numbers are found by `assist.sensitive_numbers` (the one detection, shared with masking on arrival: a
normalised view of the text, so full-width digits, odd separators and invisible characters change
nothing): IBANs, payment cards (Luhn) and phone numbers (libphonenumber, with DEFAULT_PHONE_REGION for
numbers written without a country code); email addresses in any script are found here. Each becomes a
placeholder such as [PHONE_1]; the same value always gets the same placeholder.

A reply reused for another customer (`assist.similar`) goes through the same rule with more to find:
`names` (the other customer's, from their row and signature) and `values` (their invoice numbers) become
[NAME_1] / [INVOICE_1]; order, invoice and ticket references ([ORDER_1], [INVOICE_1], [TICKET_1]) and the
markers masking left (`[card ending 4242]`) go whatever they are; amounts and dates go when their `thread`
holds them too (an amount an article states, "$12 per seat", stays).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from assist import sensitive_numbers as numbers
from assist.sensitive_numbers import Found

# Any script (`\w` is Unicode); starts only where a run of address characters starts, so text without an @
# is scanned once, not once per character.
# Local parts with RFC 5322's other characters and quoted ones; domains with a punycode TLD or an IP literal.
_LOCAL = r"[\w.%+'!#$&*=?^`{|}~-]"
_EMAIL = re.compile(
    rf"(?:(?<!{_LOCAL}){_LOCAL}+|\"[^\"\n]{{1,64}}\")@"
    r"(?:[\w-]+(?:\.[\w-]+)*\.(?:[^\W\d_]{2,}|xn--[a-z0-9-]{2,})|\[[0-9A-Fa-f:.]{2,45}\])(?![\w-])"
)


_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_MONTH = rf"(?:{_MONTHS})[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)\b",
    re.I,
)
_AMOUNT = re.compile(
    r"(?:[$€£¥]|\b(?:USD|EUR|GBP|CHF)\s?)\d[\d,.' ]*\d|(?:[$€£¥]|\b(?:USD|EUR|GBP|CHF)\s?)\d|"
    r"\b\d[\d,.']*\s?(?:[$€£¥]|(?:USD|EUR|GBP|CHF|dollars?|euros?|pounds?)\b)",
    re.I,
)
# A reference: a keyword, an optional "no." / "number" / "#" / ":", and an id with a digit in it; or a
# prefixed id on its own (ORD-1042, INV-2026-0042, #4711).
_ID = r"#?\s?[A-Z]{0,5}[-_]?\d[\w-]*"
_REFERENCES = {
    "ORDER": re.compile(
        rf"\b(?:order|purchase|PO)\s*(?:no\.?|number|nr\.?|id|ref\.?)?\s*[:#]?\s*{_ID}|\bORD-?\d[\w-]*", re.I
    ),
    "INVOICE": re.compile(
        rf"\b(?:invoice|receipt|bill)\s*(?:no\.?|number|nr\.?|id|ref\.?)?\s*[:#]?\s*{_ID}|\bINV-?\d[\w-]*", re.I
    ),
    "TICKET": re.compile(
        rf"\b(?:ticket|case|request|reference|ref\.?)\s*(?:no\.?|number|nr\.?|id)?\s*[:#]?\s*{_ID}|#\d{{2,}}\b", re.I
    ),
}
_MASKED = re.compile(r"\[(card|IBAN|phone) ending [0-9A-Za-z]{4}\]", re.I)  # what `assist.masking` left


@dataclass
class Redaction:
    region: str = "US"  # how to read phone numbers written without a country code
    placeholders: dict[str, str] = field(default_factory=dict)  # placeholder -> original
    names: tuple[str, ...] = ()  # another customer's names, replaced wherever they appear
    values: tuple[str, ...] = ()  # another customer's invoice numbers
    references: bool = False  # order, invoice and ticket references and masked markers too
    thread: str | None = None  # amounts and dates found here are another customer's too
    # Put before each kind ("OTHER_" -> "[OTHER_PHONE_1]"): another customer's placeholders then never match the
    # ones the LLM drafter's own redaction restores to this customer's values.
    label: str = ""

    def redact(self, text: str) -> str:
        """The text with every IBAN, payment card, email address and phone number replaced by a placeholder
        (and, when set, names, references, and the amounts and dates of `thread`)."""
        if self.references:  # before the numbers: "[card ending 4242]" and "INV-2026-0042" hold digits
            text = self._replace("INVOICE", text, _literal(text, self.values))
            text = self._replace_pattern(text, _MASKED, lambda m: m.group(1).upper())
        text = self._replace("IBAN", text, numbers.ibans(text))
        text = self._replace("CARD", text, numbers.cards(text))
        text = self._replace("EMAIL", text, _emails(text))
        text = self._replace("PHONE", text, numbers.phones(text, region=self.region))
        if self.references:
            for kind, pattern in _REFERENCES.items():
                text = self._replace_pattern(text, pattern, _always(kind))
        if self.thread is not None:
            theirs = {_key(m.group(0)) for p in (_AMOUNT, _DATE) for m in p.finditer(self.thread)}
            for kind, pattern in (("AMOUNT", _AMOUNT), ("DATE", _DATE)):
                text = self._replace_pattern(text, pattern, _when_in(kind, theirs))
        return self._replace("NAME", text, _literal(text, self.names))

    def _replace_pattern(
        self, text: str, pattern: re.Pattern[str], kind_of: Callable[[re.Match[str]], str | None]
    ) -> str:
        out, at = [], 0
        for match in pattern.finditer(text):
            kind = kind_of(match)
            if kind is None or _inside_placeholder(text, match.start()):
                continue
            out += [text[at : match.start()], self._placeholder(kind, match.group(0))]
            at = match.end()
        return "".join([*out, text[at:]])

    def restore(self, text: str) -> str:
        for placeholder, original in self.placeholders.items():
            text = text.replace(placeholder, original)
        return text

    def _replace(self, kind: str, text: str, found: Iterable[Found]) -> str:
        """The original characters of each find replaced with its placeholder."""
        out, at = [], 0
        for f in found:
            out += [text[at : f.start], self._placeholder(kind, text[f.start : f.end])]
            at = f.end
        return "".join([*out, text[at:]])

    def _placeholder(self, kind: str, value: str) -> str:
        for placeholder, original in self.placeholders.items():
            if original == value:
                return placeholder
        kind = f"{self.label}{kind}"
        placeholder = f"[{kind}_{sum(p.startswith(f'[{kind}_') for p in self.placeholders) + 1}]"
        self.placeholders[placeholder] = value
        return placeholder


def _always(kind: str) -> Callable[[re.Match[str]], str | None]:
    return lambda _: kind


def _when_in(kind: str, theirs: set[tuple[str, ...]]) -> Callable[[re.Match[str]], str | None]:
    return lambda m: kind if _key(m.group(0)) in theirs else None


def _inside_placeholder(text: str, at: int) -> bool:
    """Whether `at` is within a placeholder already written (its digits are not the customer's)."""
    opening = text.rfind("[", 0, at + 1)
    return opening != -1 and "]" not in text[opening:at] and re.match(r"\[[A-Z_]+_\d+\]", text[opening:]) is not None


def _key(value: str) -> tuple[str, ...]:
    """An amount or a date as its numbers and month, so "$42.50" is "42.50 USD" and "3 March" is "March 3"."""
    parts = re.findall(rf"\d+|{_MONTHS}", value.lower())
    return tuple(sorted(p.lstrip("0") or "0" if p.isdigit() else p for p in parts))


def _literal(text: str, values: Iterable[str]) -> list[Found]:
    """Where each of `values` occurs as a whole word (any case); the longest first, overlaps merged."""
    spans: list[tuple[int, int]] = []
    for value in sorted({v for v in values if len(v.strip()) >= 2}, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(value.strip())}(?!\w)", text, re.I):
            if not any(s < m.end() and m.start() < e for s, e in spans) and not _inside_placeholder(text, m.start()):
                spans.append(m.span())
    return [Found("literal", s, e, text[s:e]) for s, e in sorted(spans)]


def _emails(text: str) -> list[Found]:
    # Addresses are read as written (`\w` is Unicode already); only their span in the original is needed.
    return numbers.find(
        text, "email", view_of=lambda view: view, spans=lambda t: [m.span() for m in _EMAIL.finditer(t)]
    )
