"""SQLAlchemy 2 tables. Enum-like columns are plain strings so migrations stay portable."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from assist.times import utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python on every backend (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Moved on by a disable, a role change or a password reset: sessions holding an older one are ended.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class CustomerRow(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    company: Mapped[str | None] = mapped_column(String(200))
    plan: Mapped[str] = mapped_column(String(40), default="free")
    is_vip: Mapped[bool] = mapped_column(Boolean, default=False)
    account_status: Mapped[str] = mapped_column(String(40), default="active")
    billing_status: Mapped[str] = mapped_column(String(40), default="current")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invoices: Mapped[list[InvoiceRow]] = relationship(back_populates="customer", order_by="InvoiceRow.issued_at.desc()")


class InvoiceRow(Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[str] = mapped_column(String(20))  # paid | open | failed | refunded
    issued_at: Mapped[datetime] = mapped_column()

    customer: Mapped[CustomerRow] = relationship(back_populates="invoices")


class ExperimentRow(Base):
    """A holdout the admins started: `percent` of the tickets arriving while it runs are held out."""

    __tablename__ = "experiments"
    # `running` is 1 while it runs, NULL once stopped: the unique constraint lets one experiment run at a time.
    __table_args__ = (UniqueConstraint("running", name="uq_experiments_running"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    percent: Mapped[int] = mapped_column(Integer)
    seed: Mapped[str] = mapped_column(String(32))  # with the ticket id, decides its arm (a stable hash)
    started_at: Mapped[datetime] = mapped_column()
    started_by: Mapped[str] = mapped_column(String(320))
    stopped_at: Mapped[datetime | None] = mapped_column()
    stopped_by: Mapped[str | None] = mapped_column(String(320))
    running: Mapped[int | None] = mapped_column(Integer)


class TicketRow(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_priority", "status", "priority", "created_at"),
        Index("ix_tickets_category_created", "category", "created_at"),
        Index("ix_tickets_assignee_status", "assignee_id", "status"),
        Index("ix_tickets_customer_created", "customer_id", "created_at"),
        Index("ix_tickets_created", "created_at"),
        Index("ix_tickets_updated", "updated_at"),
        # The inbox's default order, walked from the top until a page is filled (no sort of every match).
        Index("ix_tickets_priority_order", text("priority DESC"), "created_at", "id"),
        Index("ix_tickets_experiment_arm", "experiment_id", "arm"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    subject: Mapped[str] = mapped_column(String(300))
    # Latest customer words, denormalised so the list and its search never touch `messages`.
    preview: Mapped[str] = mapped_column(String(300), default="")
    channel: Mapped[str] = mapped_column(String(20), default="email")
    status: Mapped[str] = mapped_column(String(30), default="new")
    priority: Mapped[int] = mapped_column(Integer, default=3)
    category: Mapped[str | None] = mapped_column(String(40))
    intent: Mapped[str | None] = mapped_column(String(60))  # a finer label than category, when known
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    # Set when the ticket arrived during a holdout (`store.experiments`): "assisted" or "holdout", which gets
    # no draft and no articles on the agent's screen; None for tickets outside any experiment.
    arm: Mapped[str | None] = mapped_column(String(10))
    experiment_id: Mapped[int | None] = mapped_column(ForeignKey("experiments.id"))

    # Optimistic locking: every UPDATE checks and bumps `version`, so a stale writer fails.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy declares it)

    customer: Mapped[CustomerRow] = relationship()
    assignee: Mapped[UserRow | None] = relationship()
    messages: Mapped[list[MessageRow]] = relationship(
        back_populates="ticket", order_by="MessageRow.id", cascade="all, delete-orphan", passive_deletes=True
    )


class MessageRow(Base):
    __tablename__ = "messages"
    # A message from outside (an import row, a helpdesk event, an email) carries its source's id, so
    # delivering it again adds nothing.
    __table_args__ = (
        UniqueConstraint("ticket_id", "external_id", name="uq_messages_ticket_external"),
        # Mail threading looks a Message-ID up across all tickets (mail_threading.thread_of).
        Index("ix_messages_external_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200))
    author_role: Mapped[str] = mapped_column(String(20))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[TicketRow] = relationship(back_populates="messages")
    author: Mapped[UserRow | None] = relationship()


class StatusChangeRow(Base):
    """One lifecycle transition; `time_in_status` and the dashboards read these."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DraftRow(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    ticket_version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    raw_confidence: Mapped[float | None] = mapped_column(Float)  # before the team's recalibration
    band: Mapped[str] = mapped_column(String(20))  # the badge shown with it (ConfidenceBand): more than the figure
    sources: Mapped[list[Any]] = mapped_column(default=list)
    model: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(20))  # llm | offline
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The earlier ticket whose sent reply the draft is built on (assist/drafting/reuse.py); no foreign key: a
    # deleted ticket leaves the figure of what was reused.
    reused_from: Mapped[int | None] = mapped_column(Integer)


class DraftViewRow(Base):
    """The first time an agent had a draft in front of them (the draft funnel counts from here)."""

    __tablename__ = "draft_views"

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    shown_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shown_at: Mapped[datetime] = mapped_column(index=True)


class ReplyRow(Base):
    """An outbound message and the draft it started from, so acceptance is measurable."""

    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"))
    draft_text: Mapped[str | None] = mapped_column(Text)
    sent_text: Mapped[str] = mapped_column(Text)
    edit_distance: Mapped[int | None] = mapped_column(Integer)
    edit_ratio: Mapped[float | None] = mapped_column(Float)  # edit_distance / length of the longer text
    sent_as_drafted: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class EscalationRow(Base):
    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_state_queue", "state", "queue"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    priority: Mapped[str] = mapped_column(String(20))  # low | medium | high | critical
    queue: Mapped[str] = mapped_column(String(20))  # tier1 | tier2 | manager
    suggested_action: Mapped[str] = mapped_column(Text, default="")
    package: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the HandoffPackage as stored
    state: Mapped[str] = mapped_column(String(20), default="open")  # open | taken | returned | resolved
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who owns an escalation is the ticket's assignee: one notion of owner everywhere.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()


class CsatRow(Base):
    __tablename__ = "csat_responses"
    __table_args__ = (UniqueConstraint("import_key", name="uq_csat_responses_import_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="survey")  # survey | import
    import_key: Mapped[str | None] = mapped_column(String(64))  # re-importing a file adds nothing
    responded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(320), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


DEFAULT_ORIGIN = "files"  # the knowledge source of uploads and folders


class ArticleRow(Base):
    """A knowledge-base article as ingested. SQL is the source of truth for what is searchable:
    a chunk vector in chroma only counts while its id is listed in `kb_chunks`."""

    __tablename__ = "kb_articles"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), index=True)
    product: Mapped[str] = mapped_column(String(60), default="all")
    updated: Mapped[str] = mapped_column(String(10))  # ISO date from the article itself
    source: Mapped[str] = mapped_column(String(260))
    url: Mapped[str | None] = mapped_column(String(500))  # public help-center address, for links in replies
    content_hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    chunk_count: Mapped[int] = mapped_column(Integer)
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    ingested_by: Mapped[str] = mapped_column(String(320))
    # The knowledge source it came from ("files": uploads and folders); a sync removes only its own source's.
    origin: Mapped[str] = mapped_column(String(100), default=DEFAULT_ORIGIN, server_default=DEFAULT_ORIGIN, index=True)

    chunks: Mapped[list[ChunkRow]] = relationship(
        back_populates="article", order_by="ChunkRow.position", cascade="all, delete-orphan", passive_deletes=True
    )


class KnowledgeSourceRow(Base):
    """A configured knowledge source: what `kb sync NAME` reads (a folder, a Git repository, a sitemap) and how
    its last sync went. Its articles carry its name in `kb_articles.origin`."""

    __tablename__ = "kb_sources"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)  # as long as ArticleRow.origin
    kind: Mapped[str] = mapped_column(String(20))  # a key of assist.kb.sources.KINDS
    location: Mapped[str] = mapped_column(String(2000))  # a folder, a repository address, a sitemap address
    branch: Mapped[str | None] = mapped_column(String(200))  # a Git source's branch; None: its default
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str] = mapped_column(String(320))
    last_sync_at: Mapped[datetime | None] = mapped_column()
    last_outcome: Mapped[str | None] = mapped_column(String(400))  # "3 new, 1 updated, 40 unchanged"
    last_error: Mapped[str | None] = mapped_column(Text)  # None when the last sync had no failure


class ChunkRow(Base):
    __tablename__ = "kb_chunks"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # "<article>:<hash12>:<n>", also the chroma id
    article_id: Mapped[str] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text)

    article: Mapped[ArticleRow] = relationship(back_populates="chunks")


class KbStateRow(Base):
    """One row; `generation` goes up with every change (stored assistance records the one it was computed from), and
    `stamp` is new with every change: a restored backup takes the generation back to a number a process may have
    cached, so the cache keys on the stamp too."""

    __tablename__ = "kb_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    stamp: Mapped[str | None] = mapped_column(String(32), nullable=True)


class AssistRunRow(Base):
    """One run of the assist pipeline for a ticket version: what it suggested and what it cost."""

    __tablename__ = "assist_runs"
    __table_args__ = (Index("ix_assist_runs_ticket_version", "ticket_id", "ticket_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    ticket_version: Mapped[int] = mapped_column(Integer)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"))
    mode: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(200))
    confidence: Mapped[float] = mapped_column(Float)
    top_score: Mapped[float | None] = mapped_column(Float)
    category: Mapped[str] = mapped_column(String(40))
    category_confidence: Mapped[float] = mapped_column(Float)
    intent: Mapped[str | None] = mapped_column(String(60))
    sentiment_level: Mapped[str] = mapped_column(String(20))
    sentiment_score: Mapped[float] = mapped_column(Float)
    frustration: Mapped[float] = mapped_column(Float)
    priority: Mapped[int] = mapped_column(Integer)
    escalate: Mapped[bool] = mapped_column(Boolean)
    queue: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    latency_ms: Mapped[float] = mapped_column(Float)
    steps_ms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the whole Assistance, for instant re-open
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class OutboxRow(Base):
    """Every outbound reply, kept until delivered (and after): nothing sent is ever lost."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    channel: Mapped[str] = mapped_column(String(20))  # smtp | webhook | chat | none
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | retrying | sent | failed | recorded
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
    in_reply_to: Mapped[str | None] = mapped_column(String(200))  # the customer's Message-ID, for mail threading

    message: Mapped[MessageRow] = relationship()  # the reply; its external id is the Message-ID it is mailed with


class MailCursorRow(Base):
    """How far a mailbox was read: a new UIDVALIDITY means its UIDs were renumbered (start again; the
    Message-IDs already stored keep that from adding anything twice)."""

    __tablename__ = "mail_cursors"

    mailbox: Mapped[str] = mapped_column(String(400), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MailQuarantineRow(Base):
    """A mail that could not be stored, kept whole with the reason: the poll moved on past it, an admin
    sees it and may retry it (after an upgrade, say). `digest` (SHA-256 of the raw bytes) keeps a
    message that is read again from being quarantined twice."""

    __tablename__ = "mail_quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    mailbox: Mapped[str] = mapped_column(String(400))
    uid: Mapped[int] = mapped_column(BigInteger)
    sender: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    quarantined_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    retried_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()  # a retry stored it
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))


class SurveyTokenRow(Base):
    """A CSAT survey link; `used_at` makes it single-use."""

    __tablename__ = "survey_tokens"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column()


class LoginAttemptRow(Base):
    """Sign-in attempts, for rate limiting that holds across restarts and replicas."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "attempted_at"),
        Index("ix_login_attempts_at", "attempted_at"),  # the admins' "who is being targeted" panel
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    success: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The known device (browser) the attempt came from, None for any other: each known device has its own
    # failure budget, so strangers' guesses do not lock the real user out.
    device: Mapped[str | None] = mapped_column(String(32))


class UnlockTokenRow(Base):
    """A single-use unlock link: redeeming it makes that browser a known device of the account."""

    __tablename__ = "unlock_tokens"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_by: Mapped[str] = mapped_column(String(320))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column()


class UnsentReplyRow(Base):
    """What an agent typed in a ticket's reply box and has not sent: kept until sent or discarded, so a
    reload, a closed tab or another browser finds it again."""

    __tablename__ = "unsent_replies"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketTopicRow(Base):
    """The embedding of a ticket's opening (subject + first customer message), computed once, so a
    customer's earlier tickets can be matched by meaning and not only by an exact intent label."""

    __tablename__ = "ticket_topics"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, unit length
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalibrationRow(Base):
    """One recalibration of draft confidence on the team's sends; the newest one is in use."""

    __tablename__ = "confidence_calibrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slope: Mapped[float] = mapped_column(Float)
    intercept: Mapped[float] = mapped_column(Float)
    sends: Mapped[int] = mapped_column(Integer)
    fitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class MacroRow(Base):
    """A canned response the admins maintain; `{customer_first_name}`-style placeholders fill in on insert."""

    __tablename__ = "macros"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MacroUseRow(Base):
    """One insertion of a macro into a reply (the dashboard counts them)."""

    __tablename__ = "macro_uses"
    __table_args__ = (Index("ix_macro_uses_used_at", "used_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    macro_id: Mapped[int] = mapped_column(ForeignKey("macros.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)


class PresenceRow(Base):
    """Who has had which ticket open, and when last: stored, so every server process sees it."""

    __tablename__ = "ticket_presence"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class TicketFactRow(Base):
    """What the dashboard knows of one ticket, kept on every write (assist/store/facts.py): the key its
    figures roll up under (creation day, category, assignee) and the values only a per-ticket read
    can use (the median first response, the knowledge-gap list). No foreign key: a deleted ticket's
    facts must still be there to subtract from the rollups in the same transaction."""

    __tablename__ = "ticket_facts"
    __table_args__ = (
        Index("ix_ticket_facts_day", "day", "category", "assignee_id"),
        Index("ix_ticket_facts_created", "created_at"),
        # The median first response walks this in order (covering: no table reads).
        Index("ix_ticket_facts_response", "response_h", "day", "category", "assignee_id", "ticket_id"),
    )

    ticket_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column()
    day: Mapped[str] = mapped_column(String(10))  # UTC creation day, YYYY-MM-DD
    category: Mapped[str] = mapped_column(String(40))  # "uncategorised" when none
    assignee_id: Mapped[int] = mapped_column(Integer)  # 0 when unassigned
    status: Mapped[str] = mapped_column(String(30))
    priority: Mapped[int] = mapped_column(Integer)
    response_h: Mapped[float | None] = mapped_column(Float)
    top_score: Mapped[float | None] = mapped_column(Float)


class _Sums:
    """The values of a fact item, and of the rollups that add them up."""

    n: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)
    extra: Mapped[float] = mapped_column(Float)


class FactItemRow(_Sums, Base):
    """One ticket's contribution to one dashboard measure (e.g. measure "csat", label "edited": n
    responses, total of scores, extra = satisfied ones). The rollups are these summed per key."""

    __tablename__ = "ticket_fact_items"

    ticket_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    measure: Mapped[str] = mapped_column(String(20), primary_key=True)
    label: Mapped[str] = mapped_column(String(200), primary_key=True)


class FactRollupRow(_Sums, Base):
    """The sum of every ticket's fact items per creation day, category and assignee: what the lead's
    dashboard reads (a year is ~365 x categories x agents rows per measure, not every ticket)."""

    __tablename__ = "fact_rollups"
    __table_args__ = (Index("ix_fact_rollups_measure_day", "measure", "day"),)

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    assignee_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    measure: Mapped[str] = mapped_column(String(20), primary_key=True)
    label: Mapped[str] = mapped_column(String(200), primary_key=True)


class TicketCountRow(Base):
    """How many tickets there are per status, priority, category and assignee, kept with the facts: the
    inbox's counts per status and per view read these few rows instead of counting every ticket."""

    __tablename__ = "ticket_counts"

    status: Mapped[str] = mapped_column(String(30), primary_key=True)
    priority: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)  # "uncategorised" when none
    assignee_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 0: unassigned
    n: Mapped[int] = mapped_column(Integer)
