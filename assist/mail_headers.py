"""E-mail header values, made safe in one place on the way in and on the way out.

`clean_header` is the one function every header value passes: a mail's subject, the sender's name and
attachment names when a mail arrives (`mail_in`), and every header of a reply we send
(`delivery.reply_email`). Line breaks of every kind (CR, LF and the others `str.splitlines` knows, such
as U+2028) and other control characters become spaces, so no stored value can end one header and start
another: an encoded Subject carrying CRLF + "Bcc:" stays one line of text, and a reply built from it is
always a valid message (Python's `email` refuses such a value, which used to fail every reply for good).

`decode_bytes` turns bytes in any declared charset into text without ever raising (an unknown or
unsafe charset falls back to UTF-8, then Latin-1); `sender_of` reads the From header without trusting
its display name.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.header import decode_header
from email.utils import getaddresses

from assist.text import is_blank

MAX_HEADER_CHARS = 4_000  # a longer header value is junk; cut before any parser sees it
MAX_MESSAGE_IDS = 100  # References of a long thread hold a few dozen

# Every control character (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Codecs that are text encodings by name but unfit for hostile input: punycode decodes in quadratic time,
# idna refuses `errors="replace"`, the escape codecs turn text into code points it never held.
_UNSAFE_CODECS = frozenset({"punycode", "idna", "undefined", "unicode_escape", "raw_unicode_escape"})
_MESSAGE_ID = re.compile(r"<[^<>\s\x00-\x1f\x7f]{1,250}>")
_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]{1,64}@[^@\s<>,;:\"()\[\]\\]{1,255}$")
_ANGLE_ONLY = re.compile(r"^(?P<name>[^<>]*)<(?P<address>[^<>]*)>\s*$")


def clean_header(value: str, *, limit: int | None = None) -> str:
    """One line of text fit for a header: control characters and line breaks become spaces, runs of
    white space one space, lone surrogates U+FFFD; cut to `limit` characters."""
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", value[:MAX_HEADER_CHARS]))
    text = " ".join(text.split())
    return text[:limit].rstrip() if limit is not None else text


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text from bytes in the declared charset; never raises. An unknown, non-text or unsafe charset is
    read as UTF-8 when the bytes are valid UTF-8, else as Latin-1 (every byte is a character, nothing is
    lost), and so is a declared one that turns readable bytes into nothing a person could read (UTF-8 labelled
    UTF-16 decodes to unassigned code points, which the intake would refuse as an empty message). NUL
    characters become U+FFFD: no database stores them in text."""
    codec = _text_codec(charset)
    text: str | None = None
    if codec is not None:
        try:
            text = data.decode(codec, errors="replace")
        except (UnicodeError, LookupError, ValueError, TypeError):
            text = None
    if text is None:
        text = _undeclared(data)
    elif is_blank(text):  # the declared charset read nothing; read undeclared, the bytes may say something
        fallback = _undeclared(data)
        text = text if is_blank(fallback) else fallback
    return text.replace("\x00", "\ufffd")


def _undeclared(data: bytes) -> str:
    """Bytes without a usable charset: UTF-8 when they are valid UTF-8, else Latin-1."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _text_codec(charset: str | None) -> str | None:
    name = (charset or "").strip().strip("\"'").lower()
    if not name or len(name) > 40:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _UNSAFE_CODECS:
        return None
    return info.name


def unfold(raw: str) -> str:
    """A header as read from the wire (continuation lines start with white space) as one value."""
    return re.sub(r"\r?\n(?=[ \t])", "", raw[:MAX_HEADER_CHARS])


def raw_text(raw: str) -> str:
    """A header value as the parser holds it (8-bit bytes kept as surrogate escapes) as real text."""
    return decode_bytes(raw.encode("utf-8", "surrogateescape"), "utf-8")


def decode_words(raw: str, *, limit: int | None = None) -> str:
    """An unstructured header (Subject, a file name) with its RFC 2047 encoded words decoded, cleaned."""
    value = unfold(raw)
    try:
        chunks = decode_header(value)
    except (HeaderParseError, ValueError, LookupError):
        return clean_header(raw_text(value), limit=limit)
    text = "".join(
        raw_text(chunk) if isinstance(chunk, str) else decode_bytes(chunk, charset or "utf-8")
        for chunk, charset in chunks
    )
    return clean_header(text, limit=limit)


def message_ids(raw: str) -> tuple[str, ...]:
    """The Message-IDs in a header (In-Reply-To, References, Message-ID), in order, at most 100."""
    found: list[str] = []
    for match in _MESSAGE_ID.finditer(unfold(raw)):
        found.append(match.group())
        if len(found) == MAX_MESSAGE_IDS:
            break
    return tuple(dict.fromkeys(found))


def is_plain_address(value: str) -> bool:
    """One bare address (`local@domain`), nothing around it: no name, no second address, no group, and no
    MIME encoded word (`=?utf-8?q?ceo?=@x` is shown as one address and delivered to another by mail software)."""
    return _ADDRESS.match(value) is not None and "=?" not in value


def address_key(address: str) -> str:
    """How two addresses are compared: trimmed and case-folded (`Ana@Example.com ` is ana@example.com)."""
    return address.strip().lower()


@dataclass(frozen=True)
class Sender:
    address: str  # normalised (`address_key`); "" when the header names no usable address
    name: str
    certain: bool  # exactly one well-formed mailbox: only then may the mail join an existing ticket


def sender_of(raw: str) -> Sender:
    """Who sent a mail, by the From header's address and never by its display name.

    Certain only when the header is plainly one mailbox: `address` or `name <address>`. So
    `customer@x.com <evil@y.com>` is a mail from evil@y.com (Python's parser reads the display name as
    the address there), and a header naming several mailboxes, or anything else odd, is uncertain:
    such a mail still becomes a ticket, but never joins an existing one."""
    value = clean_header(_without_comments(raw_text(unfold(raw))))
    angle = _ANGLE_ONLY.match(value)
    if angle is not None:
        name, address = decode_words(angle.group("name")).strip('" '), angle.group("address").strip()
        plain = True
    else:
        mailboxes = [(decode_words(n), a.strip()) for n, a in getaddresses([value]) if a.strip()]
        if not mailboxes:
            return Sender(address="", name="", certain=False)
        name, address = mailboxes[0]
        plain = len(mailboxes) == 1 and value == address
    well_formed = is_plain_address(address)
    if "@" in name and address_key(name.strip("<>")) != address_key(address):
        name = ""  # a display name that shows another address is a disguise, not a name
    return Sender(
        address=address_key(address) if well_formed else "",
        name=clean_header(name, limit=200),
        certain=well_formed and plain,
    )


def _without_comments(value: str) -> str:
    """The value without (comments) and stray parentheses: they never hold the address, and Python's
    address parser recurses once per nesting level (2,000 nested parentheses raised RecursionError)."""
    for _ in range(20):  # innermost first; real headers nest one or two deep
        value, found = re.subn(r"\([^()]*\)", " ", value)
        if not found:
            break
    return value.replace("(", " ").replace(")", " ")
