"""Redact personal data before text leaves for an LLM, and put it back in the reply.

Emails, phone numbers, payment card numbers (Luhn-checked) and IBANs (mod-97-checked) become
placeholders such as [EMAIL_1]; the same value always gets the same placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}\b")


def _luhn(digits: str) -> bool:
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
    return digits[0] in "23456" and len(set(digits)) > 1 and _luhn(digits)


def _iban_ok(value: str) -> bool:
    compact = value.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return len(compact) >= 15 and int(number) % 97 == 1


_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


def _phone_ok(value: str) -> bool:
    return not _DATE.match(value.strip()) and 7 <= len(re.sub(r"\D", "", value)) <= 15


@dataclass
class Redaction:
    placeholders: dict[str, str] = field(default_factory=dict)  # placeholder -> original

    def redact(self, text: str) -> str:
        text = self._replace(_IBAN, "IBAN", text, _iban_ok)
        text = self._replace(_CARD, "CARD", text, _card_ok)
        text = self._replace(_EMAIL, "EMAIL", text, lambda v: True)
        return self._replace(_PHONE, "PHONE", text, _phone_ok)

    def restore(self, text: str) -> str:
        for placeholder, original in self.placeholders.items():
            text = text.replace(placeholder, original)
        return text

    def _replace(self, pattern: re.Pattern[str], kind: str, text: str, valid: object) -> str:
        def swap(match: re.Match[str]) -> str:
            value = match.group(0)
            if not valid(value):  # type: ignore[operator]
                return value
            for placeholder, original in self.placeholders.items():
                if original == value:
                    return placeholder
            placeholder = f"[{kind}_{sum(p.startswith(f'[{kind}_') for p in self.placeholders) + 1}]"
            self.placeholders[placeholder] = value
            return placeholder

        return pattern.sub(swap, text)
