"""What a message needs, read by the shipped need model through the real pipeline (issue 32): an answer, a
clarifying question, a hand-over when no article answers, or a lead's decision. Lexical overlap alone answered
all four kinds: a request to waive a fee shares every word with the refund policy that states the fee."""

from __future__ import annotations

from assist.dev.evaluation.drafts import LabelledDraft, open_ticket_for
from assist.domain import Assistance, ConfidenceBand, DraftAction
from assist.drafting.policy import NEEDS_LEAD, NO_ARTICLE
from assist.pipeline import Assistant, compute_assistance


def _assist(assistant: Assistant, query: str) -> Assistance:
    line = LabelledDraft(query=query, gold=None)
    return compute_assistance(assistant, ticket_id=open_ticket_for(assistant, line, 0))


def test_a_how_to_question_is_answered(assistant: Assistant) -> None:
    result = _assist(assistant, "We moved to a new company domain. Where do I update the address my Lumen login uses?")
    assert result.draft.action is DraftAction.ANSWER and result.draft.sources[:1] == ("change-email",)
    assert NEEDS_LEAD not in result.escalation.reasons


def test_a_vague_message_gets_a_question_back(assistant: Assistant) -> None:
    result = _assist(assistant, "it's not working again")
    assert result.draft.action is DraftAction.CLARIFY and result.draft.sources == ()


def test_a_specific_question_no_article_answers_is_handed_on_without_an_answer(assistant: Assistant) -> None:
    result = _assist(assistant, "Is there a native Lumen app for Linux desktops, or only the web version?")
    assert result.draft.action is DraftAction.ESCALATE and result.draft.text == ""
    assert result.escalation.suggest and NO_ARTICLE in result.escalation.reasons  # the panel says why


def test_a_request_for_an_exception_goes_to_a_lead_with_a_holding_reply(assistant: Assistant) -> None:
    result = _assist(
        assistant,
        "Can you make an exception and refund the full year? We only used it for two months and your support "
        "was terrible.",
    )
    assert NEEDS_LEAD in result.escalation.reasons
    assert result.draft.action is DraftAction.HOLD


def test_a_holding_reply_that_states_no_answer_shows_no_confidence(assistant: Assistant) -> None:
    """Issue 32: an angry customer whose question no article answers gets a holding reply with no article facts,
    yet its badge showed the retrieval's confidence (and the team's recalibration learnt from its edits). It
    offers no answer, so it counts as none: no figure, no "likely sent", nothing to recalibrate."""
    result = _assist(
        assistant,
        "This is the THIRD time I'm asking and I'm furious. Is there a native Lumen app for Linux desktops? "
        "Answer within the hour or we cancel.",
    )
    draft = result.draft
    assert draft.action is DraftAction.HOLD and draft.sources == () and draft.text
    assert (draft.band, draft.confidence, draft.raw_confidence) == (ConfidenceBand.NO_ANSWER, 0.0, None)
