"""Escalation suggestions and notes speak plain words, never stored values ("tier1", "tier2")."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assist.domain import Queue

STORED = [q.value for q in Queue]


def test_a_tier_one_agent_is_not_told_to_escalate_to_tier1() -> None:
    """Defect (issue 34): a tier-1 agent was told "Suggest escalating to tier1"."""
    at = AppTest.from_string(
        """
from assist.domain import Escalation, EscalationPriority, Queue
from ui.assessment_view import escalation_panel
escalation_panel(Escalation(suggest=True, reasons=("Customer is frustrated",), priority=EscalationPriority.HIGH,
                            queue=Queue.TIER1, suggested_action="Ask a lead to look before replying."))
"""
    ).run()
    shown = at.warning[0].value
    assert "Suggest escalating** to the tier-1 leads" in shown
    assert not any(value in shown.split() or f"{value} " in shown for value in ("tier1", "tier2"))


def test_every_queue_has_a_label_in_words() -> None:
    for queue in Queue:
        assert queue.label and queue.label not in STORED
