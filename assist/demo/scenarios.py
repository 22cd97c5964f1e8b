"""Tickets the demo always holds, whatever the random draws: the same question answered well for one
customer and asked again by another, and the situations an agent must meet among the open tickets.

The random history around them comes from `seed`; these are placed on the same timeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from assist.domain import TicketStatus

NEW, PROCESSING, AWAITING = TicketStatus.NEW, TicketStatus.PROCESSING, TicketStatus.AWAITING_CUSTOMER
ESCALATED, RESOLVED, REOPENED = TicketStatus.ESCALATED, TicketStatus.RESOLVED, TicketStatus.REOPENED


@dataclass(frozen=True)
class Script:
    """One ticket's story. `path` says how the thread got to `status`:

    - "" : the plain way (new; claimed; answered; escalated to a lead; answered and resolved; reopened);
    - "follow_up": answered, then the customer asked the next question (still open, processing);
    - "happy": answered, then the customer said it works (processing);
    - "second_round": answered, asked again, answered again (awaiting the customer);
    - "taken": escalated, and a lead took it over; "returned": escalated, and a lead returned it to tier 1.
    """

    wording: str
    hours_ago: float
    status: TicketStatus
    situation: str  # what it shows (the report's table of open situations reads it)
    mood: str = "calm"
    style: str = "plain"  # plain | long | terse | non_native
    path: str = ""
    escalator: str | None = None
    opening: int | None = 0  # which of the mood's openings (None = drawn)
    text: int | None = None  # which of the wording's phrasings (None = drawn)
    subject: int | None = None  # which of the wording's subjects (None = drawn)
    follow_up: int = 0  # which of the wording's follow-ups
    good: bool = False  # answered with the drafted reply sent as is, rated 5 stars
    tag: str = ""  # names this ticket's customer for a later script
    customer_of: str = ""  # written by the customer of the script tagged so (a returning customer)
    account: int | None = None  # written by this walkthrough customer (README's scenarios)


DAY = 24.0

# The same question from different customers: the first was resolved with a good reply and a 5-star rating.
REPEATS: tuple[Script, ...] = (
    Script("make-admin", 41 * DAY, RESOLVED, "answered well before", good=True),
    Script("make-admin", 5, NEW, "asked again by another customer; a polite question", opening=2),
    Script("export-for-auditors", 55 * DAY, RESOLVED, "answered well before", good=True),
    Script("export-for-auditors", 30, PROCESSING, "asked again by another customer", mood="frustrated", opening=1),
    Script("sepa-direct-debit", 33 * DAY, RESOLVED, "answered well before", good=True),
    Script("sepa-direct-debit", 9, NEW, "asked again by another customer; non-native writing", style="non_native"),
    Script("429-hundreds", 26 * DAY, RESOLVED, "answered well before", good=True),
    Script("429-hundreds", 3, NEW, "asked again by another customer; terse writing", mood="frustrated", style="terse"),
    Script("blank-page-chrome", 19 * DAY, RESOLVED, "answered well before", good=True),
    Script("blank-page-chrome", 14, NEW, "asked again by another customer", opening=1),
)

# What an agent meets in the open tickets on a Monday morning.
SITUATIONS: tuple[Script, ...] = (
    Script(
        "approvals-setup",
        40,
        PROCESSING,
        "follow-up after an answer: the next question's answer is another sentence of the article",
        path="follow_up",
    ),
    Script(
        "refund-when",
        60,
        PROCESSING,
        "follow-up after an answer: refund confirmed but not arrived after 10 business days",
        mood="frustrated",
        path="follow_up",
    ),
    Script(
        "invoice-wrong-name",
        11,
        PROCESSING,
        "long message with greeting and signature, question in the middle",
        style="long",
    ),
    Script(
        "export-umlauts", 16, PROCESSING, "long message from someone new to the account", mood="confused", style="long"
    ),
    Script("blank-page-tried", 7, NEW, "the customer already tried the usual fix"),
    Script("api-new-key-still-401", 4, NEW, "already tried a new key; quoted error code", mood="frustrated", opening=1),
    Script("locked-too-many-attempts", 2, NEW, "quoted error text", mood="confused", opening=1),
    Script("sso-audience", 28, PROCESSING, "quoted error text, then a follow-up", path="follow_up", opening=1),
    Script("fix-approved-week", 19, PROCESSING, "terse writing", style="terse"),
    Script("export-stuck", 18, PROCESSING, "non-native writing", style="non_native"),
    Script("payment-reminders", 6, NEW, "a polite question (no apology needed)", opening=0),
    Script("duplicate-after-sync", 50, PROCESSING, "a happy customer: works now, thanks", path="happy"),
    Script("reset-link-expired", 26, PROCESSING, "a happy customer after a reset link", path="happy", opening=2),
    Script("webhooks-missing", 1, NEW, "a stated deadline: reply within the hour", mood="urgent", opening=2),
    Script("refund-after-cancel", 70, ESCALATED, "legal threat, escalated", mood="angry", escalator="legal"),
    Script("reports-slow", 6, NEW, "churn threat", mood="frustrated", escalator="churn"),
    Script("bill-higher", 30, ESCALATED, "asked for a manager, escalated", mood="angry", escalator="manager"),
    Script(
        "refund-late", 52, ESCALATED, "a lead took the ticket over", mood="angry", escalator="manager", path="taken"
    ),
    Script(
        "unknown-charge",
        45,
        PROCESSING,
        "a lead returned the ticket to tier 1",
        mood="frustrated",
        escalator="manager",
        path="returned",
    ),
    Script(
        "mobile-entries-missing", 70, AWAITING, "a thread: answered, asked again, answered again", path="second_round"
    ),
    Script("import-unknown-client", 100, REOPENED, "reopened with the next error", follow_up=0),
    Script("dispute-read-only", 58, ESCALATED, "an angry customer, escalated", mood="angry", opening=1),
)

# Returning customers: one writes again about the same problem (a repeat), then about something else.
RETURNING: tuple[Script, ...] = (
    Script("android-cloud-icon", 24 * DAY, RESOLVED, "first contact about a sync problem", tag="sync"),
    Script(
        "android-cloud-icon",
        50,
        ESCALATED,
        "the same customer again about the same problem: a repeat contact",
        mood="frustrated",
        customer_of="sync",
    ),
    Script("import-garbled", 22, NEW, "a returning customer about a different issue", customer_of="sync"),
)

SCRIPTS: tuple[Script, ...] = REPEATS + SITUATIONS + RETURNING

MINUTE = 1 / 60
# README's walkthrough, the newest tickets in the inbox (drawn tickets are at least 15 minutes old), written by
# customers who write nothing else: Anna (0) asks where to create an API key, her first contact; Omar (1), politely,
# about the same late refund for the third time (the first two were answered and resolved); Freya (2) threatens
# legal action over a double charge; Diego (3): his webhook endpoint was disabled a month ago, today he asks about
# webhook signatures.
WALKTHROUGH: tuple[Script, ...] = (
    Script("api-key-create", 12 * MINUTE, NEW, "a simple question", opening=1, text=0, subject=0, account=0),
    Script("refund-late", 40 * DAY, RESOLVED, "a first contact about a refund", opening=None, account=1),
    Script("refund-late", 21 * DAY, RESOLVED, "a second contact about the same refund", opening=None, account=1),
    Script(
        "refund-late",
        11 * MINUTE,
        NEW,
        "a third contact about the same refund",
        opening=1,
        text=0,
        subject=2,
        account=1,
    ),
    Script(
        "duplicate-charge",
        10 * MINUTE,
        NEW,
        "a legal threat",
        mood="angry",
        escalator="legal",
        opening=None,
        text=0,
        subject=0,
        account=2,
    ),
    Script(
        "webhook-disabled", 30 * DAY, RESOLVED, "an earlier, other question", opening=1, text=0, subject=0, account=3
    ),
    Script(
        "signature-mismatch", 9 * MINUTE, NEW, "a returning customer", mood="confused", text=0, subject=0, account=3
    ),
)
