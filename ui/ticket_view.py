"""The open ticket, one panel that reruns on its own (`st.fragment`): header with owner and presence,
the conversation above the reply box, escalation and notes; the assessment in a right-hand column."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from assist import (
    PRESENCE_BEAT,
    Assistant,
    AssistError,
    AuthorRole,
    DraftAction,
    OpenTicket,
    OwnershipError,
    ReplyState,
    Settings,
    TicketStatus,
    User,
    add_note,
    claim,
    escalate,
    handoff_preview,
    here,
    list_macros,
    open_ticket,
)
from ui import resources, state
from ui.actions import act, acted, seen_version
from ui.assessment_view import articles, escalation_panel, triage_and_sentiment
from ui.format import (
    DELIVERY_ICONS,
    DELIVERY_LABELS,
    STATUS_LABELS,
    ago,
    escape_markdown,
    trend_text,
)
from ui.guard import show_error
from ui.inbox_view import AVATARS, customer_panel
from ui.reply_view import draft_editor
from ui.similar_view import similar_panel

CONVERSATION_HEIGHT = 220  # px: the newest message, a two-sentence quote caption and the reply box fit 900 px


@st.fragment
def workspace(ticket_id: int, assistant: Assistant, settings: Settings, viewer: User) -> None:
    """Everything about one ticket. Its buttons rerun this panel only; the models never run here while the
    stored assistance answers what the customer last wrote (`open_ticket`)."""
    state.restart_if_signed_out()
    try:
        ws = open_ticket(assistant, ticket_id=ticket_id, viewer=viewer)
    except AssistError as e:
        show_error(e)
        return
    state.show_flash()
    ticket = ws.ticket
    title, owner = st.columns([5, 2], vertical_alignment="center")
    title.markdown(f"##### #{ticket.id} · {escape_markdown(ticket.subject)}")
    seen = seen_version(ws)
    _claim(owner, ws, assistant, viewer, seen)
    st.caption(
        f"{STATUS_LABELS[ticket.status]} · {escape_markdown(ticket.assignee_name or 'unassigned')} · "
        f"via {ticket.channel.value} · opened {ago(ticket.created_at)}"
        + (f" · ref {escape_markdown(ticket.external_id)}" if ticket.external_id else "")
        + (" · assistance computed now" if ws.fresh else " · assistance precomputed")
    )
    presence(ticket.id, assistant, viewer)
    main, side = st.columns([3, 2], gap="medium")
    with main:
        conversation(ws)
        draft_editor(ws, assistant, settings, seen, list_macros(assistant.engine))
        escalate_form(ws, assistant, seen, viewer)
        note_form(ws, assistant, settings, seen)
    with side:
        triage_and_sentiment(ws.assistance.triage, ws.assistance.sentiment, ws.assistance.priority)
        escalation_panel(ws.assistance.escalation, owned=ws.owned_by_viewer)
        customer_panel(ticket.customer, category=ticket.category)
        if not ticket.held_out:  # the holdout's agents work without them (`assist.experiments`)
            articles(ws.assistance.hits, assistant.knowledge_base)
            similar_panel(ws, assistant, settings)


@st.fragment(run_every=PRESENCE_BEAT.total_seconds())
def presence(ticket_id: int, assistant: Assistant, viewer: User) -> None:
    """Reports this viewer every beat and names whoever else had the ticket open in the last minute (a tab
    whose account was disabled meanwhile is signed out at its next beat)."""
    state.restart_if_signed_out()
    try:
        others = here(assistant.engine, ticket_id=ticket_id, viewer=viewer)
    except AssistError as e:
        show_error(e)
        return
    if others:
        names = " and ".join(escape_markdown(o.name) for o in others[:2]) + (" and others" if len(others) > 2 else "")
        verb = "are" if len(others) > 1 else "is"
        st.markdown(
            f":orange-badge[:material/edit: {names} {verb} replying] "
            f":gray[(had this ticket open {others[0].seconds_ago} s ago; the first to send wins, the other is told)]"
        )


def _claim(
    column: st.delta_generator.DeltaGenerator, ws: OpenTicket, assistant: Assistant, viewer: User, seen: int
) -> None:
    if ws.ticket.assignee_id == viewer.id or ws.reply is ReplyState.CLOSED:
        return
    confirm = f"claim_confirm_{ws.ticket.id}"
    label = "Take it anyway" if st.session_state.get(confirm) is not None else "Assign to me"
    column.button(
        label,
        key=f"claim_{ws.ticket.id}",
        icon=":material/person_add:",
        shortcut="A",
        on_click=_on_claim,
        args=(ws.ticket.id, assistant, viewer, seen),
        help="Own this ticket: it moves to your My tickets view (key A).",
    )


def _on_claim(ticket_id: int, assistant: Assistant, viewer: User, seen: int) -> None:
    confirm = f"claim_confirm_{ticket_id}"
    try:
        claim(
            assistant.engine,
            ticket_id=ticket_id,
            expected_version=seen,
            actor=viewer,
            confirm_owner=st.session_state.get(confirm),
        )
    except OwnershipError as e:
        st.session_state[confirm] = e.owner_id
        state.flash(str(e), kind="info")
        return
    except AssistError as e:
        state.flash_error(e)
        return
    st.session_state.pop(confirm, None)
    acted(ticket_id)
    state.flash(f"Ticket #{ticket_id} is yours; find it under My tickets.")


def conversation(ws: OpenTicket) -> None:
    """The thread in a box of fixed height that opens scrolled to the newest message (the one to answer)."""
    box = st.container(height=CONVERSATION_HEIGHT, autoscroll=True, key=f"conversation_{ws.ticket.id}")
    for message in ws.ticket.messages:
        with box.chat_message(message.author_role.value, avatar=AVATARS[message.author_role]):
            kind = "internal note" if message.author_role is AuthorRole.NOTE else message.author_role.value
            delivery = ws.deliveries.get(message.id)
            status = (
                f" · :material/{DELIVERY_ICONS.get(delivery.status, 'mail')}: "
                + DELIVERY_LABELS.get(delivery.status, escape_markdown(delivery.status))
                if delivery
                else ""
            )
            st.caption(f"{escape_markdown(message.author_name)} · {kind} · {ago(message.created_at)}{status}")
            st.markdown(escape_markdown(message.body))
            if delivery and delivery.status in ("failed", "retrying"):
                st.caption(f"Attempt {delivery.attempts}: {escape_markdown(delivery.last_error)}")


def escalate_form(ws: OpenTicket, assistant: Assistant, seen: int, viewer: User) -> None:
    """The escalation form; once the ticket is escalated, one line in its place saying where it went and who
    sent it (a second Escalate could only be refused)."""
    if ws.reply is ReplyState.CLOSED:
        return
    if ws.ticket.status is TicketStatus.ESCALATED:
        if ws.ticket.escalation is not None:
            to = ws.ticket.escalation
            by = "you" if to.by_id == viewer.id else escape_markdown(to.by_name) if to.by_name else ""
            st.caption(f":material/priority_high: Escalated to {to.queue.label}" + (f" by {by}" if by else ""))
        return
    key = f"escalate_open_{ws.ticket.id}"
    if key not in st.session_state:
        st.session_state[key] = ws.assistance.escalation.suggest or ws.assistance.draft.action is DraftAction.ESCALATE
    st.button(
        "Open escalation",
        key=f"escalate_key_{ws.ticket.id}",
        shortcut="E",
        type="tertiary",
        on_click=st.session_state.__setitem__,
        args=(key, True),
        help="Key E opens the escalation form.",
    )
    with st.expander("Escalate to a lead", key=key, on_change="rerun", icon=":material/priority_high:"):
        note_key = f"escalate_note_{ws.ticket.id}"
        note = st.text_area("Note for the lead", key=note_key, max_chars=2000)
        if st.toggle("Preview the handoff package", key=f"escalate_preview_{ws.ticket.id}"):
            package = handoff_preview(assistant.engine, run_id=ws.assistance.run_id, note=note)
            st.markdown(
                f"**To {package.queue.label}, priority {package.priority.value}**  \n"
                + escape_markdown(package.customer_summary)
            )
            st.markdown("  \n".join(f"• {escape_markdown(r)}" for r in package.reasons))
            st.caption("Sentiment over the thread: " + trend_text(package.sentiment_trend))
            if package.trajectory:
                st.caption(escape_markdown(package.trajectory))
            st.caption(f"Suggested action: {escape_markdown(package.suggested_action)}")
        sure = st.checkbox("I want to hand this ticket to a lead", key=f"escalate_confirm_{ws.ticket.id}")
        st.button(
            "Escalate",
            key=f"escalate_{ws.ticket.id}",
            disabled=not sure,
            on_click=lambda: act(
                ws.ticket.id,
                partial(
                    escalate,
                    assistant.engine,
                    run_id=ws.assistance.run_id,
                    expected_version=seen,
                    actor=state.current_user(),
                    note=st.session_state.get(note_key, ""),
                ),
                _escalated(ws.ticket.id),
            ),
        )


def _escalated(ticket_id: int) -> Callable[[object], str]:
    def done(_: object) -> str:
        # The form is gone now; should the ticket come back to tier 1, it opens empty and unticked.
        for part in ("open", "note", "preview", "confirm"):
            st.session_state.pop(f"escalate_{part}_{ticket_id}", None)
        return f"Ticket #{ticket_id} escalated; it is in the lead queue now."

    return done


def note_form(ws: OpenTicket, assistant: Assistant, settings: Settings, seen: int) -> None:
    key = f"note_{ws.ticket.id}"
    with st.expander("Internal note", icon=":material/sticky_note_2:"):
        st.text_area("Visible to the team only", key=key, max_chars=settings.max_message_chars)
        st.button(
            "Add note",
            key=f"note_submit_{ws.ticket.id}",
            on_click=lambda: act(
                ws.ticket.id,
                partial(
                    add_note,
                    assistant.engine,
                    ticket_id=ws.ticket.id,
                    expected_version=seen,
                    text=st.session_state.get(key, ""),
                    actor=state.current_user(),
                    settings=settings,
                ),
                _noted(key),
            ),
        )


def _noted(key: str) -> Callable[[object], str]:
    def done(_: object) -> str:
        st.session_state[key] = ""  # the note is in the thread now
        return "Note added."

    return done


def warming_up() -> None:
    """Shown while the models load after a restart; the page continues by itself when they are ready."""
    st.info(
        "Warming up: the models are still loading after a restart (about 20 seconds). "
        "The ticket opens by itself when they are ready.",
        icon=":material/hourglass_top:",
    )

    @st.fragment(run_every=1)
    def _poll() -> None:
        if resources.models_ready():
            st.rerun(scope="app")

    _poll()
