"""The words of one customer message that carry its content: without the greeting, the pleasantries, the
sign-off block, the signature, a legal disclaimer or quoted earlier mail.

Greetings, sign-offs and signatures are closed grammatical forms ("Hi team,", "Kind regards,", "Sent from my
iPhone"), recognised by their shape and position: a short line at the start or the end of the message. They
are cut because everything downstream reads the message as the question: a sign-off counted as a key word
once made a draft abstain "about 'add, explain, get, hundr'", and "Thanks in advance" read as gratitude.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|dear|good (morning|afternoon|evening)|greetings|to whom it may concern|yo|hallo|"
    r"bonjour|hola)\b[^.!?\n]{0,40}?([,!:.\-–—]|$)\s*",
    re.I,
)
# A pleasantry says nothing about the problem ("I hope you're well.", "Hope this finds you well.").
_PLEASANTRY = re.compile(
    r"^\s*(i\s+)?hope\s+(you|this|all|everyone|your)\b[^.!?\n]*[.!?]?\s*|"
    r"^\s*(how are you|happy (monday|friday))[^.!?\n]*[.!?]\s*",
    re.I,
)
_SIGN_OFF = re.compile(
    r"^\s*(thanks|thank you|thx|ty|many thanks|thanks again|thanks in advance|thank you in advance|cheers|best|"
    r"best wishes|regards|kind regards|best regards|warm regards|warmest regards|sincerely|yours|yours truly|"
    r"yours sincerely|all the best|br|rgds|cordially|respectfully|talk soon|have a (nice|good|great) (day|one))"
    r"\b[^\n]{0,30}$",
    re.I,
)
_SIGNATURE_LINE = re.compile(
    r"^\s*(--\s*|sent from my \w+.*|get outlook for \w+.*|this (e-?mail|message)( and any attachments?)? "
    r"(is|are|may be) (confidential|intended).*|confidentiality notice.*|disclaimer:.*|"
    r"how did we do\? rate this reply: .*)$",  # the survey link on a resolving reply (`csat.with_survey_link`)
    re.I,
)
_QUOTE_START = re.compile(r"^\s*(>|on .{4,120} wrote:\s*$|-{2,}\s*original message\s*-{2,}|from:\s.+@)", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
_SIGN_OFF_ZONE = 6  # lines from the end where a sign-off block may start
_SIGNATURE_WORDS = 8
_DASHES = re.compile(r"^\s*--\s*$")  # the conventional signature separator: everything under it is the signature
_PS = re.compile(r"^\s*p\.?\s?s\b", re.I)


def content(text: str) -> str:
    """The message's own words: quoted history, the sign-off block and signature, the greeting and
    pleasantries removed. The text itself when nothing would be left."""
    lines = text.replace("\r\n", "\n").split("\n")
    lines = _before_quote(lines)
    lines = _before_sign_off(lines)
    body = "\n".join(line for line in lines if not _SIGNATURE_LINE.match(line)).strip()
    body = GREETING.sub("", body, count=1).strip()
    while True:
        trimmed = _PLEASANTRY.sub("", body, count=1).strip()
        if trimmed == body:
            break
        body = trimmed
    return body if body else text.strip()


def without_signature(text: str) -> str:
    """The message as written, without quoted earlier mail, a "-- " signature or the block under a sign-off
    line when every line of it reads like a signature (short, no sentence, no "PS"). For what the words say
    (the signals): unlike `content`, it keeps the greeting and the pleasantries ("Hi I was charged twice"), and
    a sentence under "Thanks for nothing." stays ("I'm contacting my lawyer.")."""
    lines = _before_quote(text.replace("\r\n", "\n").split("\n"))
    dashes = next((n for n, line in enumerate(lines) if _DASHES.match(line)), len(lines))
    lines = [line for line in lines[:dashes] if not _SIGNATURE_LINE.match(line)]
    filled = [n for n, line in enumerate(lines) if line.strip()]
    n = next(_sign_off_lines(lines, filled), None)
    if n is not None and all(_signature_like(lines[m]) for m in filled if m > n):
        lines = lines[: n + 1]
    return "\n".join(lines).strip()


def _signature_like(line: str) -> bool:
    """A name, a title, a company or a phone number: a few words and no sentence."""
    line = line.strip()
    return len(line.split()) <= _SIGNATURE_WORDS and not _PS.match(line) and not line.endswith((".", "!", "?"))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _before_quote(lines: list[str]) -> list[str]:
    for n, line in enumerate(lines):
        if n and _QUOTE_START.match(line):
            return lines[:n]
    return lines


def _before_sign_off(lines: list[str]) -> list[str]:
    """Everything before a sign-off line near the end ("Thanks,\\nMaria\\n+44 ..."): what follows it is the
    signature. A sign-off that is a whole sentence of the message ("Thanks for the quick fix, it works.") is
    kept: only a short line counts."""
    filled = [n for n, line in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return lines
    n = next((n for n in _sign_off_lines(lines, filled) if n != filled[0]), None)
    return lines if n is None else lines[:n]


def _sign_off_lines(lines: list[str], filled: list[int]) -> Iterator[int]:
    """The short sign-off lines ("Kind regards,") near the end, first to last (`filled`: the non-blank lines)."""
    return (n for n in filled[-_SIGN_OFF_ZONE:] if _SIGN_OFF.match(lines[n]) and len(lines[n].split()) <= 5)
