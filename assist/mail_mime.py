"""The parts of a raw e-mail, read without trusting it.

Python's `email` parser recurses once per nested multipart (1,200 levels raised RecursionError before a
single part was read) and `get_content` raises LookupError on an unknown charset. `read_mime` walks the
parts itself with an explicit stack: each entity's header block is parsed on its own (flat), multipart
bodies are split at their boundary lines, and nesting and the number of parts are capped before
anything descends. Text is decoded by `mail_headers.decode_bytes`, which never raises.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

from assist.arrival import Attachment
from assist.errors import UnreadableMailError
from assist.mail_headers import MAX_HEADER_CHARS, decode_bytes, decode_words, unfold

MAX_DEPTH = 20  # real mail nests 3-5 deep (mixed > alternative > related, a forwarded message or two)
MAX_PARTS = 1_000  # parts read; the ones after are counted, not read
MAX_TEXT_BYTES = 4_000_000  # of one text part; a message body is cut far below this anyway
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_HEADER_LINE = re.compile(rb"From |[\x21-\x39\x3b-\x7e]+:")  # a field name and its colon (as Python's parser)


@dataclass
class MimeParts:
    headers: Message  # the top-level header block (compat32: values as sent, nothing parsed yet)
    plain: str | None = None  # the first inline text/plain part
    html: str | None = None  # the first inline text/html part
    text_cut: bool = False  # the text part was longer than MAX_TEXT_BYTES and was cut before decoding
    attachments: list[Attachment] = field(default_factory=list)
    unread: int = 0  # parts past MAX_PARTS: counted, not read

    def header(self, name: str) -> str:
        """The raw value of the first `name` header ('' if none), at most MAX_HEADER_CHARS."""
        for key, value in self.headers.raw_items():
            if key.lower() == name.lower():
                return str(value)[:MAX_HEADER_CHARS]
        return ""

    def count(self, name: str) -> int:
        """How many `name` headers the message has (RFC 5322 allows one From; a second is a disguise)."""
        return sum(1 for key, _ in self.headers.raw_items() if key.lower() == name.lower())


def read_headers(raw: bytes) -> MimeParts:
    """Only the top-level header block of `raw` (for a list of what was quarantined)."""
    return MimeParts(headers=_split(raw)[0])


def read_mime(raw: bytes) -> MimeParts:
    """Every part of `raw`, depth first, without recursion.

    Raises:
        UnreadableMailError: parts nested more than MAX_DEPTH levels.
    """
    head, body = _split(raw)
    parts = MimeParts(headers=head)
    stack: list[tuple[Message, bytes, int]] = [(head, body, 0)]
    seen = 0
    while stack:
        headers, content, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise UnreadableMailError(
                f"the mail's parts are nested more than {MAX_DEPTH} levels deep; no mail program writes that. "
                "It stays in the mailbox; read it there if it matters."
            )
        seen += 1
        kind = _content_type(headers)
        if kind.startswith("multipart/"):
            children = _children(headers, content)
            room = max(0, MAX_PARTS - seen - len(stack))
            parts.unread += max(0, len(children) - room)
            default = "message/rfc822" if kind == "multipart/digest" else "text/plain"
            for child in reversed(children[:room]):
                child_head, child_body = _split(child)
                if not child_head.get("content-type"):
                    child_head.set_default_type(default)
                stack.append((child_head, child_body, depth + 1))
        elif kind in ("message/rfc822", "message/global") and _encoding(headers) in ("", "7bit", "8bit", "binary"):
            inner_head, inner_body = _split(content)
            stack.append((inner_head, inner_body, depth + 1))
        else:
            _leaf(parts, headers, content)
    return parts


def _leaf(parts: MimeParts, headers: Message, content: bytes) -> None:
    kind = _content_type(headers)
    name = _filename(headers)
    inline = not name and _disposition(headers) != "attachment"
    if inline and kind in ("text/plain", "text/html"):
        if (parts.plain if kind == "text/plain" else parts.html) is not None:
            return  # an alternative or a later inline text: the first one is the message
        data = _decoded(headers, content[: MAX_TEXT_BYTES * 2])
        parts.text_cut = parts.text_cut or len(data) > MAX_TEXT_BYTES
        text = decode_bytes(data[:MAX_TEXT_BYTES], _charset(headers))
        if kind == "text/plain":
            parts.plain = text
        else:
            parts.html = text
        return
    if name or not kind.startswith("text/"):
        parts.attachments.append(Attachment(name=name or f"unnamed {kind}", size=len(_decoded(headers, content))))


def _split(entity: bytes) -> tuple[Message, bytes]:
    """An entity's header block (parsed on its own, so nothing below it is parsed) and its body."""
    if not _HEADER_LINE.match(entity):  # no header block: the entity is all body, as in Python's parser
        body = entity.split(b"\n", 1)[1] if entity.startswith((b"\r\n", b"\n")) else entity
        return BytesHeaderParser(policy=policy.compat32).parsebytes(b"\n"), body
    found = _BLANK_LINE.search(entity)
    head, body = (entity[: found.start()], entity[found.end() :]) if found else (entity, b"")
    return BytesHeaderParser(policy=policy.compat32).parsebytes(head + b"\n\n"), body


def _children(headers: Message, body: bytes) -> list[bytes]:
    """The parts of a multipart body: between `--boundary` lines, up to `--boundary--`."""
    boundary = _param(headers, "boundary")
    if not boundary or len(boundary) > 200:
        return [body]  # no usable boundary: the body is one part, as Python's parser treats it
    delimiter = re.compile(rb"^--" + re.escape(boundary.encode("utf-8", "surrogateescape")) + rb"(--)?[ \t]*\r?$", re.M)
    children: list[bytes] = []
    start: int | None = None
    for line in delimiter.finditer(body):
        if start is not None:
            end = line.start()
            end -= 2 if body[end - 2 : end] == b"\r\n" else 1 if body[end - 1 : end] == b"\n" else 0
            children.append(body[start : max(start, end)])
        if line.group(1):  # the closing delimiter
            return children
        start = line.end() + (2 if body[line.end() : line.end() + 2] == b"\r\n" else 1)
    if start is not None:
        children.append(body[start:])  # no closing delimiter: the last part runs to the end
    return children


def _decoded(headers: Message, content: bytes) -> bytes:
    encoding = _encoding(headers)
    if encoding == "base64":  # leniently, as mail programs do: stray characters and padding are ignored
        clean = re.sub(rb"[^A-Za-z0-9+/]", b"", content)
        clean = clean[: len(clean) - 1] if len(clean) % 4 == 1 else clean
        try:
            return base64.b64decode(clean + b"==")
        except (binascii.Error, ValueError):
            return content
    if encoding == "quoted-printable":
        return quopri.decodestring(content)
    return content


def _content_type(headers: Message) -> str:
    value = _get(headers, "content-type").split(";", 1)[0].strip().lower()
    if not value:
        return headers.get_default_type()
    return value if value.count("/") == 1 and " " not in value else "text/plain"


def _encoding(headers: Message) -> str:
    return _get(headers, "content-transfer-encoding").strip().lower()


def _disposition(headers: Message) -> str:
    return _get(headers, "content-disposition").split(";", 1)[0].strip().lower()


def _charset(headers: Message) -> str | None:
    return _param(headers, "charset")


def _filename(headers: Message) -> str:
    name = _param(headers, "filename", header="content-disposition") or _param(headers, "name")
    return decode_words(name, limit=120) if name else ""


def _param(headers: Message, name: str, *, header: str = "content-type") -> str | None:
    """One parameter of a header, read from a copy that holds only that header cut to a sane length
    (Python's parameter parser is quadratic in the number of quoted semicolons)."""
    value = _get(headers, header)
    if not value:
        return None
    probe = Message()
    probe[header] = value[:1_000]
    try:
        found = probe.get_param(name, header=header)
    except (ValueError, LookupError, UnicodeError, IndexError):
        return None
    if isinstance(found, tuple):  # RFC 2231: (charset, language, value)
        charset, _, text = found
        return decode_bytes(str(text).encode("latin-1", "replace"), charset)
    return str(found) if found else None


def _get(headers: Message, name: str) -> str:
    for key, value in headers.raw_items():
        if key.lower() == name:
            return unfold(str(value))
    return ""
