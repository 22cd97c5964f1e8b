"""Personal data reached the LLM in 8 of 18 spellings (issue 31, finding 6): cards with non-breaking or double
spaces, after "no.", in full-width digits, with underscores or slashes; IBANs with dashes or non-breaking
spaces; an e-mail address with accented letters; a phone written `0044 20 7946 0958`.

The inputs are generated, not listed: every separator x every format x every digit script x every position in
a sentence. Redaction reads a normalised view of the text (`assist.drafting.redaction._View`), so a spelling is
just another view of the same number. The sentences hold no digits and no @ of their own: any that survive came
from the personal data.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from assist.drafting.redaction import Redaction

CARDS = [("4111", "1111", "1111", "1111"), ("5555", "5555", "5555", "4444"), ("3782", "822463", "10005"),
         ("6011", "1111", "1111", "1117")]  # fmt: skip
IBANS = [("DE89", "3704", "0044", "0532", "0130", "00"), ("GB82", "WEST", "1234", "5698", "7654", "32"),
         ("FR14", "2004", "1010", "0505", "0001", "3M02", "606"), ("NL91", "ABNA", "0417", "1643", "00")]  # fmt: skip
PHONES = [("+44", "20", "7946", "0958"), ("0044", "20", "7946", "0958"), ("+1", "415", "555", "2671"),
          ("415", "555", "2671"), ("+33", "6", "12", "34", "56", "78"), ("+49", "30", "901820")]  # fmt: skip
SEPARATORS = [" ", "", "  ", "\u00a0", "\u202f", "\u2009", "-", "\u2013", ".", "_", "/", " - "]
# The re-probe's spellings (characters that show nothing, longer runs, other punctuation): cards and IBANs.
UNSEEN = ["\u200b", "\u2060", "\u00ad", "\u200c", "\ufeff", "\u200f"]
MORE_SEPARATORS = [*UNSEEN, "    ", "\r\n\r\n", ",", ":", "` `"]
DIGITS = {
    "ascii": str.maketrans("", ""),
    "full-width": str.maketrans("0123456789+", "０１２３４５６７８９＋"),
    "arabic-indic": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
}
SENTENCES = ["{} is mine.", "Please use {} for this.", "Charge it to {}", "Card no.{} expired.", "(ref: {})",
             "Use:{},thanks", "Line one\n{}\nline two", "«{}»", "It is {}. Thanks!"]  # fmt: skip
EMAILS = ["dana.reyes+billing@acme.example", "josé.müller@exämple.de", "jose\u0301@example.com",
          "ｄａｎａ＠ａｃｍｅ．ｅｘａｍｐｌｅ", "пользователь@пример.рф",
          "user_name@sub-domain.example.co.uk", '"dana reyes"@acme.example', "user@example.xn--p1ai",
          "user@[192.0.2.1]", "dana\u200b@acme.example", "dana\u202e@acme.example", "o'brien@acme.example",
          "dana!x#y$z@acme.example"]  # fmt: skip


def _leaks(kind: str, groups: tuple[str, ...], separators: list[str] = SEPARATORS) -> list[str]:
    """Every spelling of one number in which a digit of it reaches the redacted text, or restore fails."""
    leaks = []
    for separator, (script, digits), sentence in itertools.product(separators, DIGITS.items(), SENTENCES):
        spelled = separator.join(groups).translate(digits)
        text = sentence.format(spelled)
        redaction = Redaction(region="US")
        redacted = redaction.redact(text)
        left = re.sub(r"\[[A-Z]+_\d+\]", "", redacted)
        if re.search(r"\d", left) or redaction.restore(redacted) != text:
            leaks.append(f"{kind} {script} {separator!r} {text!r} -> {redacted!r}")
    return leaks


def test_no_digit_of_a_card_survives_in_any_spelling_or_position() -> None:
    leaks = [leak for card in CARDS for leak in _leaks("card", card, SEPARATORS + MORE_SEPARATORS)]
    assert not leaks, f"{len(leaks)} leaks, e.g. " + "\n".join(leaks[:10])


def test_no_digit_of_an_iban_survives_in_any_spelling_or_position() -> None:
    spellings = [*IBANS, *(tuple(g.lower() for g in iban) for iban in IBANS)]
    leaks = [leak for iban in spellings for leak in _leaks("iban", iban, SEPARATORS + MORE_SEPARATORS)]
    assert not leaks, f"{len(leaks)} leaks, e.g. " + "\n".join(leaks[:10])


def test_no_digit_of_a_phone_number_survives_in_any_spelling_or_position() -> None:
    leaks = [leak for phone in PHONES for leak in _leaks("phone", phone, SEPARATORS + UNSEEN)]
    assert not leaks, f"{len(leaks)} leaks, e.g. " + "\n".join(leaks[:10])


def test_email_addresses_in_any_script_are_redacted_in_any_position() -> None:
    leaks = []
    for email, sentence in itertools.product(EMAILS, SENTENCES):
        text = sentence.format(email)
        redaction = Redaction()
        redacted = redaction.redact(text)
        if "@" in unicodedata.normalize("NFKC", redacted) or redaction.restore(redacted) != text:
            leaks.append(f"{text!r} -> {redacted!r}")
    assert not leaks, "\n".join(leaks)


_SEPARATOR = st.sampled_from(SEPARATORS)
_NUMBER = st.sampled_from([*CARDS, *IBANS, *PHONES])


@settings(max_examples=1500, deadline=None)
@given(
    groups=_NUMBER,
    separators=st.lists(_SEPARATOR, min_size=8, max_size=8),
    script=st.sampled_from(sorted(DIGITS)),
    before=st.text(st.sampled_from("abc XYZ.,:;()[]-+_/\n\u00a0"), max_size=12),
    after=st.text(st.sampled_from("abc XYZ.,:;()[]-+_/\n\u00a0"), max_size=12),
)
def test_mixed_separators_anywhere_leave_no_digit(
    groups: tuple[str, ...], separators: list[str], script: str, before: str, after: str
) -> None:
    """Separators mixed within one number, and arbitrary text around it (no letters or digits touching it)."""
    spelled = (groups[0] + "".join(s + g for s, g in zip(separators, groups[1:], strict=False))).translate(
        DIGITS[script]
    )
    text = f"{before} {spelled} {after}"
    redaction = Redaction()
    redacted = redaction.redact(text)
    assert not re.search(r"\d", re.sub(r"\[[A-Z]+_\d+\]", "", redacted)), (text, redacted)
    assert redaction.restore(redacted) == text


def test_digits_carrying_combining_marks_are_still_a_card() -> None:
    text = "Card " + "".join(f"{d}\u0332" for d in "4111111111111111") + " please."
    redaction = Redaction()
    redacted = redaction.redact(text)
    assert not re.search(r"\d", re.sub(r"\[[A-Z]+_\d+\]", "", redacted)) and redaction.restore(redacted) == text


def test_a_card_straddling_the_prompts_cut_leaves_no_digit_in_the_prompt() -> None:
    """The prompt cut each message to its length limit before redacting it: the front of a card across the cut
    reached the LLM (12 to 15 of 16 digits, the last one given by Luhn)."""
    from assist.domain import SentimentLevel
    from assist.drafting.prompt import MAX_MESSAGE_CHARS, build_messages
    from tests.factories import detail

    for offset in range(1, 19):
        body = "x" * (MAX_MESSAGE_CHARS - offset) + " 4111 1111 1111 1111 is my card."
        redaction = Redaction()
        messages = build_messages(
            ticket=detail(body=body),
            passages=[],
            stance="answer",
            level=SentimentLevel.NEUTRAL,
            customer_summary="",
            redact=redaction.redact,
        )
        prompt = "\n".join(str(m.content) for m in messages)
        assert "4111" not in prompt and "111 1" not in prompt, offset
