"""`admit` on the typed `Arrival` every channel builds (issue 37): what a mail or a request becomes, found by a
second read of the change. A mail is never refused for its length and never loses a card number's mask to a cut;
a request's text is never cut to make room for its attachments."""

from __future__ import annotations

import re

import pytest

from assist.arrival import ATTACHMENT_NAME_CHARS, Arrival, Attachment, admit
from assist.domain import Channel
from assist.errors import ValidationError
from assist.store import limits

DOUBLING = "\u0958"  # one character that the text cleaning's NFC writes as two


def _mail(**values: object) -> Arrival:
    return Arrival(channel=Channel.EMAIL, customer_email="ana@example.com", shorten=True, **values)  # type: ignore[arg-type]


def test_a_mail_of_only_unread_parts_is_stored_with_its_count() -> None:
    assert admit(_mail(body="", attachments_unread=101), max_chars=20_000).body == "[Attachments:  and 101 more]"


def test_a_mails_one_line_fields_are_cut_to_what_is_stored_never_refused() -> None:
    admitted = admit(
        _mail(body="Still broken.", subject="Re: " + DOUBLING * 296, customer_name=DOUBLING * 200), max_chars=20_000
    )
    assert len(admitted.subject) == limits.SUBJECT and len(admitted.customer_name) == limits.CUSTOMER_NAME


def test_a_cut_through_a_card_number_leaves_none_of_its_digits() -> None:
    body = "x " * 40 + "my card 4111 1111 1111 1111 expires soon " + "y " * 40
    for max_chars in range(60, 200, 3):
        stored = admit(_mail(body=body), max_chars=max_chars).body
        assert len(stored) <= max_chars and not re.search(r"1111 1", stored), (max_chars, stored)


def test_a_requests_text_is_never_cut_for_its_attachments_and_too_long_is_refused() -> None:
    files = tuple(Attachment(name=DOUBLING * ATTACHMENT_NAME_CHARS, size=10**12) for _ in range(25))
    request = Arrival(channel=Channel.CHAT, customer_email="ana@example.com", body="The text.", attachments=files)
    stored = admit(request, max_chars=20_000).body
    assert stored.startswith("The text.\n\n[Attachments: ") and "shortened" not in stored
    assert stored.endswith(" and 5 more]")
    with pytest.raises(ValidationError, match="Shorten it"):
        admit(request, max_chars=3_000)


def test_a_card_number_in_an_attachments_name_is_masked_and_counted() -> None:
    """Second read: the list of attachments was added after masking, so `visa 4111 1111 1111 1111.jpg` was stored."""
    mail = _mail(body="See the scan.", attachments=(Attachment(name="visa 4111 1111 1111 1111.jpg", size=2048),))
    admitted = admit(mail, max_chars=20_000)
    assert "4111 1111" not in admitted.body and "[Attachments: visa " in admitted.body
    assert sum(admitted.masked.values()) == 1


def test_a_huge_mail_is_masked_only_as_far_as_it_is_stored() -> None:
    """Second read: a 1 MB mail was cleaned and masked whole (31 s with phone masking) and the audit log counted
    25,000 cards of which 450 were stored."""
    body = "Card 4111 1111 1111 1111 again. " * 40_000
    admitted = admit(_mail(body=body), max_chars=20_000)
    assert len(admitted.body) <= 20_000 and f"[message shortened: {len(body):,} characters]" in admitted.body
    assert sum(admitted.masked.values()) <= 20_000 // len("Card 4111 1111 1111 1111 again. ") + 40
