"""Team lead: the escalation queue, each ticket's handoff package, and what to do with it."""

import streamlit as st

from assist.domain import Queue
from assist.errors import AssistError
from assist.inbox import list_assignees
from assist.queue import list_escalations, reasons_in_queue, reassign, resolve, return_to_tier1, take_over
from ui import auth, queue_view, resources, state

state.init()
user = auth.require_role("pages/escalations.py")
engine = resources.engine()
st.title("🚨 Escalations")
state.show_flash()

left, right = st.columns(2)
queue = left.selectbox(
    "Queue",
    [None, Queue.TIER1, Queue.TIER2, Queue.MANAGER],
    key="esc_queue",
    format_func=lambda q: "All queues" if q is None else q.value,
)
reason = right.selectbox(
    "Reason",
    [None, *reasons_in_queue(engine)],
    key="esc_reason",
    format_func=lambda r: "Any reason" if r is None else r,
)
items = list_escalations(engine, queue=queue, reason=reason)
if not items:
    st.info("The queue is empty. Nothing needs a lead right now.", icon="🎉")
    st.stop()
queue_view.queue_table(items)
by_id = {i.id: i for i in items}
chosen = st.selectbox(
    "Open escalation",
    list(by_id),
    key="esc_open",
    format_func=lambda i: f"#{by_id[i].ticket_id} · {by_id[i].subject[:60]} ({by_id[i].priority.value})",
)
item = by_id[chosen]
queue_view.package_view(item)

actor = state.current_user()
take, back, done = st.columns(3)
try:
    if take.button("Take over and reply", type="primary", key=f"esc_take_{item.id}"):
        state.open_ticket(take_over(engine, escalation_id=item.id, actor=actor))
        st.switch_page("pages/inbox.py")
    if done.button("Resolve", key=f"esc_resolve_{item.id}"):
        resolve(engine, escalation_id=item.id, actor=actor)
        state.flash(f"Escalation for ticket #{item.ticket_id} resolved.")
        st.rerun()
    with back.popover("Return to tier 1"):
        note = st.text_area("What should the agent do?", key=f"esc_note_{item.id}", max_chars=2000)
        if st.button("Return", key=f"esc_return_{item.id}"):
            return_to_tier1(engine, escalation_id=item.id, note=note, actor=actor)
            state.flash(f"Ticket #{item.ticket_id} is back with tier 1.")
            st.rerun()
    with st.expander("Reassign"):
        target = queue_view.user_choice(list_assignees(engine), key=f"esc_assign_to_{item.id}")
        if st.button("Reassign", key=f"esc_assign_{item.id}"):
            reassign(engine, escalation_id=item.id, to_user_id=target, actor=actor)
            state.flash(f"Ticket #{item.ticket_id} reassigned.")
            st.rerun()
except AssistError as e:
    st.error(str(e))
