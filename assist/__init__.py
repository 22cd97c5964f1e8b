"""Assist Console core: everything the pages and the CLI call. Never imports streamlit.

Layers (docs/architecture.md): pages -> ui -> the services below -> engines and the store.

Where things live:
    config          Settings (the only reader of the environment)
    errors          AssistError and its subclasses
    domain          enums and the read models pages receive (InboxRow, TicketDetail, Assistance, ...)
    text            outside text made storable (clean_text) and the one emptiness test (is_blank)
    identifiers     the one rule for e-mail addresses (normalise_email) and helpdesk ids (check_external_id)
    times           dates from outside: parsed one way, kept in a window around now (arrival_time)
    factories       builds every heavy resource once (engine, embedder, models, knowledge base, Assistant)
    inbox           the ticket list and its views (My tickets, Unassigned, All open, Escalated to me) with counts
    ownership       claim a ticket (Assign to me)
    macros          canned responses with placeholders, inserted into replies; their use counts
    presence        who else has a ticket open ("Maya is replying"), stored for every server process
    pipeline        compute_assistance(ticket) -> Assistance: retrieval, answer selection, sentiment, triage,
                    confidence, escalation, the plan and the draft; confidence_policy (raw -> shown, thresholds)
    ticket_actions  an agent's actions on one ticket: open, send, note, reopen, regenerate, escalate
    unsent_replies  what an agent typed and has not sent, kept per ticket and agent until sent or discarded
    similar         similar resolved tickets: the team's sent replies indexed by the question they answered,
                    offered with the other customer's details removed
    queue           the lead's escalation queue and its actions
    lifecycle       a status change in its own transaction, time in status (the state machine is store/status.py)
    store/          the only code that speaks SQL: models, migrations, repositories, the one version guard
                    (store/versioned.py), the ticket state machine (store/status.py), who acts and may they
                    (store/actors.py), the dashboard facts kept in the same transaction as every write
                    (store/facts.py)
    edits           the edit ratio and where light edits end; recalibration: the team's Platt mapping
    kb/             parsers -> chunks -> chroma + BM25 -> hybrid search
    stemming        the one English stemmer (BM25 and the drafts' key-term coverage)
    sentiment/, triage/, drafting/, escalation, priority, history, topics, handoff: the assessment
    drafting/       thread (the thread read once: question, promises, tries, deadline, owner), message_text,
                    answers (article and sentence selection), reader (the cross-encoder), confidence and
                    policy (raw -> shown, bands, thresholds), stance, offline / llm drafters, redaction
    arrival         admit: the one check every arrival passes (text, address, ticket id, time, identity)
    masking         card numbers (and, when set, phones and IBANs) masked on arrival; sensitive_numbers finds them
    intake          every way a ticket arrives ends in take_in (admit, then exactly once); helpdesk exports
    intake_api      the HTTP intake (`python -m assist serve`): signed, size-limited, idempotent
    mail_in         e-mail in: poll, store or quarantine each message (`receive`); mail_threading decides
                    which ticket a mail may join; mail_headers/mail_mime/mail_text/mail_parse read it safely
    preparation     which tickets wait for their assistance; the embedded worker that prepares them
    work_queue      RQ jobs on Redis for `python -m assist worker` processes on any number of machines
    sessions        signed, expiring session tokens: a signed-in browser survives a reload
    signing         HMAC signatures of outgoing webhooks and incoming intake requests
    delivery, csat, metrics, knowledge_gaps, users, audit, csv_export: the rest of the product
    demo/           the deterministic demo workspace (off the product path: only the CLI's seed-demo uses it)
    dev/            benchmarks, evaluations, training (off the product path)
    cli             `python -m assist ...`
"""

from assist.authentication import authenticate, sign_in
from assist.config import Settings, get_settings
from assist.domain import (
    Assistance,
    AuthorRole,
    Category,
    Channel,
    CustomerProfile,
    InboxRow,
    InboxView,
    Macro,
    Message,
    OpenTicket,
    ReplyState,
    Role,
    TicketDetail,
    TicketPage,
    TicketQuery,
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
    OwnershipError,
    PermissionDeniedError,
    SessionEndedError,
    ValidationError,
)
from assist.factories import build_assistant, build_engine, build_knowledge_base
from assist.inbox import inbox_views, list_assignees, list_inbox, still_preparing, views_for
from assist.kb import KnowledgeBase
from assist.lifecycle import change_status, time_in_status
from assist.macros import list_macros, macro_usage, save_macro, set_macro_active, use_macro
from assist.ownership import claim
from assist.pipeline import Assistant, compute_assistance, confidence_policy, precompute_many
from assist.presence import here, leave
from assist.queue import list_escalations, reasons_in_queue, reassign, resolve, return_to_tier1, take_over
from assist.store import make_engine, upgrade
from assist.ticket_actions import add_note, escalate, handoff_preview, open_ticket, regenerate, reopen, send_reply
from assist.users import create_user

__all__ = [
    "AssistError",
    "Assistance",
    "Assistant",
    "AuthorRole",
    "Category",
    "Channel",
    "ConcurrencyError",
    "ConfigError",
    "CustomerProfile",
    "DatabaseError",
    "InboxRow",
    "InboxView",
    "InvalidTransitionError",
    "KnowledgeBase",
    "Macro",
    "Message",
    "NotFoundError",
    "OpenTicket",
    "OwnershipError",
    "PermissionDeniedError",
    "ReplyState",
    "Role",
    "SessionEndedError",
    "Settings",
    "TicketDetail",
    "TicketPage",
    "TicketQuery",
    "TicketSort",
    "TicketStatus",
    "User",
    "ValidationError",
    "add_note",
    "authenticate",
    "build_assistant",
    "build_engine",
    "build_knowledge_base",
    "change_status",
    "claim",
    "compute_assistance",
    "confidence_policy",
    "create_user",
    "escalate",
    "get_settings",
    "handoff_preview",
    "here",
    "inbox_views",
    "leave",
    "list_assignees",
    "list_escalations",
    "list_inbox",
    "list_macros",
    "macro_usage",
    "make_engine",
    "open_ticket",
    "precompute_many",
    "reasons_in_queue",
    "reassign",
    "regenerate",
    "reopen",
    "resolve",
    "return_to_tier1",
    "save_macro",
    "send_reply",
    "set_macro_active",
    "sign_in",
    "still_preparing",
    "take_over",
    "time_in_status",
    "upgrade",
    "use_macro",
    "views_for",
]
