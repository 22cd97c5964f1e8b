"""The words of a mail as a ticket stores them: HTML as text, only the newest words, and never too long.

Every step is bounded in time whatever the mail holds. The HTML reader is one pass (Python's
html.parser took 212 s on 100,000 unclosed `<!--`), and mail-parser-reply, whose patterns backtrack
(a line "On ... wrote" with 20,000 spaces took 30 s, 20,000 blank lines 71 s), only ever sees a window
of short lines. A long mail is never refused: `arrival.admit` shortens it with a visible note and lists its
attachments up to a cap (`arrival.fit`, the same for every channel).
"""

from __future__ import annotations

import html
import re
import textwrap

REPLY_WINDOW = 20_000  # characters the quote finder reads; the newest words are at the top
LONG_LINE = 1_000  # longer lines are wrapped before the quote finder reads them
_SKIPPED = ("script", "style", "head", "title", "template")
_BREAKS = frozenset(
    ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre")
)
_CLOSING = {word: re.compile(f"</{word}", re.IGNORECASE) for word in _SKIPPED}
_TAG_NAME = re.compile(r"/?\s*([a-zA-Z][a-zA-Z0-9]{0,15})")


def html_text(markup: str) -> str:
    """Readable text of an HTML body in one pass: tags dropped (block tags end a line), comments,
    scripts and styles skipped, entities decoded. Linear in the length of `markup` whatever it holds."""
    out: list[str] = []
    at, end = 0, len(markup)
    while at < end:
        tag = markup.find("<", at)
        if tag < 0:
            out.append(markup[at:])
            break
        out.append(markup[at:tag])
        if markup.startswith("<!--", tag):
            close = markup.find("-->", tag + 4)
            at = end if close < 0 else close + 3
            continue
        close = markup.find(">", tag + 1)
        if close < 0:
            break  # an unclosed tag runs to the end: nothing readable follows
        name = _TAG_NAME.match(markup, tag + 1, close)
        word = name.group(1).lower() if name else ""
        at = close + 1
        if word in _SKIPPED and not markup.startswith("/", tag + 1):
            closing = _CLOSING[word].search(markup, at)
            at = end if closing is None else closing.start()
        elif word in _BREAKS:
            out.append("\n")
    text = html.unescape("".join(out))
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def quote_window(text: str) -> str:
    """What the quote finder reads of `text`: its top, runs of blank lines as one and lines over LONG_LINE
    wrapped (its patterns are quadratic in both), at most REPLY_WINDOW characters."""
    kept: list[str] = []
    for line in text[: REPLY_WINDOW * 4].replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if line or (kept and kept[-1]):
            kept.extend(textwrap.wrap(line, LONG_LINE) if len(line) > LONG_LINE else [line])
    return "\n".join(kept).strip()[:REPLY_WINDOW].rstrip()  # a cut just after a blank line would end on one


def newest_words(text: str) -> str:
    """The newest words of a reply: quoted history ("On ... wrote:", "-----Original Message-----") and the
    signature cut by mail-parser-reply, which reads only `quote_window(text)`. A long mail with no quoted
    history near its top is kept whole (`fit` shortens it)."""
    from mailparser_reply import EmailReplyParser

    window = quote_window(text)
    replies = EmailReplyParser(languages=["en"]).read(text=window).replies
    whole = len(window) < REPLY_WINDOW and len(text) <= REPLY_WINDOW * 4
    if not whole and len(replies) < 2:
        return text.strip()
    newest = replies[0].body.strip() if replies else ""
    return newest or (window if whole else text.strip())
