"""Redact personal data before text leaves for an LLM, and put it back in the reply.

Phone numbers are found by Google's libphonenumber (the `phonenumbers` package: E.164 and national
formats of every country, with DEFAULT_PHONE_REGION for numbers written without a country code);
payment cards with any separator, validated by Luhn; IBANs in any case, validated by their mod-97
checksum; email addresses. Each becomes a placeholder such as [PHONE_1]; the same value always gets
the same placeholder, and `restore` puts the originals back into the model's reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import phonenumbers

_IBAN_START = re.compile(r"\b[A-Za-z]{2}\d{2}")
_IBAN_BODY = re.compile(r"(?:[ ]?[A-Za-z0-9]){11,30}")
_CARD = re.compile(r"(?<![\d.-])(?:\d[ .\-]?){12,18}\d(?![\d])")
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")


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
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


@dataclass
class Redaction:
    region: str = "US"  # how to read phone numbers written without a country code
    placeholders: dict[str, str] = field(default_factory=dict)  # placeholder -> original

    def redact(self, text: str) -> str:
        text = self._ibans(text)
        text = self._replace(_CARD, "CARD", text, _card_ok)
        text = self._replace(_EMAIL, "EMAIL", text, lambda v: True)
        return self._phones(text)

    def restore(self, text: str) -> str:
        for placeholder, original in self.placeholders.items():
            text = text.replace(placeholder, original)
        return text

    def _ibans(self, text: str) -> str:
        """IBANs in any case: the longest run after a country code and check digits that passes mod 97
        (in lower case the following words would otherwise be swallowed into the candidate)."""
        out, at = [], 0
        for start in _IBAN_START.finditer(text):
            if start.start() < at:
                continue
            body = _IBAN_BODY.match(text, start.end())
            if body is None:
                continue
            for end in range(body.end(), start.end(), -1):
                candidate = text[start.start() : end]
                if not candidate.endswith(" ") and (end == len(text) or not text[end].isalnum()) and iban_ok(candidate):
                    out += [text[at : start.start()], self._placeholder("IBAN", candidate)]
                    at = end
                    break
        return "".join([*out, text[at:]])

    def _phones(self, text: str) -> str:
        matches = list(phonenumbers.PhoneNumberMatcher(text, self.region, leniency=phonenumbers.Leniency.POSSIBLE))
        for match in reversed(matches):  # right to left, so earlier offsets stay valid
            text = text[: match.start] + self._placeholder("PHONE", match.raw_string) + text[match.end :]
        return text

    def _placeholder(self, kind: str, value: str) -> str:
        for placeholder, original in self.placeholders.items():
            if original == value:
                return placeholder
        placeholder = f"[{kind}_{sum(p.startswith(f'[{kind}_') for p in self.placeholders) + 1}]"
        self.placeholders[placeholder] = value
        return placeholder

    def _replace(self, pattern: re.Pattern[str], kind: str, text: str, valid: Callable[[str], bool]) -> str:
        def swap(match: re.Match[str]) -> str:
            value = match.group(0)
            return self._placeholder(kind, value) if valid(value) else value

        return pattern.sub(swap, text)
