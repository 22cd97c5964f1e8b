"""Card numbers (and, when set, phone numbers and IBANs) masked where customer text arrives."""

from __future__ import annotations

import pytest

from assist.config import Settings
from assist.masking import MaskRules, describe, mask
from assist.sensitive_numbers import NumberKind


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("card 4242 4242 4242 4242, thanks", "card [card ending 4242], thanks"),
        ("card 4242-4242-4242-4242.", "card [card ending 4242]."),
        ("4242424242424242", "[card ending 4242]"),
        ("Amex 3782 822463 10005 expired", "Amex [card ending 0005] expired"),
        ("mc:5555_5555_5555_4444", "mc:[card ending 4444]"),
        ("number\u00a04242\u00a04242\u00a04242\u00a04242", "number\u00a0[card ending 4242]"),
        ("ｆｕｌｌ ４２４２４２４２４２４２４２４２", "ｆｕｌｌ [card ending 4242]"),
        ("4242\u200b4242\u200b4242\u200b4242", "[card ending 4242]"),
        ("two: 4111 1111 1111 1111 and 5555 5555 5555 4444", "two: [card ending 1111] and [card ending 4444]"),
    ],
)
def test_a_card_number_is_masked_to_its_last_four_digits_in_any_spelling(typed: str, stored: str) -> None:
    assert mask(typed).text == stored
    assert mask(typed).counts == {NumberKind.CARD: stored.count("[card ending")}


NOT_CARDS = [
    "Order 1234567890123456 never arrived",  # 16 digits failing Luhn
    "id 4242424242424241",  # a card's length and network, one digit off: not a card
    "Ticket #330, invoice INV-2026-00042, order ORD-77812345",
    "Charged on 2026-12-03 and again on 03/12/2026 at 10:15:30",
    "timestamp 2026-12-03T10:15:30.123456Z, epoch 1733220000000",
    "request 550e8400-e29b-41d4-a716-446655440000 failed",
    "on version 4.24.2.4242 since 20261203",
    "tracking 1Z999AA10123456784",
    "0000 0000 0000 0000 and 1111 1111 1111 1117",  # Luhn-valid, but no card network issues them
    "call me at +1 415 555 0100",  # a phone number: masked only when MASK_PHONE_NUMBERS is set
    "IBAN DE89 3704 0044 0532 0130 00",  # an IBAN: masked only when MASK_IBANS is set
]


@pytest.mark.parametrize("text", NOT_CARDS)
def test_what_is_not_a_card_number_is_left_as_typed(text: str) -> None:
    assert mask(text).text == text and not mask(text).counts


def test_phone_numbers_are_masked_when_the_setting_says_so() -> None:
    rules = MaskRules.from_settings(Settings(mask_phone_numbers=True))
    masked = mask("card 4242 4242 4242 4242, call me at +1 415 555 0100", rules=rules)
    assert masked.text == "card [card ending 4242], call me at [phone ending 0100]"
    assert masked.counts == {NumberKind.CARD: 1, NumberKind.PHONE: 1}
    assert mask("ring 020 7946 0958", rules=MaskRules(phones=True, region="GB")).text == "ring [phone ending 0958]"


def test_ibans_are_masked_when_the_setting_says_so() -> None:
    rules = MaskRules.from_settings(Settings(mask_ibans=True))
    masked = mask("pay to de89 3704 0044 0532 0130 00 please", rules=rules)
    assert masked.text == "pay to [IBAN ending 3000] please"
    assert masked.counts == {NumberKind.IBAN: 1}


def test_the_settings_are_off_by_default_and_cards_are_always_masked() -> None:
    assert MaskRules.from_settings(Settings()) == MaskRules()
    assert mask("4242 4242 4242 4242 / +1 415 555 0100", rules=MaskRules.from_settings(Settings())).text == (
        "[card ending 4242] / +1 415 555 0100"
    )


def test_masking_twice_changes_nothing_more() -> None:
    rules = MaskRules(phones=True, ibans=True)
    once = mask("4242 4242 4242 4242, +1 415 555 0100, DE89 3704 0044 0532 0130 00", rules=rules)
    again = mask(once.text, rules=rules)
    assert again.text == once.text and not again.counts


def test_what_was_masked_is_said_in_words_without_the_numbers() -> None:
    assert describe({NumberKind.CARD: 1}) == "1 card number"
    assert describe({NumberKind.CARD: 2, NumberKind.PHONE: 1}) == "2 card numbers and 1 phone number"
    assert describe({NumberKind.CARD: 1, NumberKind.IBAN: 1, NumberKind.PHONE: 3}) == (
        "1 card number, 1 IBAN and 3 phone numbers"
    )
