"""The lead queue's one-line reasons: rule names in full, an agent's note by name only."""

from __future__ import annotations

from datetime import UTC, datetime

from assist.domain import EscalationItem, EscalationPriority, Queue


def _item(*reasons: str) -> EscalationItem:
    return EscalationItem(
        id=1,
        ticket_id=7,
        ticket_version=1,
        subject="Charged twice",
        customer_name="Nora",
        customer_vip=False,
        reasons=reasons,
        priority=EscalationPriority.HIGH,
        queue=Queue.TIER2,
        suggested_action="Take over personally.",
        state="open",
        owner_id=None,
        owner_name=None,
        created_by_id=None,
        created_at=datetime(2026, 11, 23, tzinfo=UTC),
        waiting_hours=3.0,
        package=None,
    )


def test_the_reason_summary_names_an_agents_note_without_its_text() -> None:
    """Defect (issue 34): the queue's Reasons column held whole notes."""
    note = "Agent's note: She called twice this morning; the refund from October never arrived and she " * 3
    item = _item("Customer is angry", "Repeat contact about the same issue", note)
    assert item.reason_summary == "Customer is angry · Repeat contact about the same issue · Agent's note"
    assert item.reasons[-1] == note  # the package still has it whole


def test_a_ticket_escalated_by_hand_only_has_the_agents_note_as_its_reason() -> None:
    assert _item("Agent's note: call her back").reason_summary == "Agent's note"
