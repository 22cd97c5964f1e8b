"""Redact personal data before text leaves for an LLM, and put it back in the reply.

Numbers are found by `assist.sensitive_numbers` (the one detection, shared with masking on arrival: a
normalised view of the text, so full-width digits, odd separators and invisible characters change
nothing): IBANs, payment cards (Luhn) and phone numbers (libphonenumber, with DEFAULT_PHONE_REGION for
numbers written without a country code); email addresses in any script are found here. Each becomes a
placeholder such as [PHONE_1]; the same value always gets the same placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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


@dataclass
class Redaction:
    region: str = "US"  # how to read phone numbers written without a country code
    placeholders: dict[str, str] = field(default_factory=dict)  # placeholder -> original

    def redact(self, text: str) -> str:
        """The text with every IBAN, payment card, email address and phone number replaced by a placeholder."""
        text = self._replace("IBAN", text, numbers.ibans(text))
        text = self._replace("CARD", text, numbers.cards(text))
        text = self._replace("EMAIL", text, _emails(text))
        return self._replace("PHONE", text, numbers.phones(text, region=self.region))

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
        placeholder = f"[{kind}_{sum(p.startswith(f'[{kind}_') for p in self.placeholders) + 1}]"
        self.placeholders[placeholder] = value
        return placeholder


def _emails(text: str) -> list[Found]:
    # Addresses are read as written (`\w` is Unicode already); only their span in the original is needed.
    return numbers.find(
        text, "email", view_of=lambda view: view, spans=lambda t: [m.span() for m in _EMAIL.finditer(t)]
    )
