"""The product's vocabulary: enums and the read models that `assist` returns to pages.

ORM rows live in `assist.store.models`; these models are what crosses the boundary, so a page
never holds a live database object.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


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


class TicketQuery(_Model):
    """What the inbox asks for: filters, sort and page. Empty filters mean 'any'."""

    statuses: tuple[TicketStatus, ...] = ()
    min_priority: int = Field(default=1, ge=1, le=10)
    categories: tuple[Category, ...] = ()
    assignee_id: int | None = None
    unassigned_only: bool = False
    search: str = Field(default="", max_length=200)
    sort: TicketSort = TicketSort.PRIORITY
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=25, ge=1, le=200)


class TicketRow(_Model):
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
    rows: tuple[TicketRow, ...]
    total: int
    page: int
    page_count: int
    status_counts: dict[TicketStatus, int]


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


class TicketDetail(_Model):
    id: int
    external_id: str | None
    subject: str
    status: TicketStatus
    priority: int
    category: Category | None
    channel: Channel
    assignee_name: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    messages: tuple[Message, ...]
    customer: CustomerProfile


class User(_Model):
    id: int
    email: str
    name: str
    role: Role
    active: bool


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
    chunk_count: int
    ingested_at: datetime
    ingested_by: str


class ArticleDetail(ArticleSummary):
    body: str


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
