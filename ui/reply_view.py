"""The reply box: the draft (or an empty box when no answer was drafted), macros and article links,
Send with Ctrl/Cmd+Enter, Send & resolve, Regenerate. Every action is a callback, so it reruns only
the ticket's panel."""

from __future__ import annotations

from functools import partial

import streamlit as st

from assist import (
    Assistant,
    AssistError,
    ConfidenceBand,
    Draft,
    DraftAction,
    Hit,
    Macro,
    OpenTicket,
    ReplyState,
    SentReply,
    SessionEndedError,
    Settings,
    insert_link,
    keep_unsent_reply,
    last_reply,
    regenerate,
    reopen,
    send_reply,
    unsent_reply,
    use_macro,
)
from ui import browser, resources, state
from ui.actions import act, editor_key
from ui.format import DELIVERY_LABELS, STATUS_LABELS, escape_markdown

REPLY_HEIGHT = 190  # px


def confidence_badge(draft: Draft) -> str:
    """Bands of the confidence, the estimated chance the draft goes out with at most light edits (the confidence
    policy draws them). A draft that offers no answer shows no figure: its notes say what no article covers."""
    if draft.band is ConfidenceBand.NO_ANSWER:
        return ":red-badge[:material/help: No answer drafted]"
    if draft.band is ConfidenceBand.CLOSING:
        return ":green-badge[:material/waving_hand: Nothing asked · a closing reply]"
    if draft.band is ConfidenceBand.LIKELY_SENT:
        return f":green-badge[:material/verified: Likely sent as is · {draft.confidence:.0%}]"
    if draft.band is ConfidenceBand.CHECK_SENTENCE:  # the article fits; another of its sentences nearly as well
        what = "the quoted sentence" if draft.quoted else "the answer"  # an LLM's draft words it in its own way
        return f":orange-badge[:material/format_quote: Check {what} · {draft.confidence:.0%}]"
    return f":orange-badge[:material/edit_note: Check before sending · {draft.confidence:.0%}]"


def _who_replied_last(ws: OpenTicket) -> str:
    last = last_reply(ws.ticket)
    if last is None:
        return "The team"
    return "You" if last.author_id == state.current_user().id else escape_markdown(last.author_name)


def quoted_caption(draft: Draft, hits: tuple[Hit, ...]) -> str:
    """Which sentences of which article the draft states, so the agent checks them against the question."""
    title = next((h.title for h in hits if draft.sources and h.article_id == draft.sources[0]), draft.sources[0])
    sentences = " ".join(f"“{escape_markdown(q)}”" for q in draft.quoted)
    return f":material/format_quote: Quotes *{escape_markdown(title)}*: {sentences}"


def draft_editor(ws: OpenTicket, assistant: Assistant, settings: Settings, seen: int, macros: list[Macro]) -> None:
    """The reply box: the draft when a customer message waits for an answer, empty after the team replied,
    read-only when resolved."""
    if ws.reply is ReplyState.CLOSED:
        _closed(ws, assistant, seen)
        return
    draft = ws.assistance.draft
    key = editor_key(ws.ticket.id)
    offer = ws.reply is ReplyState.DRAFT and not ws.ticket.held_out
    abstained = draft.action.abstains
    if ws.ticket.held_out:
        st.caption(
            ":material/science: No draft and no articles on this ticket: it is in the holdout of an experiment that "
            "measures whether assistance helps. Write your reply as you would without Assist Console."
        )
    elif offer:
        st.markdown(
            confidence_badge(draft)
            + f" · {draft.mode.value} draft ({escape_markdown(draft.model)})"
            + (" · sources: " + ", ".join(escape_markdown(s) for s in draft.sources) if draft.sources else "")
        )
        if draft.quoted:
            st.caption(quoted_caption(draft, ws.assistance.hits))
        if draft.action is DraftAction.HOLD:
            st.caption(
                ":material/front_hand: Escalation suggested: this draft acknowledges the customer, says who "
                "follows up and when, and promises nothing else."
            )
        for note in draft.notes:
            (st.warning if abstained else st.info)(escape_markdown(note), icon=":material/info:")
        if abstained and draft.clarifying:
            st.button(
                "Ask a clarifying question",
                key=f"{key}_clarify",
                icon=":material/contact_support:",
                on_click=fill_reply,
                args=(key, draft.clarifying),
                help="Puts a question asking for the details into the reply box; or escalate.",
            )
    else:
        st.caption(
            f"{_who_replied_last(ws)} replied last. A new draft appears when the customer writes again; "
            "you can still write here."
        )
    # What the agent typed survives leaving the ticket and coming back (the widget's own state does not), and
    # a reload or another browser too: it is kept on the server until sent or discarded (`_keep`).
    offered = draft.text if ws.offers_draft else ""
    st.session_state[f"{key}_box"] = (ws.ticket.id, offered)
    if key not in st.session_state:
        held = st.session_state.get(f"kept_{key}")
        if held is None:
            held = _unsent(ws, assistant)
        st.session_state[key] = offered if held is None else held
    if st.session_state.pop(f"{key}_regenerate_pending", False):
        # Here, not in the button's callback: the spinner shows where the new text will appear (a callback's
        # output goes to the top of the page), and the box is filled before it is drawn.
        with st.spinner("Drafting another candidate from the next-best article…"):
            _regenerate(ws, assistant, key)
    st.text_area(
        "Reply to the customer",
        key=key,
        height=REPLY_HEIGHT,
        max_chars=settings.max_message_chars,
        on_change=_keep,
        args=(key,),
        help="Ctrl+Enter (Cmd+Enter on a Mac) sends.",
    )
    # Streamlit gets the box's text only on blur: keystrokes since are kept in this tab until it does.
    browser.keep_reply_in_tab(st.container(), user_id=state.current_user().id, ticket_id=ws.ticket.id, editor=key)
    # A row that gives each button the width of its label and wraps when the box is narrow: in fixed columns
    # the labels were cut at 1440 px ("Send & reso…").
    buttons = st.container(horizontal=True, gap="small", key=f"{key}_buttons")
    send_now = partial(_send, ws, assistant, settings, seen, key, offer)
    buttons.button(
        "Send", key=f"{key}_Send", type="primary", shortcut="Ctrl+Enter", icon=":material/send:", on_click=send_now
    )
    buttons.button(
        "Send & resolve", key=f"{key}_Send & resolve", shortcut="Ctrl+Shift+Enter", on_click=send_now, args=(True,)
    )
    if offer:
        _regenerate_button(ws, assistant, key, buttons)
    _inserts(ws, assistant, key, macros)


def _send(
    ws: OpenTicket, assistant: Assistant, settings: Settings, seen: int, key: str, offer: bool, resolving: bool = False
) -> None:
    sent = act(
        ws.ticket.id,
        partial(
            send_reply,
            assistant.engine,
            ticket_id=ws.ticket.id,
            expected_version=seen,
            text=st.session_state.get(key, ""),
            draft_id=ws.assistance.draft_id if offer else None,
            actor=state.current_user(),
            resolve=resolving,
            settings=settings,
            announce=resources.courier().notify,
            similar=assistant.similar,
        ),
        _sent_message,
    )
    if sent:  # nothing left to keep for this editor
        st.session_state.pop(f"kept_{key}", None)


def _unsent(ws: OpenTicket, assistant: Assistant) -> str | None:
    try:
        return unsent_reply(assistant.engine, ticket_id=ws.ticket.id, actor=state.current_user())
    except AssistError as e:
        state.flash_error(e)
        return None


def _keep(key: str) -> None:
    """The box's text, kept for this session and on the server (blank, or the offered draft as it was,
    discards what was kept)."""
    text = st.session_state.get(key, "")
    st.session_state[f"kept_{key}"] = text
    ticket_id, offered = st.session_state[f"{key}_box"]
    try:
        keep_unsent_reply(
            resources.engine(),
            ticket_id=ticket_id,
            text=text,
            offered=offered,
            actor=state.current_user(),
            settings=resources.settings(),
        )
    except SessionEndedError:
        # Nothing is kept; the click this blur came with (Send, say) or the next one signs out with the reason.
        return
    except AssistError as e:
        state.flash_error(e)


def fill_reply(key: str, text: str) -> None:
    """The reply box holds `text`, kept like typing (a macro, a clarifying question, a similar ticket's reply)."""
    st.session_state[key] = text
    _keep(key)


def _inserts(ws: OpenTicket, assistant: Assistant, key: str, macros: list[Macro]) -> None:
    """Macros and article links, added above the sign-off (Streamlit does not tell where the cursor is)."""
    hits = ws.assistance.hits
    if not macros and not hits:
        return
    # One row each, the choice as wide as the row allows and the button as wide as its label: four columns
    # cut the buttons to "I…" and "Li…".
    if macros:
        by_id = {m.id: m for m in macros}
        row = st.container(horizontal=True, vertical_alignment="bottom", key=f"{key}_macro_row")
        row.selectbox("Macro", list(by_id), key=f"{key}_macro", format_func=lambda i: by_id[i].title)
        row.button(
            "Insert",
            key=f"{key}_insert_macro",
            icon=":material/bolt:",
            on_click=_insert_macro,
            args=(ws, assistant, key),
        )
    if hits:
        row = st.container(horizontal=True, vertical_alignment="bottom", key=f"{key}_article_row")
        row.selectbox(
            "Article to link",
            [h.article_id for h in hits],
            key=f"{key}_article",
            format_func=lambda a: next(h.title for h in hits if h.article_id == a),
        )
        row.button("Link", key=f"{key}_insert", icon=":material/link:", on_click=_insert_article, args=(key, hits))


def _insert_macro(ws: OpenTicket, assistant: Assistant, key: str) -> None:
    try:
        text = use_macro(
            assistant.engine,
            macro_id=st.session_state[f"{key}_macro"],
            ticket_id=ws.ticket.id,
            actor=state.current_user(),
            reply=st.session_state.get(key, ""),
        )
    except AssistError as e:
        state.flash_error(e)
        return
    fill_reply(key, text)


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
        fill_reply(key, text)
    else:
        state.flash(f'The link to "{hit.title}" is already in the reply.', kind="info")


def _regenerate_button(ws: OpenTicket, assistant: Assistant, key: str, row: st.delta_generator.DeltaGenerator) -> None:
    if st.session_state.get(f"{key}_confirm_regenerate"):
        # Below the row of buttons, where the warning has the reply box's width.
        st.warning("Regenerating replaces your edits.", icon=":material/warning:")
        choices = st.container(horizontal=True, gap="small", key=f"{key}_regenerate_choices")
        choices.button(
            "Discard my edits and regenerate",
            key=f"{key}_regenerate_confirmed",
            on_click=_regenerate_next_run,
            args=(key,),
        )
        choices.button(
            "Keep editing",
            key=f"{key}_regenerate_cancel",
            on_click=st.session_state.pop,
            args=(f"{key}_confirm_regenerate", None),
        )
    else:
        row.button(
            "Regenerate",
            key=f"{key}_regenerate",
            icon=":material/refresh:",
            help="A different candidate, grounded on the next-best article",
            on_click=_on_regenerate,
            args=(ws, assistant, key),
        )


def _regenerate(ws: OpenTicket, assistant: Assistant, key: str) -> None:
    """The next-best grounded candidate replaces the editor's text (edits were confirmed), before the box is
    drawn; why there is none is said where the box is."""
    counter = f"alternative_{ws.ticket.id}"
    alternative = int(st.session_state.get(counter, 0)) + 1
    try:
        fresh = regenerate(assistant, ticket_id=ws.ticket.id, alternative=alternative, actor=state.current_user())
    except SessionEndedError as e:
        state.flash_error(e)
        st.rerun(scope="app")
    except AssistError as e:
        st.info(escape_markdown(str(e)), icon=":material/info:")
        return
    st.session_state[counter] = alternative
    st.session_state[f"{key}_regenerated"] = fresh.draft.text
    fill_reply(key, fresh.draft.text)


def _on_regenerate(ws: OpenTicket, assistant: Assistant, key: str) -> None:
    """Decided when clicked (the text may have changed in the same interaction): edits need a confirmation.
    Edits are changes to what the app last put in the box (the draft, or the last regenerated one)."""
    typed = st.session_state.get(key, "")
    offered = st.session_state.get(f"{key}_regenerated", ws.assistance.draft.text)
    if typed.strip() and typed != offered:
        st.session_state[f"{key}_confirm_regenerate"] = True
    else:
        _regenerate_next_run(key)


def _regenerate_next_run(key: str) -> None:
    st.session_state.pop(f"{key}_confirm_regenerate", None)
    st.session_state[f"{key}_regenerate_pending"] = True


def _sent_message(sent: SentReply) -> str:
    how = (
        "as drafted" if sent.sent_as_drafted else "with your edits" if sent.edit_distance is not None else "as written"
    )
    delivery = DELIVERY_LABELS.get(sent.delivery_status, sent.delivery_status)
    return f"Reply sent {how}; the ticket is now {STATUS_LABELS[sent.status]} · delivery: {delivery}"


def _closed(ws: OpenTicket, assistant: Assistant, seen: int) -> None:
    st.info("This ticket is resolved, so it is read-only. Reopen it to reply.", icon=":material/lock:")
    st.button(
        "Reopen",
        key=f"reopen_{ws.ticket.id}",
        icon=":material/lock_open:",
        on_click=act,
        args=(
            ws.ticket.id,
            lambda: reopen(assistant.engine, ticket_id=ws.ticket.id, expected_version=seen, actor=state.current_user()),
            lambda _: f"Ticket #{ws.ticket.id} reopened.",
        ),
    )
