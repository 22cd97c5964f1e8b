"""The product's vocabulary: enums and the read models that `assist` returns to pages.

ORM rows live in `assist.store.models`; these models are what crosses the boundary, so a page
never holds a live database object.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class TicketStatus(StrEnum):
    NEW = "new"
    PROCESSING = "processing"
    AWAITING_CUSTOMER = "awaiting_customer"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    REOPENED = "reopened"


OPEN_STATUSES = frozenset(set(TicketStatus) - {TicketStatus.RESOLVED})


class Category(StrEnum):
    BILLING = "billing"
    ACCOUNT = "account"
    TECHNICAL = "technical"
    GENERAL = "general"

    @property
    def label(self) -> str:
        """The one spelling every screen and chart shows ("Billing"; "billing" is the stored value)."""
        return self.value.title()


class Channel(StrEnum):
    EMAIL = "email"
    CHAT = "chat"
    WEB = "web"
    PHONE = "phone"


class AuthorRole(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"
    NOTE = "note"


class Role(StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"


class TicketSort(StrEnum):
    PRIORITY = "priority"  # highest priority first, then oldest
    NEWEST = "newest"
    OLDEST = "oldest"
    UPDATED = "updated"  # most recently updated first


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class InboxView(StrEnum):
    """The inbox's saved views; each has a count beside its name."""

    MINE = "mine"  # open tickets the viewer owns
    UNASSIGNED = "unassigned"  # open tickets nobody owns
    OPEN = "open"  # all open tickets (for agents: without those leads own)
    ESCALATED_TO_ME = "escalated_to_me"  # leads: escalated tickets they own or no lead has taken yet
    ALL = "all"  # every ticket; the sidebar's status and assignee filters apply


class TicketQuery(_Model):
    """What the inbox asks for: a view, filters, sort and page. Empty filters mean 'any'."""

    view: InboxView = InboxView.ALL
    viewer_id: int | None = None  # whose "mine" / "to me" (required by those views)
    viewer_role: Role = Role.AGENT
    statuses: tuple[TicketStatus, ...] = ()
    min_priority: int = Field(default=1, ge=1, le=10)
    categories: tuple[Category, ...] = ()
    assignee_id: int | None = None
    unassigned_only: bool = False
    search: str = Field(default="", max_length=200)
    sort: TicketSort = TicketSort.PRIORITY
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=25, ge=1, le=200)


class InboxRow(_Model):
    """One line of the inbox list."""

    id: int
    subject: str
    preview: str
    status: TicketStatus
    priority: int
    category: Category | None
    channel: Channel
    customer_name: str
    customer_vip: bool
    assignee_name: str | None
    created_at: datetime
    updated_at: datetime


class TicketPage(_Model):
    rows: tuple[InboxRow, ...]
    total: int
    page: int
    page_count: int
    status_counts: dict[TicketStatus, int]  # under the other filters, every status
    listed: tuple[TicketStatus, ...] = tuple(TicketStatus)  # the statuses the rows are drawn from
    more_than_counted: bool = False  # a search stopped counting its matches at a limit: "1,000+"
    preparing: tuple[int, ...] = ()  # tickets on this page whose assistance a worker has not prepared yet


class Invoice(_Model):
    number: str
    amount_cents: int
    currency: str
    status: str
    issued_at: datetime


class PreviousTicket(_Model):
    id: int
    subject: str
    status: TicketStatus
    category: Category | None
    created_at: datetime
    csat_score: int | None


class CustomerProfile(_Model):
    id: int
    name: str
    email: str
    company: str | None
    plan: str
    is_vip: bool
    account_status: str
    billing_status: str
    customer_since: datetime
    invoices: tuple[Invoice, ...]
    previous_tickets: tuple[PreviousTicket, ...]
    contact_count: int


class Message(_Model):
    id: int
    author_role: AuthorRole
    author_name: str
    body: str
    created_at: datetime
    author_id: int | None = None  # the team member who wrote it (None: the customer, or imported)


class Owner(StrEnum):
    """Who owns a ticket now, as the thread's reader and the draft's wording see it."""

    TEAM = "team"  # tier 1 works it (an agent, or nobody yet)
    ESCALATED = "escalated"  # waiting in a lead's queue
    LEAD = "lead"  # a lead took it over
    RETURNED = "returned"  # a lead returned it to tier 1 with guidance


class Arm(StrEnum):
    """Which side of a holdout a ticket arrived on."""

    ASSISTED = "assisted"
    HOLDOUT = "holdout"


class TicketDetail(_Model):
    id: int
    external_id: str | None
    subject: str
    status: TicketStatus
    priority: int
    category: Category | None
    channel: Channel
    assignee_id: int | None
    assignee_name: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    messages: tuple[Message, ...]
    customer: CustomerProfile
    owner: Owner = Owner.TEAM
    escalation: EscalatedTo | None = None  # while a lead's queue holds it (open or taken over)
    arm: Arm | None = None  # the ticket arrived during a holdout (`assist.experiments`)

    @property
    def held_out(self) -> bool:
        """Its agent sees no draft and no articles: the holdout's tickets measure work without assistance."""
        return self.arm is Arm.HOLDOUT


class Experiment(_Model):
    """A holdout: while it runs, `percent` of the arriving tickets get no draft and no articles. `id` None is the
    standing holdout that `ASSIST_HOLDOUT_PERCENT` keeps whenever no experiment was started."""

    id: int | None
    percent: int = Field(ge=0, le=100)  # the standing holdout's is today's setting, 0 when it is off
    started_at: datetime | None
    started_by: str
    stopped_at: datetime | None = None
    stopped_by: str | None = None

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    @property
    def label(self) -> str:
        if self.id is None:
            return f"Standing holdout (ASSIST_HOLDOUT_PERCENT, now {self.percent} %)"
        when = self.started_at.date().isoformat() if self.started_at else "?"
        until = "running" if self.running else f"to {self.stopped_at.date().isoformat() if self.stopped_at else '?'}"
        return f"Experiment #{self.id}: {self.percent} % held out, from {when}, {until}"


class User(_Model):
    """A person as read from the store. `session_generation` is the account's generation at that read: an
    admin disabling the account, changing its role or resetting its password moves it on, which ends every
    session (and known-device token) that carries the old one."""

    id: int
    email: str
    name: str
    role: Role
    active: bool
    session_generation: int = 0


class Macro(_Model):
    """A canned response; placeholders such as `{customer_first_name}` are filled when it is inserted."""

    id: int
    title: str
    body: str
    active: bool
    uses: int = 0  # insertions, all time


class MacroUsage(_Model):
    title: str
    uses: int


class Viewer(_Model):
    """Someone else who has the ticket open."""

    name: str
    seconds_ago: int


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    BM25 = "bm25"
    DENSE = "dense"


class Passage(_Model):
    chunk_id: str
    heading: str
    text: str
    dense_score: float  # cosine similarity of the passage (with its title/heading) to the query
    bm25_score: float


class Hit(_Model):
    """One article that answers the query, with its best passages as evidence."""

    article_id: str
    title: str
    category: str
    product: str
    updated: str
    source: str
    url: str | None = None  # public help-center address, when the article has one
    score: float = Field(ge=0, le=1)  # article relevance, comparable across queries
    dense_score: float
    bm25_score: float
    dense_rank: int | None  # 1-based rank of the article in each retriever, None when it missed
    bm25_rank: int | None
    passages: tuple[Passage, ...]


class ArticleSummary(_Model):
    id: str
    title: str
    category: str
    product: str
    updated: str
    source: str
    url: str | None = None
    chunk_count: int
    ingested_at: datetime
    ingested_by: str
    origin: str = "files"  # the knowledge source it came from


class KnowledgeSource(_Model):
    """A knowledge source: its articles (how many, how many passages, when it last brought one in) and, when it
    is configured (`kb sources add`), what it syncs from and how its last sync went. Articles ingested by hand
    under a name (`kb ingest --source`, uploads as "files") make a source with no configuration."""

    name: str
    articles: int = 0
    passages: int = 0
    last_ingested_at: datetime | None = None
    kind: str | None = None  # a key of assist.kb.sources.KINDS; None: not configured
    location: str | None = None  # the folder, repository or sitemap it syncs from
    branch: str | None = None  # a Git source's branch (None: the repository's default)
    last_sync_at: datetime | None = None
    last_outcome: str | None = None  # what the last sync did, in words
    last_error: str | None = None  # why the last sync failed, or which files it could not read

    @property
    def configured(self) -> bool:
        return self.kind is not None


class ArticleDetail(ArticleSummary):
    body: str


class IndexStatus(_Model):
    """Does the vector index hold every passage SQL says is searchable, and are the vectors theirs?"""

    passages: int  # live passages in SQL
    vectors: int  # of those, how many the vector index holds
    error: str | None = None  # the index could not be read at all
    checked: int = 0  # stored vectors compared with a fresh embedding of their passage
    mismatched: int = 0  # of those, how many are not the passage's vector (overwritten, or another model's)
    location: str = ""  # the embedded store's folder, or the Chroma server

    @property
    def healthy(self) -> bool:
        return self.error is None and self.vectors == self.passages and self.mismatched == 0

    @property
    def problem(self) -> str | None:
        """What is wrong, in a sentence that says how to repair it; None when healthy."""
        if self.healthy:
            return None
        where = f" at {self.location}" if self.location else ""
        if self.error is not None:
            found = f"cannot be read ({self.error})"
        elif self.vectors != self.passages:
            found = f"holds {self.vectors:,} of {self.passages:,} passages"
        else:
            found = f"holds wrong vectors: {self.mismatched} of {self.checked} checked passages do not match"
        return f"The search index{where} {found}. Rebuild it from the stored articles: `python -m assist kb reindex`."


class IngestFailure(_Model):
    source: str
    error: str


class IngestReport(_Model):
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: tuple[IngestFailure, ...] = ()
    chunks_embedded: int = 0


class SentimentLevel(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    FRUSTRATED = "frustrated"
    ANGRY = "angry"
    URGENT = "urgent"


class Signal(StrEnum):
    LEGAL_THREAT = "legal_threat"
    CHURN_THREAT = "churn_threat"
    REPEAT_CONTACT = "repeat_contact"
    LONG_WAIT = "long_wait"
    HUMAN_REQUEST = "human_request"
    PROFANITY = "profanity"
    ALL_CAPS = "all_caps"
    EXCLAMATIONS = "exclamations"
    BILLING_DISPUTE = "billing_dispute"
    TIME_PRESSURE = "time_pressure"
    PREVIOUS_ESCALATION = "previous_escalation"
    WORSENING = "worsening"  # the thread is getting more negative
    CHASING = "chasing"  # several customer messages since the team last replied
    SECURITY_INCIDENT = "security_incident"  # someone else got in, a leaked key, phishing: a specialist's case
    LOST_TIME = "lost_time"  # "I've already lost a lot of time on this": fed up, however politely put


class ContactHistory(_Model):
    """What the customer's history says about this ticket (computed from the store)."""

    earlier_contacts_same_issue: int = Field(default=0, ge=0)
    hours_waiting: float = Field(default=0.0, ge=0)  # since the oldest unanswered customer message
    unanswered_messages: int = Field(default=0, ge=0)  # customer messages since the team last replied
    previously_escalated: bool = False
    is_vip: bool = False


class Sentiment(_Model):
    level: SentimentLevel
    score: float = Field(ge=-1, le=1)  # P(positive) - P(negative)
    probabilities: dict[str, float]  # negative / neutral / positive
    frustration: float = Field(ge=0, le=1)  # the message, its signals and the customer's history together
    message_frustration: float = Field(default=0.0, ge=0, le=1)  # the message alone, as the model reads it
    complaint: float = Field(default=0.0, ge=0, le=1)  # P(the customer reports something that went wrong)
    signals: tuple[Signal, ...]
    evidence: dict[str, str]  # signal -> the words that triggered it
    model: str

    @property
    def tone(self) -> str:
        """How the message sounds: the likeliest of negative / neutral / positive (the level reads frustration)."""
        return max(self.probabilities, key=self.probabilities.__getitem__) if self.probabilities else "neutral"


class EscalationPriority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Queue(StrEnum):
    AUTO = "auto"  # no escalation: tier-1 handles it as usual
    TIER1 = "tier1"
    TIER2 = "tier2"
    MANAGER = "manager"

    @property
    def label(self) -> str:
        """How people say it, in the thread and on every screen ("tier2" is a stored value, not a word)."""
        return QUEUE_LABELS[self]


QUEUE_LABELS = {
    Queue.AUTO: "the team",
    Queue.TIER1: "the tier-1 leads",
    Queue.TIER2: "tier 2",
    Queue.MANAGER: "a manager",
}


class EscalatedTo(_Model):
    """Where the ticket's active escalation went and who sent it there."""

    queue: Queue
    by_id: int | None
    by_name: str | None


class Escalation(_Model):
    suggest: bool
    reasons: tuple[str, ...]
    priority: EscalationPriority
    queue: Queue
    suggested_action: str


class DraftMode(StrEnum):
    LLM = "llm"
    OFFLINE = "offline"


class DraftAction(StrEnum):
    """What the draft offers the agent (see assist/drafting/stance.py)."""

    ANSWER = "answer"  # a reply that answers the question
    HOLD = "hold"  # acknowledge, say who follows up and when; escalation is suggested
    CLARIFY = "clarify"  # no article answers: a clarifying question instead of an answer
    ESCALATE = "escalate"  # no article answers a specific question: no reply text, escalate

    @property
    def abstains(self) -> bool:
        """No answer is drafted (CLARIFY or ESCALATE): nothing the draft offers can go out as an answer."""
        return self in (DraftAction.CLARIFY, DraftAction.ESCALATE)


class ConfidenceBand(StrEnum):
    """How the badge reads a draft's confidence (assist/drafting/policy.py draws the lines)."""

    LIKELY_SENT = "likely_sent"
    CHECK = "check"
    # Confident that the article answers, not that the sentence the draft states is the one: another sentence of
    # the article scores nearly as well (assist/drafting/stated.py).
    CHECK_SENTENCE = "check_sentence"
    NO_ANSWER = "no_answer"
    CLOSING = "closing"  # nothing was asked (a happy customer's thanks): a closing reply, no answer to judge


class Draft(_Model):
    text: str
    confidence: float = Field(ge=0, le=1)  # P(the agent sends it with at most light edits); 0: no answer
    # Before the team's recalibration, which fits it; None when the draft states no answer (nothing to calibrate).
    raw_confidence: float | None = Field(default=None, ge=0, le=1)
    action: DraftAction = DraftAction.ANSWER
    band: ConfidenceBand = ConfidenceBand.CHECK
    sources: tuple[str, ...]  # article ids, in citation order
    quoted: tuple[str, ...] = ()  # the sentences of the first source the draft states, in article order
    clarifying: str = ""  # for a draft that offers no answer: a reply asking for what the customer has not given
    reused_from: int | None = None  # the earlier ticket whose sent reply the draft is built on (drafting/reuse.py)
    mode: DraftMode
    model: str
    tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    notes: tuple[str, ...] = ()


class MessageSentiment(_Model):
    message_id: int
    created_at: datetime
    level: SentimentLevel
    score: float


class HandoffPackage(_Model):
    """Everything a lead needs to take a ticket over without reading the whole history."""

    ticket_id: int
    subject: str
    customer_summary: str
    sentiment_trend: tuple[MessageSentiment, ...]
    trajectory: str = ""  # how the thread developed, in one line
    conversation: tuple[Message, ...]
    draft: Draft | None
    articles: tuple[Hit, ...]
    reasons: tuple[str, ...]
    priority: EscalationPriority
    queue: Queue
    suggested_action: str


class TriageMethod(StrEnum):
    LEARNED = "learned"
    ZERO_SHOT = "zero-shot"
    LLM = "llm"


# The lowest intent confidence at which a named intent is right at least 90% of the time. Below it the top
# intent was mostly wrong: the demo workspace drops intents with fewer than 3 resolved tickets (41 tickets), so
# a question of a dropped intent got the nearest wrong one ("outage-now" on dark-mode and on-premise questions).
# Measured on the demo workspace (244 resolved tickets, 83 open) with
#   DATABASE_URL=sqlite:////tmp/it/demo.db DEMO_MODE=true python -m assist seed-demo
#   DATABASE_URL=sqlite:////tmp/it/demo.db python -m assist eval triage --from-db
# 5-fold on resolved tickets: 0.45 → precision 0.886 (61% shown), 0.50 → 0.909 (58% shown), 0.0 → 0.541;
# open tickets (model trained on all resolved): 0.50 → 0.933 (54% shown), 0.0 → 0.506.
INTENT_MIN_CONFIDENCE = 0.5


class Triage(_Model):
    """`intent` is named only at `INTENT_MIN_CONFIDENCE` or above (else None, whoever built the triage, and for
    runs stored before the rule); `intent_confidence` is the most likely intent's probability either way."""

    category: Category
    category_confidence: float = Field(ge=0, le=1)
    intent: str | None
    intent_confidence: float = Field(ge=0, le=1)
    alternatives: tuple[tuple[str, float], ...]  # the next most likely intents (or categories)
    method: TriageMethod

    @model_validator(mode="before")
    @classmethod
    def _unsure_intent_is_unnamed(cls, data: object) -> object:
        # Every reader (the ticket screen, contact history, stored runs) gets only intents worth trusting.
        if isinstance(data, dict) and float(data.get("intent_confidence", 0.0)) < INTENT_MIN_CONFIDENCE:
            return {**data, "intent": None}
        return data


class Assistance(_Model):
    """Everything the agent sees beside a ticket, computed for one ticket version."""

    ticket_id: int
    ticket_version: int
    run_id: int
    draft_id: int
    query: str
    history: ContactHistory
    triage: Triage
    hits: tuple[Hit, ...]
    sentiment: Sentiment
    priority: int = Field(ge=1, le=10)
    draft: Draft
    escalation: Escalation
    timings_ms: dict[str, float]
    created_at: datetime
    # Tone of each customer message, oldest first; the last point is the assessment above.
    sentiment_trend: tuple[MessageSentiment, ...] = ()
    kb_generation: int = 0  # the knowledge base it was retrieved from; a later change makes it stale
    owner: Owner = Owner.TEAM  # who owned the ticket: a take-over or a return changes the draft's wording


class SentReply(_Model):
    ticket_id: int
    message_id: int
    ticket_version: int
    status: TicketStatus
    edit_distance: int | None
    sent_as_drafted: bool
    delivery_status: str
    survey_url: str | None = None  # set when the reply resolved the ticket


AGENT_NOTE = "Agent's note"  # an escalation reason "Agent's note: <what the agent wrote>"


class EscalationItem(_Model):
    """One entry of the lead queue."""

    id: int
    ticket_id: int
    ticket_version: int
    subject: str
    customer_name: str
    customer_vip: bool
    reasons: tuple[str, ...]
    priority: EscalationPriority
    queue: Queue
    suggested_action: str
    state: str
    owner_id: int | None  # the ticket's assignee: one notion of owner everywhere
    owner_name: str | None
    created_by_id: int | None
    created_at: datetime
    waiting_hours: float
    package: HandoffPackage | None
    package_error: str | None = None  # why a stored package could not be read

    @property
    def reason_summary(self) -> str:
        """The reasons on one line: each rule's name, and an agent's note by name only (its text is in the
        handoff package, where there is room for it)."""
        return " · ".join(AGENT_NOTE if r.startswith(AGENT_NOTE) else r for r in self.reasons)


class Delivery(_Model):
    message_id: int
    outbox_id: int
    status: str
    attempts: int
    last_error: str


class OutgoingReply(_Model):
    """One claimed delivery attempt of a stored reply, as a transport (SMTP, webhook) reads it."""

    outbox_id: int
    ticket_id: int
    message_id: int
    attempt: int  # the claim token: the outcome is recorded only while the claim still holds
    channel: str  # the way out chosen when it was sent: smtp | webhook | chat
    recipient: str
    subject: str
    body: str
    message_key: str | None  # the reply's own Message-ID, kept for threading
    in_reply_to: str | None  # the customer's Message-ID it answers


class ImportField(StrEnum):
    EXTERNAL_ID = "external_id"
    SUBJECT = "subject"
    BODY = "body"
    CUSTOMER_EMAIL = "customer_email"
    CUSTOMER_NAME = "customer_name"
    CREATED = "created"
    STATUS = "status"
    MESSAGE_ID = "message_id"


class RowError(_Model):
    row: int  # 1-based data row (the header is row 0)
    error: str


class ImportReport(_Model):
    created: tuple[int, ...] = ()
    appended: tuple[int, ...] = ()  # follow-ups added to existing tickets
    unchanged: tuple[int, ...] = ()  # rows imported before (same message): nothing added
    errors: tuple[RowError, ...] = ()  # rows not imported, with the reason
    warnings: tuple[RowError, ...] = ()  # rows imported with a change to say (characters replaced)


class ReplyState(StrEnum):
    """What the reply box offers for a ticket."""

    DRAFT = "draft"  # a customer message is waiting for an answer: offer the draft
    ANSWERED = "answered"  # the team replied last: an empty box, no draft until the customer writes again
    CLOSED = "closed"  # resolved: read-only until reopened


class OpenTicket(_Model):
    """What the agent sees for one open ticket."""

    ticket: TicketDetail
    assistance: Assistance
    deliveries: dict[int, Delivery]  # by message id
    fresh: bool  # computed just now (False: precomputed for this ticket version)
    reply: ReplyState = ReplyState.DRAFT
    owned_by_viewer: bool = False
    offers_draft: bool = False  # the reply box opens with the draft's text (`ticket_actions.offers_draft`)


class QuarantinedMail(_Model):
    """A mail the poll could not store, set aside with the reason (`mail_in.receive`)."""

    id: int
    quarantined_at: datetime
    mailbox: str
    uid: int
    sender: str
    subject: str
    reason: str
    size: int  # bytes
    attempts: int


class LinkedArticle(_Model):
    title: str
    url: str | None = None


class SimilarTicket(_Model):
    """An earlier ticket that asked much the same, how it ended, and the team's reply to it with everything of
    that customer removed and its greeting addressed to the customer of the ticket it is shown on."""

    ticket_id: int
    subject: str  # with the same removal as the reply
    similarity: float  # cosine of the two questions
    status: TicketStatus
    resolved: bool
    reopened: bool  # reopened after it was resolved
    csat_score: int | None
    reply: str
    articles: tuple[LinkedArticle, ...] = ()

    @property
    def ending(self) -> str:
        """How it ended, in words: "resolved", "reopened", with the CSAT score when one came back."""
        words = "reopened" if self.reopened else "resolved" if self.resolved else self.status.value.replace("_", " ")
        return words + (f" · CSAT {self.csat_score}/5" if self.csat_score is not None else "")


class MetricsFilter(_Model):
    """What the lead dashboard counts: tickets created from `start` to `end` (inclusive), in `categories` (all
    when empty), owned by `agent_id`, escalated to `queue`."""

    start: date
    end: date  # inclusive
    categories: tuple[str, ...] = ()
    agent_id: int | None = None
    queue: str | None = None

    @classmethod
    def last_days(cls, days: int, **kwargs: Any) -> MetricsFilter:
        today = datetime.now(UTC).date()
        return cls(start=today - timedelta(days=days - 1), end=today, **kwargs)
