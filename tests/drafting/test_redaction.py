from __future__ import annotations

import pytest

from assist.drafting.redaction import Redaction


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("write to dana.reyes+billing@acme.example please", "[EMAIL_1]"),
        ("call me on +44 20 7946 0958", "[PHONE_1]"),
        ("or (555) 123-4567 after 5pm", "[PHONE_1]"),
        ("my card 4111 1111 1111 1111 was charged", "[CARD_1]"),
        ("card 4111-1111-1111-1111", "[CARD_1]"),
        ("IBAN DE89 3704 0044 0532 0130 00 for the refund", "[IBAN_1]"),
        ("IBAN GB82WEST12345698765432", "[IBAN_1]"),
        # Formats the security probe found unredacted (issue 13, finding 7):
        ("call +14155552671 today", "[PHONE_1]"),
        ("my number is 4155552671", "[PHONE_1]"),
        ("UK mobile +44 7911 123456", "[PHONE_1]"),
        ("dots 4111.1111.1111.1111 too", "[CARD_1]"),
        ("iban de89370400440532013000 lowercase", "[IBAN_1]"),
        ("fr: +33 6 12 34 56 78", "[PHONE_1]"),
        ("mastercard 5555555555554444", "[CARD_1]"),
    ],
)
def test_personal_data_is_replaced_and_restored(text: str, placeholder: str) -> None:
    redaction = Redaction()
    redacted = redaction.redact(text)
    assert placeholder in redacted
    assert redaction.placeholders[placeholder] not in redacted
    assert redaction.restore(redacted) == text


@pytest.mark.parametrize(
    "text",
    [
        "Invoice INV-20931 from 2026-03-31",
        "refunds take 5-10 business days",
        "order 1234 5678 9012 3456 is not a valid card (Luhn)",
        "request_id req_8KfA2LQ9",
        "DE00 0000 0000 0000 0000 00 fails the IBAN checksum",
    ],
)
def test_lookalikes_are_left_alone(text: str) -> None:
    assert Redaction().redact(text) == text


def test_the_same_value_gets_the_same_placeholder() -> None:
    redaction = Redaction()
    assert redaction.redact("a@b.io and again a@b.io, also c@d.io") == "[EMAIL_1] and again [EMAIL_1], also [EMAIL_2]"


def test_another_customer_s_placeholders_are_never_restored_to_this_customer_s_values() -> None:
    theirs = Redaction(label="OTHER_").redact("We called +1 415 555 0132 and mailed dana@northwind.example.")
    ours = Redaction()
    prompt = ours.redact(f"My number is +1 212 555 0100, mail sam@example.com. An earlier reply said: {theirs}")

    restored = ours.restore(prompt)

    assert "[OTHER_PHONE_1]" in theirs and "[OTHER_EMAIL_1]" in theirs
    assert "+1 212 555 0100" in restored and "sam@example.com" in restored
    assert "[OTHER_PHONE_1]" in restored and "[OTHER_EMAIL_1]" in restored  # theirs stay placeholders
    assert restored.count("212 555 0100") == 1
