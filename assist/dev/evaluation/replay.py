"""Replay on the team's own history (`python -m assist eval replay --from-db`): for each resolved ticket, the
assistance recomputed as it would have been at the agent's first reply, scored against what the agent sent.

It runs on a copy: the workspace is copied into a temporary SQLite database (`store.copy.copy_workspace`) and
its articles indexed afresh in a temporary Chroma, so nothing of the workspace is written. Tickets are replayed
newest first; each is rewound in the copy to the moment of its first reply (the messages from then on, the
escalations and the customer's later tickets removed, which were replayed already), so the thread, the contact
history and the owner are what the agent saw. What the copy cannot rewind is said in `notes`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein
from sqlalchemy import Engine, delete, func, select, update

from assist.dev.evaluation.drafts import scratch_settings
from assist.dev.scores import binary_scores
from assist.domain import AuthorRole, Draft, TicketStatus
from assist.drafting.confidence import expected_calibration_error
from assist.drafting.offline import as_sent
from assist.drafting.stance import CLOSER
from assist.edits import LIGHT_EDIT, edit_ratio
from assist.errors import ValidationError
from assist.factories import build_assistant, build_engine
from assist.pipeline import Assistant, compute_assistance
from assist.store.copy import copy_workspace
from assist.store.db import session_scope
from assist.store.models import EscalationRow, MessageRow, ReplyRow, StatusChangeRow, TicketRow
from assist.users import OPERATOR

NOTES = (
    "articles as they are today: the knowledge base keeps no earlier versions",
    "the confidence's recalibration as fitted today (on these sends too)",
    "the customer's plan, invoices and account as they are today",
)
# Sentences of a reply that ask the customer for something; the closing offers every reply ends with do not.
_QUESTION = re.compile(r"[^.!?\n]*\?")
_CLOSING = re.compile(r"anything else|does this solve|let me know|does that (help|do it)", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s)>\]]+")
SAME_CLICK = timedelta(minutes=1)  # a resolve this soon after the first reply came with it (Send & resolve)


@dataclass(frozen=True, slots=True)
class Case:
    """A resolved ticket and its first reply: what the agent sent, when, and what they did instead of answering."""

    ticket_id: int
    customer_id: int
    moment: datetime  # the first reply
    first_reply_message_id: int
    sent: str
    agent_name: str
    escalated_first: bool  # escalated before any reply
    resolving: bool  # the first reply also resolved the ticket (Send & resolve): the draft is offered without its
    # "does this solve it?" closer then, as the product offers it
    linked: frozenset[str]  # addresses the reply linked to


@dataclass(frozen=True, slots=True)
class Replayed:
    case: Case
    draft: Draft
    similarity: float  # cosine of the draft and the sent reply (MiniLM)
    ratio: float  # edit ratio of the draft (as this agent would have been offered it) to what was sent
    linked_articles: frozenset[str]  # the articles the reply linked to, by id


def asked_or_escalated(case: Case) -> bool:
    """The agent did not answer at first: escalated, or the reply asks the customer something."""
    questions = [q for q in _QUESTION.findall(case.sent) if not _CLOSING.search(q) and CLOSER not in q]
    return case.escalated_first or bool(questions)


def _cases(engine: Engine, since: date | None) -> list[Case]:
    first = (
        select(MessageRow.ticket_id, func.min(MessageRow.id).label("message_id"))
        .where(MessageRow.author_role == AuthorRole.AGENT.value)
        .group_by(MessageRow.ticket_id)
        .subquery()
    )
    query = (
        select(TicketRow.id, TicketRow.customer_id, MessageRow.id.label("message_id"), MessageRow.created_at)
        .join(first, first.c.ticket_id == TicketRow.id)
        .join(MessageRow, MessageRow.id == first.c.message_id)
        .where(TicketRow.status == "resolved")
        .order_by(MessageRow.created_at.desc(), TicketRow.id.desc())
    )
    if since is not None:
        query = query.where(TicketRow.created_at >= datetime.combine(since, time.min, tzinfo=UTC))
    cases = []
    with session_scope(engine) as session:
        for row in session.execute(query).all():
            message = session.get_one(MessageRow, row.message_id)
            reply = session.scalar(select(ReplyRow).where(ReplyRow.message_id == row.message_id))
            sent = reply.sent_text if reply is not None else message.body
            escalated = session.scalar(
                select(func.count())
                .select_from(EscalationRow)
                .where(EscalationRow.ticket_id == row.id, EscalationRow.created_at < row.created_at)
            )
            resolved_at = session.scalar(
                select(func.min(StatusChangeRow.changed_at)).where(
                    StatusChangeRow.ticket_id == row.id,
                    StatusChangeRow.to_status == TicketStatus.RESOLVED.value,
                    StatusChangeRow.changed_at >= row.created_at,
                )
            )
            next_message_at = session.scalar(
                select(func.min(MessageRow.created_at)).where(
                    MessageRow.ticket_id == row.id, MessageRow.id > row.message_id
                )
            )
            resolving = resolved_at is not None and resolved_at <= min(
                row.created_at + SAME_CLICK, next_message_at or resolved_at
            )
            cases.append(
                Case(
                    ticket_id=row.id,
                    customer_id=row.customer_id,
                    moment=row.created_at,
                    first_reply_message_id=row.message_id,
                    sent=sent,
                    agent_name=message.author.name if message.author is not None else "",
                    escalated_first=bool(escalated),
                    resolving=resolving,
                    linked=frozenset(_URL.findall(sent)),
                )
            )
    return cases


def _rewind(engine: Engine, case: Case) -> None:
    """The copy as it stood just before the first reply (the caller replays newest first)."""
    with session_scope(engine) as session:
        session.execute(
            delete(TicketRow).where(TicketRow.customer_id == case.customer_id, TicketRow.created_at > case.moment)
        )
        session.execute(
            delete(MessageRow).where(
                MessageRow.ticket_id == case.ticket_id, MessageRow.id >= case.first_reply_message_id
            )
        )
        session.execute(
            delete(EscalationRow).where(
                EscalationRow.ticket_id == case.ticket_id, EscalationRow.created_at >= case.moment
            )
        )
        session.execute(
            update(TicketRow)
            .where(TicketRow.id == case.ticket_id)
            .values(status="processing", first_response_at=None, resolved_at=None)
        )


@contextmanager
def _copy(source: Engine, *, embedder: Any = None) -> Iterator[Assistant]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = scratch_settings(Path(tmp))
        target = build_engine(settings)
        try:
            copy_workspace(source, target)
            assistant = build_assistant(settings, engine=target, embedder=embedder)
            assistant.knowledge_base.reindex(actor=OPERATOR)
            yield assistant
        finally:
            target.dispose()


def replay_tickets(
    source: Engine, *, since: date | None = None, limit: int | None = None, embedder: Any = None
) -> list[Replayed]:
    """Each resolved ticket (created on or after `since`; the newest `limit`) replayed at its first reply."""
    with _copy(source, embedder=embedder) as assistant:
        cases = _cases(assistant.engine, since)[:limit]
        if not cases:
            raise ValidationError("No resolved ticket with a reply to replay (check --since).")
        articles = {a.url: a.id for a in assistant.knowledge_base.list_articles() if a.url}
        replayed = []
        for case in cases:  # newest first: a rewind only removes what was replayed already
            _rewind(assistant.engine, case)
            draft = compute_assistance(assistant, ticket_id=case.ticket_id).draft
            offered = as_sent(draft.text, agent_name=case.agent_name, resolve=case.resolving) if draft.text else ""
            vectors = assistant.embedder.encode([offered or " ", case.sent])
            distance = Levenshtein.distance(offered, case.sent)
            linked = frozenset(articles[u] for u in (u.rstrip(".,;") for u in case.linked) if u in articles)
            replayed.append(
                Replayed(
                    case, draft, float(np.dot(vectors[0], vectors[1])), edit_ratio(offered, case.sent, distance), linked
                )
            )
    return replayed


def replay(
    source: Engine, *, since: date | None = None, limit: int | None = None, embedder: Any = None
) -> dict[str, Any]:
    """The replay's figures, one JSON-able dict (`eval replay`)."""
    replayed = replay_tickets(source, since=since, limit=limit, embedder=embedder)
    return {"n": len(replayed), "since": since.isoformat() if since else None, **score(replayed)}


def score(replayed: list[Replayed]) -> dict[str, Any]:
    cited = [bool(r.linked_articles & set(r.draft.sources)) for r in replayed if r.linked_articles]
    answered = [r for r in replayed if not r.draft.action.abstains and r.draft.text]
    held_back = [r.draft.action.abstains for r in replayed]
    wanted = [asked_or_escalated(r.case) for r in replayed]
    both = sum(h and w for h, w in zip(held_back, wanted, strict=True))
    light = [r.ratio <= LIGHT_EDIT for r in answered]
    confidence = [r.draft.confidence for r in answered]
    ranked = binary_scores(light, confidence)
    return {
        "similarity_mean": round(float(np.mean([r.similarity for r in answered])), 4) if answered else None,
        "would_send_lightly_edited": round(sum(light) / len(light), 4) if light else None,
        "cited_an_article_the_agent_linked": round(sum(cited) / len(cited), 4) if cited else None,
        "n_linked": len(cited),
        "abstained": sum(held_back),
        "agent_asked_or_escalated": sum(wanted),
        "abstain_precision": round(both / sum(held_back), 4) if sum(held_back) else None,
        "abstain_recall": round(both / sum(wanted), 4) if sum(wanted) else None,
        "confidence_auroc_vs_light_edit": ranked["auroc"],
        "confidence_ece_vs_light_edit": round(expected_calibration_error(confidence, light), 4) if light else None,
        "notes": list(NOTES),
    }
