"""Formatting for display. Customer text goes through `escape_markdown` so it shows as typed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

from assist import MessageSentiment, TicketStatus

# Every character CommonMark, GitHub-flavoured markdown or Streamlit (LaTeX `$`, `:emoji:`) gives meaning.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'^])")

# Plain words: the list is a dataframe (no icons in cells), and emoji show as empty boxes on machines
# without an emoji font. Where a symbol carries meaning it is a `:material/...:` icon (shipped with Streamlit).
STATUS_LABELS = {
    TicketStatus.NEW: "New",
    TicketStatus.PROCESSING: "Processing",
    TicketStatus.AWAITING_CUSTOMER: "Awaiting customer",
    TicketStatus.ESCALATED: "Escalated",
    TicketStatus.RESOLVED: "Resolved",
    TicketStatus.REOPENED: "Reopened",
}
URGENT, ELEVATED = 8, 5  # priority bands
DELIVERY_LABELS = {
    "sent": "delivered",
    "recorded": "recorded in outbox",
    "pending": "queued",
    "retrying": "retrying",
    "failed": "delivery failed",
}
DELIVERY_ICONS = {
    "sent": "done_all",
    "recorded": "done",
    "pending": "schedule",
    "retrying": "schedule",
    "failed": "error",
}


_JOIN = "\u2060"  # WORD JOINER: invisible, and it breaks the patterns the renderer would turn into links or icons
# Invisible format characters (Unicode category Cf) that text still needs: the zero-width (non-)joiners shape
# Persian, Indic scripts and emoji sequences. They do not reorder anything.
_KEEP_FORMAT = frozenset("\u200c\u200d")


def display_text(text: str) -> str:
    """Outside text as it may be shown anywhere (markdown, a table cell, a list option): without bidi
    controls and other invisible format characters, judged by Unicode category (Cf), so it reads in the
    order it is stored (a name stored as RIGHT-TO-LEFT OVERRIDE + "redner" shows as "redner", never as
    "render") and nothing hides in it."""
    if text.isascii():
        return text
    return "".join(c for c in text if c in _KEEP_FORMAT or unicodedata.category(c) != "Cf")


def escape_markdown(text: str) -> str:
    """The one function for showing text that did not come from the product's own code inside markdown
    (names, titles, subjects, error messages that quote input): it renders literally, with no HTML,
    formatting, math, links (bare URLs, www. addresses and emails are linkified after escaping, so a word
    joiner breaks them), `:material/...:` icons, or bidi reordering (`display_text`)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", display_text(text))
    escaped = escaped.replace("\\:", "\\:" + _JOIN).replace("@", _JOIN + "@")
    escaped = re.sub(r"(?i)\b(w)(ww)", "\\1" + _JOIN + "\\2", escaped)
    return escaped.replace("\n", "  \n")  # keep the writer's line breaks


def ago(when: datetime, *, now: datetime | None = None) -> str:
    """'5 min ago', '3 h ago', '2 d ago'."""
    seconds = max(0, int(((now or datetime.now(UTC)) - when).total_seconds()))
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min ago"
    if seconds < 86_400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86_400} d ago"


TABLE_ROW_PX = 35  # a row of Streamlit's tables, and its header row


def table_height(rows: int) -> int:
    """The height of a table that shows `rows` rows and its header without an inner scroll (+ the borders)."""
    return (rows + 1) * TABLE_ROW_PX + 3


def vip_name(name: str, vip: bool) -> str:
    """A customer's name for a table cell, starred when a VIP (a column of its own did not fit at 1280 px)."""
    return display_text(name) + (" ★" if vip else "")


def money(cents: int, currency: str) -> str:
    return f"{cents / 100:,.2f} {currency}"


def priority_label(priority: int) -> str:
    """'9 urgent', '6 elevated', '3': words a dataframe cell can hold."""
    if priority >= URGENT:
        return f"{priority} urgent"
    if priority >= ELEVATED:
        return f"{priority} elevated"
    return str(priority)


def priority_badge(priority: int) -> str:
    """The priority as a coloured badge for markdown."""
    colour = "red" if priority >= URGENT else "orange" if priority >= ELEVATED else "gray"
    return f":{colour}-badge[:material/flag: priority {priority}]"


def kb_text(text: str) -> str:
    """An article passage as plain text: emphasis markers dropped, everything else shown literally."""
    return escape_markdown(re.sub(r"\*\*|__|`", "", text))


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 ticket', '2 tickets', '0 replies' (with `many`)."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def blank(value: object, fmt: str = "{}") -> str:
    """A value for display, or an en dash when there is none."""
    return "–" if value is None or value != value else fmt.format(value)  # value != value: NaN


def trend_text(trend: Sequence[MessageSentiment]) -> str:
    """'neutral (+0.10) → frustrated (−0.52)': the level and tone score of each customer message, oldest first."""
    return " → ".join(f"{m.level.value} ({m.score:+.2f})".replace("-", "−") for m in trend) or "–"
