"""Additions to a reply (links to help articles, macros), placed before the sign-off; a link never twice."""

from __future__ import annotations

import re

# The lines a support reply usually ends with; the link goes above them.
SIGN_OFF = re.compile(
    r"^\s*(best( regards| wishes)?|kind regards|regards|warm regards|many thanks|thanks( again)?|thank you|cheers|"
    r"all the best|sincerely)\s*[,.!]?\s*$",
    re.I,
)


def citation(title: str, url: str | None) -> str:
    """The sentence that names an article (with its address when it has one)."""
    quoted = f'"{title}"'
    return (
        f"You can read more in our help article {quoted}: {url}" if url else f"This is from our help article {quoted}."
    )


def insert_link(text: str, *, title: str, url: str) -> tuple[str, bool]:
    """`text` with a link to the article before the sign-off; unchanged (False) when the address is already there.

    A plain citation of the same article without its address is replaced rather than repeated.
    """
    if url in text:
        return text, False
    plain = citation(title, None)
    if plain in text:
        return text.replace(plain, citation(title, url), 1), True
    return before_sign_off(text, citation(title, url)), True


def before_sign_off(text: str, paragraph: str) -> str:
    """`text` with `paragraph` added as the last paragraph above the sign-off ("Best regards,"), or at the end."""
    lines = text.rstrip().splitlines()
    at = next((i for i, line in enumerate(lines) if SIGN_OFF.match(line)), len(lines))
    before = lines[:at]
    while before and not before[-1].strip():
        before.pop()
    block = [*before, "", paragraph.strip()] if before else [paragraph.strip()]
    if at < len(lines):
        block += ["", *lines[at:]]
    return "\n".join(block)
