"""Team lead: the escalation queue, each ticket's handoff package, and what to do with it."""

import streamlit as st

from assist import (
    AssistError,
    OwnershipError,
    Queue,
    list_assignees,
    list_escalations,
    reasons_in_queue,
    reassign,
    resolve,
    return_to_tier1,
    take_over,
)
from ui import auth, queue_view, resources, state
from ui.format import display_text, escape_markdown
from ui.guard import guarded, show_error

state.init()
user = auth.require_role("pages/escalations.py")
engine = resources.engine()
st.title("Escalations")
state.show_flash()

left, right = st.columns(2)
with guarded("the escalation queue"):
    queue = left.selectbox(
        "Queue",
        [None, Queue.TIER1, Queue.TIER2, Queue.MANAGER],
        key="esc_queue",
        format_func=lambda q: "All queues" if q is None else q.label.capitalize(),
    )
    reason = right.selectbox(
        "Reason",
        [None, *reasons_in_queue(engine)],
        key="esc_reason",
        format_func=lambda r: "Any reason" if r is None else display_text(r),
    )
    items = list_escalations(engine, queue=queue, reason=reason)
if not items:
    st.info("The queue is empty. Nothing needs a lead right now.", icon=":material/celebration:")
    st.stop()
row = queue_view.queue_table(items)
# A clicked row opens that escalation; until then the most urgent one is open.
item = items[row] if row is not None and row < len(items) else items[0]
queue_view.package_view(item)

take, back, done = st.columns(3)
confirm_key = f"esc_take_confirm_{item.id}"
try:
    owner_to_confirm = st.session_state.get(confirm_key)
    if owner_to_confirm is not None:
        take.warning(
            f"{escape_markdown(item.owner_name or 'Someone else')} owns this ticket. Take it over anyway? They will no "
            "longer own it.",
            icon=":material/person_alert:",
        )
    label = "Take over anyway" if owner_to_confirm is not None else "Take over and reply"
    if take.button(label, type="primary", key=f"esc_take_{item.id}"):
        try:
            ticket_id = take_over(
                engine,
                escalation_id=item.id,
                expected_version=item.ticket_version,
                actor=user,
                confirm_owner=owner_to_confirm,
            )
        except OwnershipError as e:
            # Ask at once, beside the button, and let the same button confirm ("Take over anyway").
            st.session_state[confirm_key] = e.owner_id
            st.rerun()
        else:
            st.session_state.pop(confirm_key, None)
            state.select_ticket(ticket_id)
            st.switch_page("pages/inbox.py")
    if done.button("Resolve", key=f"esc_resolve_{item.id}"):
        resolve(engine, escalation_id=item.id, expected_version=item.ticket_version, actor=user)
        state.flash(f"Escalation for ticket #{item.ticket_id} resolved.")
        st.rerun()
    with back.popover("Return to tier 1"):
        note = st.text_area("What should the agent do?", key=f"esc_note_{item.id}", max_chars=2000)
        if st.button("Return", key=f"esc_return_{item.id}"):
            return_to_tier1(engine, escalation_id=item.id, expected_version=item.ticket_version, note=note, actor=user)
            state.flash(f"Ticket #{item.ticket_id} is back with tier 1.")
            st.rerun()
    with st.expander("Reassign"):
        target = queue_view.user_choice(list_assignees(engine), key=f"esc_assign_to_{item.id}")
        if st.button("Reassign", key=f"esc_assign_{item.id}"):
            reassign(engine, escalation_id=item.id, expected_version=item.ticket_version, to_user_id=target, actor=user)
            state.flash(f"Ticket #{item.ticket_id} reassigned.")
            st.rerun()
except AssistError as e:
    show_error(e)
