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
    kb/             parsers -> chunks -> chroma + BM25 -> hybrid search; sources: the configured knowledge
                    sources (a folder, a Git repository, a sitemap; one module each) synced by name
    stemming        the one English stemmer (BM25 and the drafts' key-term coverage)
    sentiment/, triage/, drafting/, escalation, priority, history, topics, handoff: the assessment
    drafting/       thread (the thread read once: question, promises, tries, deadline, owner), message_text,
                    answers (article and sentence selection), reader (the cross-encoder), confidence and
                    policy (raw -> shown, bands, thresholds), stance, offline / llm drafters, redaction
    arrival         Arrival: a message as any channel received it (typed); admit: the one check every arrival
                    passes (text, attachments listed, address, ticket id, time, identity)
    masking         card numbers (and, when set, phones and IBANs) masked on arrival; sensitive_numbers finds them
    intake          every way a ticket arrives ends in take_in (admit, then exactly once); helpdesk exports
    intake_api      the HTTP intake (`python -m assist serve`): signed, size-limited, idempotent
    mail_in         e-mail in: poll, store or quarantine each message (`receive`); mail_threading decides
                    which ticket a mail may join; mail_headers/mail_mime/mail_text/mail_parse read it safely
    preparation     which tickets wait for their assistance; the embedded worker that prepares them
    work_queue      RQ jobs on Redis for `python -m assist worker` processes on any number of machines
    sessions        signed, expiring session tokens: a signed-in browser survives a reload
    signing         HMAC signatures of outgoing webhooks and incoming intake requests
    experiments     does assistance help? a holdout of arriving tickets shown no draft and no articles, and the
                    two arms compared with 95 % intervals (effects: the interval and the tickets still needed)
    funnel          the draft funnel: every draft shown ends in one stage (sent as is, light, heavy, not used, waiting)
    delivery, csat, metrics, knowledge_gaps, users, audit, csv_export: the rest of the product
    demo/           the deterministic demo workspace (off the product path: only the CLI's seed-demo uses it)
    dev/            benchmarks, evaluations, training (off the product path)
    cli             `python -m assist ...`
"""

from assist.audit import audit_events
from assist.authentication import authenticate, sign_in, targeted_accounts
from assist.config import Settings, get_settings, signing_key
from assist.csat import import_csat, submit_rating, survey_subject
from assist.csv_export import to_csv
from assist.delivery import Courier
from assist.devices import issue_unlock_link, redeem_unlock, request_unlock
from assist.domain import (
    OPEN_STATUSES,
    Arm,
    ArticleSummary,
    Assistance,
    AuthorRole,
    Category,
    Channel,
    ConfidenceBand,
    CustomerProfile,
    Draft,
    DraftAction,
    Escalation,
    EscalationItem,
    Experiment,
    HandoffPackage,
    Hit,
    ImportField,
    InboxRow,
    InboxView,
    IngestReport,
    KnowledgeSource,
    Macro,
    Message,
    MessageSentiment,
    OpenTicket,
    Queue,
    ReplyState,
    Role,
    Sentiment,
    SentReply,
    TicketDetail,
    TicketPage,
    TicketQuery,
    TicketSort,
    TicketStatus,
    Triage,
    User,
)
from assist.drafting import insert_link
from assist.drafting.reader import AnswerReader
from assist.embeddings import Embedder
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
    SignInPausedError,
    SurveyError,
    ValidationError,
)
from assist.experiments import (
    MEASURES,
    Comparison,
    Effect,
    Measure,
    Segment,
    compare_arms,
    list_experiments,
    start_experiment,
    stop_experiment,
)
from assist.factories import (
    build_answer_reader,
    build_assistant,
    build_courier,
    build_embedder,
    build_engine,
    build_knowledge_base,
    build_sentiment_model,
    warm_up,
)
from assist.funnel import GROUPINGS, Funnel, FunnelRow, Stage, draft_funnel
from assist.history import last_reply
from assist.inbox import SEARCH_COUNT_LIMIT, inbox_views, list_assignees, list_inbox, still_preparing, views_for
from assist.intake import guess_mapping, import_rows, read_rows
from assist.kb import KnowledgeBase
from assist.kb.search import GOOD_MATCH, good_match
from assist.kb.sources import sync_source
from assist.knowledge_gaps import GapTopic, gap_topics
from assist.lifecycle import change_status, time_in_status
from assist.macros import PLACEHOLDERS, list_macros, macro_usage, save_macro, set_macro_active, use_macro
from assist.mail_in import quarantined, retry_quarantined
from assist.masking import MaskRules
from assist.metrics import Dashboard, Kpis, MetricsFilter, dashboard, gap_candidates
from assist.ownership import claim
from assist.pipeline import Assistant, compute_assistance, confidence_policy, precompute_many
from assist.presence import PRESENCE_BEAT, here, leave
from assist.queue import list_escalations, reasons_in_queue, reassign, resolve, return_to_tier1, take_over
from assist.sentiment import SentimentModel
from assist.sessions import check_session_limits, resume_session, session_token
from assist.similar import catch_up_similar, similar_tickets
from assist.store import make_engine, upgrade
from assist.store.actors import check_session
from assist.store.tickets import parse_ticket_id
from assist.ticket_actions import add_note, escalate, handoff_preview, open_ticket, regenerate, reopen, send_reply
from assist.unsent_replies import keep_unsent_reply, unsent_reply
from assist.users import change_role, create_user, list_users, reset_password, set_user_active

__all__ = [
    "GOOD_MATCH",
    "GROUPINGS",
    "MEASURES",
    "OPEN_STATUSES",
    "PLACEHOLDERS",
    "PRESENCE_BEAT",
    "SEARCH_COUNT_LIMIT",
    "AnswerReader",
    "Arm",
    "ArticleSummary",
    "AssistError",
    "Assistance",
    "Assistant",
    "AuthorRole",
    "Category",
    "Channel",
    "Comparison",
    "ConcurrencyError",
    "ConfidenceBand",
    "ConfigError",
    "Courier",
    "CustomerProfile",
    "Dashboard",
    "DatabaseError",
    "Draft",
    "DraftAction",
    "Effect",
    "Embedder",
    "Escalation",
    "EscalationItem",
    "Experiment",
    "Funnel",
    "FunnelRow",
    "GapTopic",
    "HandoffPackage",
    "Hit",
    "ImportField",
    "InboxRow",
    "InboxView",
    "IngestReport",
    "InvalidTransitionError",
    "KnowledgeBase",
    "KnowledgeSource",
    "Kpis",
    "Macro",
    "MaskRules",
    "Measure",
    "Message",
    "MessageSentiment",
    "MetricsFilter",
    "NotFoundError",
    "OpenTicket",
    "OwnershipError",
    "PermissionDeniedError",
    "Queue",
    "ReplyState",
    "Role",
    "Segment",
    "SentReply",
    "Sentiment",
    "SentimentModel",
    "SessionEndedError",
    "Settings",
    "SignInPausedError",
    "Stage",
    "SurveyError",
    "TicketDetail",
    "TicketPage",
    "TicketQuery",
    "TicketSort",
    "TicketStatus",
    "Triage",
    "User",
    "ValidationError",
    "add_note",
    "audit_events",
    "authenticate",
    "build_answer_reader",
    "build_assistant",
    "build_courier",
    "build_embedder",
    "build_engine",
    "build_knowledge_base",
    "build_sentiment_model",
    "catch_up_similar",
    "change_role",
    "change_status",
    "check_session",
    "check_session_limits",
    "claim",
    "compare_arms",
    "compute_assistance",
    "confidence_policy",
    "create_user",
    "dashboard",
    "draft_funnel",
    "escalate",
    "gap_candidates",
    "gap_topics",
    "get_settings",
    "good_match",
    "guess_mapping",
    "handoff_preview",
    "here",
    "import_csat",
    "import_rows",
    "inbox_views",
    "insert_link",
    "issue_unlock_link",
    "keep_unsent_reply",
    "last_reply",
    "leave",
    "list_assignees",
    "list_escalations",
    "list_experiments",
    "list_inbox",
    "list_macros",
    "list_users",
    "macro_usage",
    "make_engine",
    "open_ticket",
    "parse_ticket_id",
    "precompute_many",
    "quarantined",
    "read_rows",
    "reasons_in_queue",
    "reassign",
    "redeem_unlock",
    "regenerate",
    "reopen",
    "request_unlock",
    "reset_password",
    "resolve",
    "resume_session",
    "retry_quarantined",
    "return_to_tier1",
    "save_macro",
    "send_reply",
    "session_token",
    "set_macro_active",
    "set_user_active",
    "sign_in",
    "signing_key",
    "similar_tickets",
    "start_experiment",
    "still_preparing",
    "stop_experiment",
    "submit_rating",
    "survey_subject",
    "sync_source",
    "take_over",
    "targeted_accounts",
    "time_in_status",
    "to_csv",
    "unsent_reply",
    "upgrade",
    "use_macro",
    "views_for",
    "warm_up",
]
