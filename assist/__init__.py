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
                    answers (article and sentence selection; selection_features builds what it scores),
                    reader (the cross-encoder), confidence and policy (raw -> shown, bands, thresholds),
                    stance, offline / llm drafters, redaction
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

from __future__ import annotations

import importlib
from typing import Any

# What the pages and the CLI may import from `assist`, by the module that defines it. A name is imported from its
# module on first use (PEP 562), so `import assist.config` or `python -m assist --help` does not load the whole
# product first: torch, chromadb, langchain, pandas and scipy cost about 2.5 s of imports, and most commands and
# every fresh worker process need only a few of them.
EXPORTS: dict[str, tuple[str, ...]] = {
    "assist.audit": ("audit_events",),
    "assist.authentication": ("authenticate", "sign_in", "targeted_accounts"),
    "assist.config": ("Settings", "get_settings", "signing_key"),
    "assist.csat": ("import_csat", "submit_rating", "survey_subject"),
    "assist.csv_export": ("to_csv",),
    "assist.delivery": ("Courier",),
    "assist.devices": ("issue_unlock_link", "redeem_unlock", "request_unlock"),
    "assist.domain": (
        "OPEN_STATUSES",
        "Arm",
        "ArticleSummary",
        "Assistance",
        "AuthorRole",
        "Category",
        "Channel",
        "ConfidenceBand",
        "CustomerProfile",
        "Draft",
        "DraftAction",
        "Escalation",
        "EscalationItem",
        "Experiment",
        "HandoffPackage",
        "Hit",
        "ImportField",
        "InboxRow",
        "InboxView",
        "IngestReport",
        "KnowledgeSource",
        "Macro",
        "Message",
        "MessageSentiment",
        "OpenTicket",
        "Queue",
        "ReplyState",
        "Role",
        "Sentiment",
        "SentReply",
        "TicketDetail",
        "TicketPage",
        "TicketQuery",
        "TicketSort",
        "TicketStatus",
        "Triage",
        "User",
    ),
    "assist.drafting": ("insert_link",),
    "assist.drafting.reader": ("AnswerReader",),
    "assist.embeddings": ("Embedder",),
    "assist.errors": (
        "AssistError",
        "ConcurrencyError",
        "ConfigError",
        "DatabaseError",
        "InvalidTransitionError",
        "NotFoundError",
        "OwnershipError",
        "PermissionDeniedError",
        "SessionEndedError",
        "SignInPausedError",
        "SurveyError",
        "ValidationError",
    ),
    "assist.experiments": (
        "MEASURES",
        "Comparison",
        "Effect",
        "Measure",
        "Segment",
        "compare_arms",
        "list_experiments",
        "start_experiment",
        "stop_experiment",
    ),
    "assist.factories": (
        "build_answer_reader",
        "build_assistant",
        "build_courier",
        "build_embedder",
        "build_engine",
        "build_knowledge_base",
        "build_sentiment_model",
        "warm_up",
    ),
    "assist.funnel": ("GROUPINGS", "Funnel", "FunnelRow", "Stage", "draft_funnel"),
    "assist.history": ("last_reply",),
    "assist.inbox": (
        "SEARCH_COUNT_LIMIT",
        "inbox_views",
        "list_assignees",
        "list_inbox",
        "still_preparing",
        "views_for",
    ),
    "assist.intake": ("guess_mapping", "import_rows", "read_rows"),
    "assist.kb": ("KnowledgeBase",),
    "assist.kb.search": ("GOOD_MATCH", "good_match"),
    "assist.kb.sources": ("sync_source",),
    "assist.knowledge_gaps": ("GapTopic", "gap_topics"),
    "assist.lifecycle": ("change_status", "time_in_status"),
    "assist.macros": ("PLACEHOLDERS", "list_macros", "macro_usage", "save_macro", "set_macro_active", "use_macro"),
    "assist.mail_in": ("quarantined", "retry_quarantined"),
    "assist.masking": ("MaskRules",),
    "assist.metrics": ("Dashboard", "Kpis", "MetricsFilter", "dashboard", "gap_candidates"),
    "assist.ownership": ("claim",),
    "assist.pipeline": ("Assistant", "compute_assistance", "confidence_policy", "precompute_many"),
    "assist.presence": ("PRESENCE_BEAT", "here", "leave"),
    "assist.queue": ("list_escalations", "reasons_in_queue", "reassign", "resolve", "return_to_tier1", "take_over"),
    "assist.sentiment": ("SentimentModel",),
    "assist.sessions": ("check_session_limits", "resume_session", "session_token"),
    "assist.similar": ("catch_up_similar", "similar_tickets"),
    "assist.store": ("make_engine", "upgrade"),
    "assist.store.actors": ("check_session",),
    "assist.store.limits": ("FORM_LIMITS",),
    "assist.store.tickets": ("parse_ticket_id",),
    "assist.ticket_actions": (
        "add_note",
        "escalate",
        "handoff_preview",
        "open_ticket",
        "regenerate",
        "reopen",
        "send_reply",
    ),
    "assist.unsent_replies": ("keep_unsent_reply", "unsent_reply"),
    "assist.users": ("change_role", "create_user", "list_users", "reset_password", "set_user_active"),
}
_HOME = {name: module for module, names in EXPORTS.items() for name in names}
__all__ = sorted(_HOME)  # one list: the names of EXPORTS


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'assist' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # the next lookup is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
