"""The open ticket: conversation, assessment panels, the reply box and its actions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

import streamlit as st

from assist.config import Settings
from assist.domain import (
    AuthorRole,
    DraftAction,
    Escalation,
    Hit,
    OpenTicket,
    Queue,
    ReplyState,
    Sentiment,
    SentReply,
    Triage,
)
from assist.drafting import insert_link
from assist.drafting.offline import clarifying_reply
from assist.errors import AssistError
from assist.kb import KnowledgeBase
from assist.pipeline import Assistant, abstain_below
from assist.ticket_actions import add_note, escalate, handoff_preview, regenerate, reopen, send_reply
from ui import resources, state
from ui.format import STATUS_LABELS, ago, escape_markdown, kb_text, priority_label, trend_text
from ui.guard import show_error
from ui.inbox_view import AVATARS, customer_panel

T = TypeVar("T")

DELIVERY_LABELS = {
    "sent": "✓ delivered",
    "recorded": "✓ recorded in outbox",
    "pending": "⏳ queued",
    "retrying": "⏳ retrying",
    "failed": "⚠ delivery failed",
}
LEVEL_ICONS = {"positive": "🙂", "neutral": "😐", "frustrated": "😕", "angry": "😠", "urgent": "⏰"}


def confidence_badge(confidence: float, threshold: float) -> str:
    """Bands of the confidence, the estimated chance the draft goes out with at most light edits."""
    if confidence >= 0.75:
        return f":green-badge[:material/verified: Likely sent as is · {confidence:.0%}]"
    if confidence >= threshold:
        return f":orange-badge[:material/edit_note: Check before sending · {confidence:.0%}]"
    return f":red-badge[:material/help: No answer drafted · {confidence:.0%}]"


def conversation(ws: OpenTicket) -> None:
    st.markdown("#### Conversation")
    for message in ws.ticket.messages:
        with st.chat_message(message.author_role.value, avatar=AVATARS[message.author_role]):
            kind = "internal note" if message.author_role is AuthorRole.NOTE else message.author_role.value
            delivery = ws.deliveries.get(message.id)
            status = f" · {DELIVERY_LABELS.get(delivery.status, delivery.status)}" if delivery else ""
            st.caption(f"{escape_markdown(message.author_name)} · {kind} · {ago(message.created_at)}{status}")
            st.markdown(escape_markdown(message.body))
            if delivery and delivery.status in ("failed", "retrying"):
                st.caption(f"Attempt {delivery.attempts}: {escape_markdown(delivery.last_error)}")


def triage_and_sentiment(triage: Triage, sentiment: Sentiment, priority: int) -> None:
    intent = f" · intent {escape_markdown(triage.intent)}" if triage.intent else ""
    st.markdown(
        f"**Category** {triage.category.value} ({triage.category_confidence:.0%}, {triage.method.value}){intent}  \n"
        f"**Priority** {priority_label(priority)}  \n"
        f"**Sentiment** {LEVEL_ICONS[sentiment.level.value]} {sentiment.level.value} · score {sentiment.score:+.2f}"
    )
    st.progress(sentiment.frustration, text=f"Frustration {sentiment.frustration:.0%}")
    if sentiment.signals:
        st.caption(
            "Signals: "
            + "; ".join(
                f"{s.value.replace('_', ' ')} ({escape_markdown(sentiment.evidence.get(s.value, ''))})"
                for s in sentiment.signals
            )
        )


def escalation_panel(escalation: Escalation, *, owned: bool = False) -> None:
    if owned and not escalation.suggest and escalation.queue is Queue.AUTO:
        st.info(escape_markdown(escalation.suggested_action), icon=":material/person:")
        return
    if not escalation.suggest:
        st.success("No escalation needed: " + escalation.suggested_action, icon="✅")
        return
    st.warning(
        f"**Suggest escalating** to {escalation.queue.value} · priority {escalation.priority.value}  \n"
        + "  \n".join(f"• {r}" for r in escalation.reasons)
        + f"  \n**Suggested action:** {escalation.suggested_action}",
        icon="🚨",
    )


def articles(hits: tuple[Hit, ...], kb: KnowledgeBase) -> None:
    st.markdown(f"#### Knowledge base ({len(hits)})")
    if not hits:
        st.info("No article matches this ticket. Consider writing one (admins: Knowledge base page).")
    for n, hit in enumerate(hits, start=1):
        with st.expander(f"[{n}] {escape_markdown(hit.title)} — {hit.score:.2f}", expanded=n == 1):
            st.caption(escape_markdown(f"{hit.article_id} · {hit.category} · updated {hit.updated}"))
            for passage in hit.passages[:1]:
                st.markdown(kb_text(passage.text))
            if st.toggle("Full article", key=f"full_{hit.article_id}"):
                try:
                    st.markdown(kb_text(kb.get_article(hit.article_id).body))  # uploaded text: shown literally
                except AssistError as e:
                    show_error(e)


def _insert_article(key: str, hits: tuple[Hit, ...]) -> None:
    chosen = st.session_state.get(f"{key}_article")
    hit = next((h for h in hits if h.article_id == chosen), None)
    if hit is None:
        return
    if not hit.url:
        state.flash(
            f'"{hit.title}" has no public address. Add `url:` to its front matter or set HELP_CENTER_URL.', kind="info"
        )
        return
    text, changed = insert_link(st.session_state.get(key, ""), title=hit.title, url=hit.url)
    if changed:
        st.session_state[key] = text
    else:
        state.flash(f'The link to "{hit.title}" is already in the reply.', kind="info")


def seen_version(ws: OpenTicket) -> int:
    """The ticket version this agent is looking at. Reruns re-read the ticket, so without this an
    agent's click could silently act on changes they never saw."""
    seen = int(st.session_state.setdefault(f"seen_version_{ws.ticket.id}", ws.ticket.version))
    if seen != ws.ticket.version:
        left, right = st.columns([4, 1])
        left.warning(
            "This ticket changed since you opened it (a new message, or another agent acted). "
            "Reload to see the latest version; your text is kept.",
            icon=":material/sync_problem:",
        )
        right.button("Reload", key=f"reload_{ws.ticket.id}", on_click=_reload, args=(ws,))
    return seen


def _editor_key(ticket_id: int) -> str:
    seen = st.session_state.get(f"seen_version_{ticket_id}")
    return f"draft_{ticket_id}_{seen}"


def _reload(ws: OpenTicket) -> None:
    old = _editor_key(ws.ticket.id)
    st.session_state[f"seen_version_{ws.ticket.id}"] = ws.ticket.version
    if old in st.session_state:
        st.session_state[_editor_key(ws.ticket.id)] = st.session_state[old]


def _acted(ticket_id: int) -> None:
    """After the agent's own change: the next render looks at the new version (and starts a new editor)."""
    st.session_state.pop(f"seen_version_{ticket_id}", None)
    st.session_state.pop(f"alternative_{ticket_id}", None)


def _regenerate(ws: OpenTicket, assistant: Assistant, key: str) -> None:
    """Callback: the next-best grounded candidate replaces the editor's text (the caller confirmed edits)."""
    counter = f"alternative_{ws.ticket.id}"
    alternative = int(st.session_state.get(counter, 0)) + 1
    st.session_state.pop(f"{key}_confirm_regenerate", None)
    try:
        fresh = regenerate(assistant, ticket_id=ws.ticket.id, alternative=alternative)
    except AssistError as e:
        state.flash(str(e), kind="info")
        return
    st.session_state[counter] = alternative
    st.session_state[key] = fresh.draft.text


def _on_regenerate(ws: OpenTicket, assistant: Assistant, key: str) -> None:
    """Decided when clicked (the text may have changed in the same interaction): edits need a confirmation."""
    if st.session_state.get(key, "") != ws.assistance.draft.text:
        st.session_state[f"{key}_confirm_regenerate"] = True
    else:
        _regenerate(ws, assistant, key)


def _act(ticket_id: int, action: Callable[[], T], done: Callable[[T], str]) -> None:
    """One change to the ticket: its error is shown in place, or the page moves on to the new version
    (a fresh editor) with `done(result)` as the message."""
    try:
        result = action()
    except AssistError as e:
        show_error(e)
        return
    _acted(ticket_id)
    state.flash(done(result))
    st.rerun()


def _sent_message(sent: SentReply) -> str:
    how = (
        "as drafted" if sent.sent_as_drafted else "with your edits" if sent.edit_distance is not None else "as written"
    )
    return (
        f"Reply sent {how}; the ticket is now {STATUS_LABELS[sent.status]} · delivery: "
        f"{DELIVERY_LABELS.get(sent.delivery_status, sent.delivery_status)}"
    )


def _closed(ws: OpenTicket, assistant: Assistant, seen: int) -> None:
    st.info("This ticket is resolved, so it is read-only. Reopen it to reply.", icon=":material/lock:")
    if st.button("Reopen", key=f"reopen_{ws.ticket.id}", icon=":material/lock_open:"):
        _act(
            ws.ticket.id,
            lambda: reopen(assistant.engine, ticket_id=ws.ticket.id, expected_version=seen, actor=state.current_user()),
            lambda _: f"Ticket #{ws.ticket.id} reopened.",
        )


def draft_editor(ws: OpenTicket, assistant: Assistant, settings: Settings, seen: int) -> None:
    """The reply box: the draft when a customer message waits for an answer, empty after the team replied,
    read-only when resolved. Send, Send & resolve, Regenerate, Insert article link."""
    st.markdown("#### Reply")
    if ws.reply is ReplyState.CLOSED:
        _closed(ws, assistant, seen)
        return
    draft = ws.assistance.draft
    key = _editor_key(ws.ticket.id)
    offer = ws.reply is ReplyState.DRAFT
    abstained = draft.action in (DraftAction.CLARIFY, DraftAction.ESCALATE)
    if offer:
        st.markdown(
            confidence_badge(draft.confidence, abstain_below(assistant))
            + f" · {draft.mode.value} draft ({escape_markdown(draft.model)})"
            + (" · sources: " + ", ".join(escape_markdown(s) for s in draft.sources) if draft.sources else "")
        )
        if draft.action is DraftAction.HOLD:
            st.info(
                "Escalation suggested: this draft acknowledges the customer, says who follows up and when, "
                "and promises nothing else.",
                icon=":material/front_hand:",
            )
        for note in draft.notes:
            (st.warning if abstained else st.info)(escape_markdown(note), icon=":material/info:")
        if abstained:
            st.button(
                "Ask a clarifying question",
                key=f"{key}_clarify",
                icon=":material/contact_support:",
                on_click=_fill,
                args=(key, clarifying_reply(ws.ticket.customer.name)),
                help="Puts a question asking for the details into the reply box; or escalate below.",
            )
    else:
        st.caption("You replied last. A new draft appears when the customer writes again; you can still write here.")
    st.session_state.setdefault(key, draft.text if offer and not abstained else "")
    text = st.text_area("Reply to the customer", key=key, height=320, max_chars=settings.max_message_chars)
    if ws.assistance.hits:
        left, right = st.columns([3, 1])
        left.selectbox(
            "Article to link",
            [h.article_id for h in ws.assistance.hits],
            key=f"{key}_article",
            format_func=lambda a: next(h.title for h in ws.assistance.hits if h.article_id == a),
        )
        right.button("Insert link", key=f"{key}_insert", on_click=_insert_article, args=(key, ws.assistance.hits))
    send, resolve, regenerate_column = st.columns(3)
    actor = state.current_user()
    for column, label, resolving, primary in ((send, "Send", False, True), (resolve, "Send & resolve", True, False)):
        if column.button(label, key=f"{key}_{label}", type="primary" if primary else "secondary"):
            _act(
                ws.ticket.id,
                partial(
                    send_reply,
                    assistant.engine,
                    ticket_id=ws.ticket.id,
                    expected_version=seen,
                    text=text,
                    draft_id=ws.assistance.draft_id if offer else None,
                    actor=actor,
                    resolve=resolving,
                    settings=settings,
                ),
                _sent_message,
            )
    if not offer:
        return
    if st.session_state.get(f"{key}_confirm_regenerate"):
        regenerate_column.warning("Regenerating replaces your edits.", icon=":material/warning:")
        regenerate_column.button(
            "Discard my edits and regenerate",
            key=f"{key}_regenerate_confirmed",
            on_click=_regenerate,
            args=(ws, assistant, key),
        )
        regenerate_column.button(
            "Keep editing",
            key=f"{key}_regenerate_cancel",
            on_click=st.session_state.pop,
            args=(f"{key}_confirm_regenerate", None),
        )
    else:
        regenerate_column.button(
            "Regenerate",
            key=f"{key}_regenerate",
            help="A different candidate, grounded on the next-best article",
            on_click=_on_regenerate,
            args=(ws, assistant, key),
        )


def _fill(key: str, text: str) -> None:
    st.session_state[key] = text


def escalate_form(ws: OpenTicket, assistant: Assistant, seen: int) -> None:
    if ws.reply is ReplyState.CLOSED or (ws.owned_by_viewer and ws.ticket.status.value == "escalated"):
        return
    expanded = ws.assistance.escalation.suggest or ws.assistance.draft.action is DraftAction.ESCALATE
    with st.expander("Escalate to a lead", expanded=expanded, icon=":material/priority_high:"):
        note = st.text_area("Note for the lead", key=f"escalate_note_{ws.ticket.id}", max_chars=2000)
        if st.toggle("Preview the handoff package", key=f"escalate_preview_{ws.ticket.id}"):
            package = handoff_preview(assistant.engine, run_id=ws.assistance.run_id, note=note)
            st.markdown(
                f"**To {package.queue.value}, priority {package.priority.value}**  \n"
                + escape_markdown(package.customer_summary)
            )
            st.markdown("  \n".join(f"• {escape_markdown(r)}" for r in package.reasons))
            st.caption("Sentiment over the thread: " + trend_text(package.sentiment_trend))
            st.caption(f"Suggested action: {escape_markdown(package.suggested_action)}")
        sure = st.checkbox("I want to hand this ticket to a lead", key=f"escalate_confirm_{ws.ticket.id}")
        if st.button("Escalate", key=f"escalate_{ws.ticket.id}", disabled=not sure):
            _act(
                ws.ticket.id,
                partial(
                    escalate,
                    assistant.engine,
                    run_id=ws.assistance.run_id,
                    expected_version=seen,
                    actor=state.current_user(),
                    note=note,
                ),
                lambda _: f"Ticket #{ws.ticket.id} escalated; it is in the lead queue now.",
            )


def note_form(ws: OpenTicket, assistant: Assistant, settings: Settings, seen: int) -> None:
    with (
        st.expander("Internal note", icon=":material/sticky_note_2:"),
        st.form(f"note_form_{ws.ticket.id}", clear_on_submit=True),
    ):
        text = st.text_area("Visible to the team only", key=f"note_{ws.ticket.id}", max_chars=5000)
        if st.form_submit_button("Add note", key=f"note_submit_{ws.ticket.id}"):
            _act(
                ws.ticket.id,
                partial(
                    add_note,
                    assistant.engine,
                    ticket_id=ws.ticket.id,
                    expected_version=seen,
                    text=text,
                    actor=state.current_user(),
                    settings=settings,
                ),
                lambda _: "Note added.",
            )


def show(ws: OpenTicket, assistant: Assistant, settings: Settings) -> None:
    ticket = ws.ticket
    st.subheader(f"#{ticket.id} · {escape_markdown(ticket.subject)}")
    st.caption(
        f"{STATUS_LABELS[ticket.status]} · {escape_markdown(ticket.assignee_name or 'unassigned')} · "
        f"via {ticket.channel.value} · opened {ago(ticket.created_at)}"
        + (f" · ref {escape_markdown(ticket.external_id)}" if ticket.external_id else "")
        + (" · assistance computed now" if ws.fresh else " · assistance precomputed")
    )
    seen = seen_version(ws)
    main, side = st.columns([3, 2])
    with main:
        conversation(ws)
        draft_editor(ws, assistant, settings, seen)
        escalate_form(ws, assistant, seen)
        note_form(ws, assistant, settings, seen)
    with side:
        triage_and_sentiment(ws.assistance.triage, ws.assistance.sentiment, ws.assistance.priority)
        escalation_panel(ws.assistance.escalation, owned=ws.owned_by_viewer)
        customer_panel(ticket.customer, category=ticket.category)
        articles(ws.assistance.hits, assistant.knowledge_base)


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
