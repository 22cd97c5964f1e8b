"""The agent's actions on a ticket: open it, send (exactly once per ticket version), note, reopen,
regenerate the draft, preview and make an escalation.

Every change goes through `assist.store.versioned.edit_ticket`, the one optimistic-version guard.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rapidfuzz.distance import Levenshtein
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from assist.config import Settings
from assist.csat import survey_token, survey_url, with_survey_link
from assist.delivery import new_message_id, way_out
from assist.domain import (
    AGENT_NOTE,
    Assistance,
    AuthorRole,
    Channel,
    ConfidenceBand,
    Delivery,
    DraftAction,
    Escalation,
    EscalationPriority,
    HandoffPackage,
    OpenTicket,
    Queue,
    ReplyState,
    Role,
    SentReply,
    TicketDetail,
    TicketStatus,
    User,
)
from assist.drafting.offline import as_sent
from assist.edits import edit_ratio
from assist.errors import DuplicateReplyError, InvalidTransitionError, NoAlternativeError, NotFoundError
from assist.escalation import without_draft
from assist.handoff import build_handoff
from assist.history import needs_reply
from assist.pipeline import Assistant, compute_assistance
from assist.similar import SimilarIndex, index_after_send
from assist.store import audit, drafts_shown, experiments, outbox, replies, unsent
from assist.store.actors import check_session, require
from assist.store.db import session_scope
from assist.store.escalations import record_escalation
from assist.store.runs import current_assistance, stored_run
from assist.store.status import transition
from assist.store.tickets import add_message, clean_body, ticket_detail
from assist.store.versioned import edit_ticket
from assist.text import is_blank
from assist.times import utcnow

DUPLICATE_WINDOW = timedelta(minutes=10)  # the same words again this soon are a double send, not a reply


def _nobody() -> None:
    """No courier in this process: the reply waits in the outbox for one (the app's, or a worker's)."""


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _refuse_duplicate(session: Session, ticket_id: int, body: str) -> None:
    # The agent's words as typed: the thread's copy of a resolving reply carries the survey link.
    last = replies.last_agent_reply(session, ticket_id=ticket_id)
    if last is not None and _same_words(last.words, body) and utcnow() - last.at < DUPLICATE_WINDOW:
        minutes = max(1, int((utcnow() - last.at).total_seconds() // 60))
        raise DuplicateReplyError(
            f"This exact reply was already sent to the customer {minutes} min ago, so it was not sent again. "
            "Change the text if you meant to write something new."
        )


def send_reply(
    engine: Engine,
    *,
    ticket_id: int,
    expected_version: int,
    text: str,
    draft_id: int | None,
    actor: User,
    resolve: bool,
    settings: Settings,
    announce: Callable[[], None] = _nobody,
    similar: SimilarIndex | None = None,
) -> SentReply:
    """Store the reply with the draft it started from, move the ticket on and queue it for delivery;
    `announce` wakes the process's `delivery.Courier`, which delivers it (never inside this call, so a
    slow or hung mail server never holds up the agent). The reply joins the `similar` tickets index once it
    is stored; a failure there is logged, never the send's.

    Raises:
        ValidationError: empty or too long.
        DuplicateReplyError: the same text was sent on this ticket within the last few minutes.
        ConcurrencyError: the ticket changed since `expected_version` (someone else replied first).
        InvalidTransitionError: the ticket is resolved; reopen it first.
    """
    require(actor, Role.AGENT, Role.LEAD, action="reply to customers")
    body = clean_body(as_sent(text, agent_name="", resolve=resolve), max_chars=settings.max_message_chars)
    with edit_ticket(engine, ticket_id=ticket_id, expected_version=expected_version, actor=actor) as (
        session,
        ticket,
    ):
        status = TicketStatus(ticket.status)
        if status is TicketStatus.RESOLVED:
            raise InvalidTransitionError(f"Ticket #{ticket_id} is resolved. Reopen it before replying.")
        _refuse_duplicate(session, ticket_id, body)
        survey = None
        if resolve:  # the customer gets a CSAT link with the reply that resolves their ticket
            survey = survey_url(survey_token(session, ticket_id=ticket_id, settings=settings), settings)
        # The thread keeps exactly what the customer gets, link included (the agent's words were checked
        # against the limit above; the link is ours).
        sent = with_survey_link(body, survey) if survey else body
        message = add_message(
            session,
            ticket=ticket,
            role=AuthorRole.AGENT,
            body=sent,
            actor=actor.email,
            max_chars=max(settings.max_message_chars, len(sent)),
            external_id=new_message_id(settings.smtp_from),  # the reply's Message-ID: random, kept for threading
            author_id=actor.id,
        )
        if experiments.held_out(ticket):  # its agent was shown no draft: the reply is theirs alone
            draft_id = None
        stored = replies.draft_text(session, draft_id=draft_id, ticket_id=ticket_id) if draft_id is not None else None
        # The draft as this agent was offered it (signed by them; no "does this solve it" on a resolving send).
        offered = as_sent(stored, agent_name=actor.name, resolve=resolve) if stored is not None else None
        distance = Levenshtein.distance(offered, body) if offered is not None else None
        replies.record_reply(
            session,
            ticket_id=ticket_id,
            message_id=message.id,
            draft_id=draft_id if stored is not None else None,
            draft_text=offered,
            sent_text=body,
            edit_distance=distance,
            edit_ratio=edit_ratio(offered, body, distance) if offered is not None and distance is not None else None,
            sent_by_id=actor.id,
        )
        target = TicketStatus.RESOLVED if resolve else TicketStatus.AWAITING_CUSTOMER
        if status is not target:
            transition(session, ticket=ticket, to=target, actor=actor.email, reason="reply sent")
        if ticket.assignee_id is None:
            ticket.assignee_id = actor.id
        outbox_id = outbox.queue_reply(
            session,
            ticket_id=ticket_id,
            message_id=message.id,
            channel=way_out(settings, Channel(ticket.channel)),
            recipient=ticket.customer.email,
            subject=ticket.subject,
            body=message.body,
            in_reply_to=replies.answered_message_id(session, ticket_id=ticket_id),
        )
        unsent.drop(session, ticket_id=ticket_id, user_id=actor.id)  # sent: nothing of it is left to keep
        audit.record(
            session,
            actor=actor.email,
            action="reply.send",
            entity_type="ticket",
            entity_id=ticket_id,
            detail={"message_id": message.id, "draft_id": draft_id, "edit_distance": distance, "resolved": resolve},
        )
        session.flush()
        message_id, version = message.id, ticket.version
    announce()
    index_after_send(engine, similar, ticket_id=ticket_id)
    with session_scope(engine) as session:
        delivery = outbox.status(session, outbox_id=outbox_id)  # the courier may have delivered it already
    return SentReply(
        ticket_id=ticket_id,
        message_id=message_id,
        ticket_version=version,
        status=target,
        edit_distance=distance,
        sent_as_drafted=distance == 0,
        delivery_status=delivery,
        survey_url=survey,
    )


def add_note(
    engine: Engine, *, ticket_id: int, expected_version: int, text: str, actor: User, settings: Settings
) -> int:
    """An internal note: visible to the team, never sent to the customer. Returns the ticket's new version."""
    require(actor, Role.AGENT, Role.LEAD, action="add notes")
    body = clean_body(text, max_chars=settings.max_message_chars)
    with edit_ticket(engine, ticket_id=ticket_id, expected_version=expected_version, actor=actor) as (
        session,
        ticket,
    ):
        add_message(session, ticket=ticket, role=AuthorRole.NOTE, body=body, actor=actor.email, author_id=actor.id)
        session.flush()
        return ticket.version


def reopen(engine: Engine, *, ticket_id: int, expected_version: int, actor: User) -> int:
    """Reopen a resolved ticket so the team can reply again. Returns the ticket's new version.

    Raises:
        InvalidTransitionError: the ticket is not resolved.
    """
    require(actor, Role.AGENT, Role.LEAD, action="reopen tickets")
    with edit_ticket(engine, ticket_id=ticket_id, expected_version=expected_version, actor=actor) as (
        session,
        ticket,
    ):
        transition(session, ticket=ticket, to=TicketStatus.REOPENED, actor=actor.email, reason="reopened by the team")
        session.flush()
        return ticket.version


def deliveries(engine: Engine, *, ticket_id: int) -> dict[int, Delivery]:
    """Delivery state of every sent reply of the ticket, by message id."""
    with session_scope(engine) as session:
        return outbox.deliveries(session, ticket_id=ticket_id)


def reply_state(ticket: TicketDetail) -> ReplyState:
    if ticket.status is TicketStatus.RESOLVED:
        return ReplyState.CLOSED
    return ReplyState.DRAFT if needs_reply(ticket) else ReplyState.ANSWERED


def _for_viewer(ticket: TicketDetail, assistance: Assistance, viewer: User | None) -> tuple[Assistance, bool]:
    """The draft signed by the viewer. A lead who owns an escalated ticket is the escalation: suggesting to
    escalate it again is noise."""
    owns = viewer is not None and ticket.assignee_id == viewer.id
    if viewer is not None and not assistance.draft.action.abstains:
        draft = assistance.draft
        assistance = assistance.model_copy(
            update={
                "draft": draft.model_copy(update={"text": as_sent(draft.text, agent_name=viewer.name, resolve=False)})
            }
        )
    if owns and viewer is not None and viewer.role is not Role.AGENT and ticket.status is TicketStatus.ESCALATED:
        note = Escalation(
            suggest=False,
            reasons=(),
            priority=assistance.escalation.priority,
            queue=Queue.AUTO,
            suggested_action="You own this escalation: reply to the customer, or return it to tier 1 from the queue.",
        )
        assistance = assistance.model_copy(update={"escalation": note})
    return assistance, owns


def withheld(assistance: Assistance) -> Assistance:
    """What a held-out ticket's agent (and a lead taking it over) sees (`TicketDetail.held_out`): no draft, no
    articles, and an escalation suggestion that reads neither. The run keeps them, for the comparison."""
    draft = assistance.draft.model_copy(
        update={
            "text": "",
            "confidence": 0.0,
            "raw_confidence": None,
            "action": DraftAction.ANSWER,  # an ESCALATE action would open the escalation form by itself
            "band": ConfidenceBand.NO_ANSWER,
            "sources": (),
            "quoted": (),
            "clarifying": "",
            "notes": (),
        }
    )
    escalation = without_draft(assistance.escalation)
    return assistance.model_copy(update={"draft": draft, "hits": (), "escalation": escalation})


def offers_draft(ticket: TicketDetail, assistance: Assistance) -> bool:
    """The reply box opens with the draft's text: a customer message waits for an answer, the ticket is not held
    out and the draft has words to send (an answer, a holding or a closing reply; not an abstention)."""
    draft = assistance.draft
    waiting = reply_state(ticket) is ReplyState.DRAFT
    return waiting and not ticket.held_out and not draft.action.abstains and bool(draft.text.strip())


def _note_offered(session: Session, ticket: TicketDetail, assistance: Assistance, viewer: User | None) -> None:
    """The draft funnel starts here: a draft counts as shown when a team member opens the ticket with it in the
    reply box (`offers_draft`)."""
    if viewer is not None and offers_draft(ticket, assistance):
        drafts_shown.note_shown(
            session, draft_id=assistance.draft_id, ticket_id=ticket.id, user_id=viewer.id, at=utcnow()
        )


def open_ticket(assistant: Assistant, *, ticket_id: int, viewer: User | None = None) -> OpenTicket:
    """The ticket, its assistance for the current version and delivery states, in one database trip when
    the assistance was precomputed for this version and knowledge base (else it is computed now, from the
    ticket already loaded).
    Held-out tickets come without their draft and articles (`withheld`)."""
    with session_scope(assistant.engine) as session:
        ticket = ticket_detail(session, ticket_id=ticket_id)
        assistance = current_assistance(session, ticket_id=ticket_id)
        sent = outbox.deliveries(session, ticket_id=ticket_id)
        if assistance is not None:
            _note_offered(session, ticket, assistance, viewer)
    fresh = assistance is None
    if assistance is None:
        assistance = compute_assistance(assistant, ticket_id=ticket_id, ticket=ticket)
        with session_scope(assistant.engine) as session:
            _note_offered(session, ticket, assistance, viewer)
    assistance, owns = _for_viewer(ticket, assistance, viewer)
    if ticket.held_out:
        assistance = withheld(assistance)
    return OpenTicket(
        ticket=ticket,
        assistance=assistance,
        deliveries=sent,
        fresh=fresh,
        reply=reply_state(ticket),
        owned_by_viewer=owns,
        offers_draft=offers_draft(ticket, assistance),
    )


def regenerate(assistant: Assistant, *, ticket_id: int, alternative: int, actor: User) -> Assistance:
    """A different candidate draft: grounded on the `alternative`-th best article (1 = the runner-up).

    The stored run is derived data (what a worker would compute), not the agent's change, so the session is
    checked before the models run rather than in the run's transaction.

    Raises:
        SessionEndedError: the agent's account changed since the page read it.
        NoAlternativeError: there is no such candidate (or the ticket is held out); keep the current draft.
    """
    require(actor, Role.AGENT, Role.LEAD, action="regenerate drafts")
    check_session(assistant.engine, actor=actor)
    with session_scope(assistant.engine) as session:
        if experiments.held_out_ticket(session, ticket_id):
            raise NoAlternativeError(f"Ticket #{ticket_id} is in the holdout of an experiment: it gets no drafts.")
    return compute_assistance(assistant, ticket_id=ticket_id, alternative=alternative)


def _run(engine: Engine, run_id: int) -> Assistance:
    assistance = stored_run(engine, run_id=run_id)
    if assistance is None:
        raise NotFoundError(f"The assistance run #{run_id} is gone. Reload the ticket.")
    return assistance


def handoff_preview(engine: Engine, *, run_id: int, note: str = "") -> HandoffPackage:
    """The package a lead would receive, from the stored assistance run; changes nothing, runs no model."""
    assistance = _run(engine, run_id)
    with session_scope(engine) as session:
        ticket = ticket_detail(session, ticket_id=assistance.ticket_id)
    return _package(ticket, assistance, note)


def _package(ticket: TicketDetail, assistance: Assistance, note: str) -> HandoffPackage:
    if ticket.held_out:  # the lead who takes it over works without assistance too
        assistance = withheld(assistance)
    escalation = assistance.escalation
    if not escalation.suggest:  # the agent escalates although the policy did not suggest it
        escalation = Escalation(
            suggest=True,
            reasons=("Escalated by the agent",),
            priority=EscalationPriority.MEDIUM,
            queue=Queue.TIER2,
            suggested_action="Read the agent's note and take over.",
        )
    if not is_blank(note):
        escalation = escalation.model_copy(update={"reasons": (*escalation.reasons, f"{AGENT_NOTE}: {note.strip()}")})
    return build_handoff(
        ticket=ticket,
        sentiment_trend=assistance.sentiment_trend,
        escalation=escalation,
        draft=None if ticket.held_out else assistance.draft,
        articles=assistance.hits,
    )


def escalate(engine: Engine, *, run_id: int, expected_version: int, actor: User, note: str = "") -> int:
    """Store the handoff package, move the ticket to escalated and into the lead queue. Returns its id."""
    require(actor, Role.AGENT, Role.LEAD, action="escalate tickets")
    assistance = _run(engine, run_id)
    with edit_ticket(engine, ticket_id=assistance.ticket_id, expected_version=expected_version, actor=actor) as (
        session,
        ticket,
    ):
        package = _package(ticket_detail(session, ticket_id=ticket.id), assistance, note)
        row = record_escalation(session, ticket=ticket, package=package, actor_id=actor.id, actor_email=actor.email)
        return row.id
