"""Card numbers (and, when set, phone numbers and IBANs) masked where customer text arrives, so they are
never stored or shown as typed: `4242 4242 4242 4242` becomes `[card ending 4242]`.

`arrival.admit` masks the body and the subject of every arrival (imports, the HTTP intake, the mailbox, new
tickets and follow-ups alike). Payment
cards are always masked (Luhn-valid numbers of a card network: `sensitive_numbers.card_ok`);
MASK_PHONE_NUMBERS and MASK_IBANS add the others. What was masked is counted, so the audit log can say
"masked 1 card number" without the number. Rows stored before masking existed are masked by migration
0016, which keeps its own frozen copy of the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from assist import sensitive_numbers as numbers
from assist.config import Settings
from assist.sensitive_numbers import Found, NumberKind
from assist.store import audit

_LABELS = {NumberKind.CARD: "card", NumberKind.IBAN: "IBAN", NumberKind.PHONE: "phone"}
_NAMES = {NumberKind.CARD: "card number", NumberKind.IBAN: "IBAN", NumberKind.PHONE: "phone number"}


@dataclass(frozen=True)
class MaskRules:
    """What is masked besides card numbers, and how phone numbers without a country code are read."""

    phones: bool = False
    ibans: bool = False
    region: str = "US"

    @classmethod
    def from_settings(cls, settings: Settings) -> MaskRules:
        return cls(phones=settings.mask_phone_numbers, ibans=settings.mask_ibans, region=settings.default_phone_region)


@dataclass(frozen=True)
class Masked:
    text: str
    counts: Mapping[NumberKind, int] = field(default_factory=dict)  # only kinds masked at least once


CARDS_ONLY = MaskRules()  # the rule without settings: card numbers, always


def mask(text: str, *, rules: MaskRules = CARDS_ONLY) -> Masked:
    """`text` with each card number (and IBAN and phone number, when `rules` say so) replaced by its kind and
    last four characters, e.g. `[card ending 4242]`; text without them comes back unchanged."""
    counts: dict[NumberKind, int] = {}
    if rules.ibans:  # first: an IBAN's digits could otherwise be read as a card or a phone number
        text = _replace(text, numbers.ibans(text), counts)
    text = _replace(text, numbers.cards(text), counts)
    if rules.phones:
        text = _replace(text, numbers.phones(text, region=rules.region), counts)
    return Masked(text, counts)


def add_counts(*counts: Mapping[NumberKind, int]) -> dict[NumberKind, int]:
    total: dict[NumberKind, int] = {}
    for each in counts:
        for kind, n in each.items():
            total[kind] = total.get(kind, 0) + n
    return total


def describe(counts: Mapping[NumberKind, int]) -> str:
    """What was masked, in words and never the numbers: "1 card number and 2 phone numbers"."""
    parts = [f"{n} {_NAMES[kind]}{'s' if n != 1 else ''}" for kind, n in counts.items() if n]
    return " and ".join(filter(None, [", ".join(parts[:-1]), parts[-1]])) if parts else "nothing"


def _replace(text: str, found: list[Found], counts: dict[NumberKind, int]) -> str:
    out, at = [], 0
    for f in found:
        kind = NumberKind(f.kind)
        out += [text[at : f.start], f"[{_LABELS[kind]} ending {_last_four(f.value)}]"]
        counts[kind] = counts.get(kind, 0) + 1
        at = f.end
    return "".join([*out, text[at:]])


def _last_four(value: str) -> str:
    # From the normalised reading: full-width or Arabic-Indic digits are shown as the ASCII digits they are.
    return "".join(ch for ch in value if ch.isascii() and ch.isalnum())[-4:].upper()


def record(session: Session, *, ticket_id: int, counts: Mapping[NumberKind, int], actor: str) -> None:
    """The audit event of a masking: the kinds and how many, never a digit of the numbers."""
    if not any(counts.values()):
        return
    audit.record(
        session,
        actor=actor,
        action="message.masked",
        entity_type="ticket",
        entity_id=ticket_id,
        detail={
            "summary": f"masked {describe(counts)} in a message of ticket #{ticket_id}",
            **{str(kind): n for kind, n in counts.items()},
        },
    )
