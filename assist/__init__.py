"""Assist Console core: everything the pages and the CLI call. Never imports streamlit.

Where things live:
    config        Settings (the only reader of the environment)
    errors        AssistError and its subclasses
    domain        enums and the read models pages receive (TicketPage, TicketDetail, ...)
    store/        SQLAlchemy models, engine factory, alembic migrations, repositories
    lifecycle     ticket state machine, audit of transitions, time in status
    inbox         list / open tickets for the inbox page
    demo          deterministic demo workspace (demo_content holds its words)
    bench/        `python -m assist bench` benchmarks
    cli           `python -m assist ...`
"""

from assist.config import Settings, get_settings
from assist.demo import DemoSummary, seed_demo
from assist.domain import (
    AuthorRole,
    Category,
    Channel,
    CustomerProfile,
    Message,
    Role,
    TicketDetail,
    TicketPage,
    TicketQuery,
    TicketRow,
    TicketSort,
    TicketStatus,
    User,
)
from assist.errors import (
    AssistError,
    ConcurrencyError,
    ConfigError,
    DatabaseError,
    InvalidTransitionError,
    NotFoundError,
    ValidationError,
)
from assist.inbox import list_assignees, list_inbox, open_ticket
from assist.lifecycle import change_status, time_in_status, transition
from assist.store import make_engine, session_scope, upgrade

__all__ = [
    "AssistError",
    "AuthorRole",
    "Category",
    "Channel",
    "ConcurrencyError",
    "ConfigError",
    "CustomerProfile",
    "DatabaseError",
    "DemoSummary",
    "InvalidTransitionError",
    "Message",
    "NotFoundError",
    "Role",
    "Settings",
    "TicketDetail",
    "TicketPage",
    "TicketQuery",
    "TicketRow",
    "TicketSort",
    "TicketStatus",
    "User",
    "ValidationError",
    "change_status",
    "get_settings",
    "list_assignees",
    "list_inbox",
    "make_engine",
    "open_ticket",
    "seed_demo",
    "session_scope",
    "time_in_status",
    "transition",
    "upgrade",
]
