"""Drafting: the LLM drafter when one is configured, the offline grounded drafter otherwise, and
the offline draft (with a visible notice) whenever the LLM fails. Both get the same inputs: the
selected passages, the thread and the plan; both carry the same confidence."""

from __future__ import annotations

from assist.domain import Draft, SentimentLevel, TicketDetail
from assist.drafting.answers import Selection
from assist.drafting.llm import LlmDrafter
from assist.drafting.offline import OfflineDrafter, paragraphs, reused_note
from assist.drafting.reuse import PASSAGE_KEY, PastReply
from assist.drafting.stance import Plan
from assist.drafting.stated import answer_units
from assist.errors import DraftingError

PASSAGES_PER_ARTICLE = 4
PASSAGE_FLOOR = 0.3  # of the best unit's probability


class Drafter:
    def __init__(self, *, offline: OfflineDrafter, llm: LlmDrafter | None = None) -> None:
        self.offline = offline
        self.llm = llm

    def draft(
        self,
        *,
        ticket: TicketDetail,
        selection: Selection,
        plan: Plan,
        level: SentimentLevel,
        customer_summary: str,
        earlier_contacts: int,
        confidence: float,
        agent_name: str | None = None,
        past: PastReply | None = None,
    ) -> Draft:
        """`past`: an earlier reply the draft is built on (`drafting.reuse` chose it over the articles)."""
        notes: tuple[str, ...] = ()
        if self.llm is not None and not plan.stance.abstains:
            try:
                draft = self.llm.draft(
                    ticket=ticket,
                    passages=(_reused(past) + passages(selection)) if plan.facts_allowed else [],
                    stance=instructions(plan),
                    level=level,
                    customer_summary=customer_summary,
                    confidence=confidence,
                )
                if past is None or not plan.facts_allowed:
                    return draft.model_copy(update={"action": plan.stance})
                return draft.model_copy(  # citing only the past reply, it cites the articles that reply cited
                    update={
                        "action": plan.stance,
                        "sources": draft.sources or past.article_ids,
                        "reused_from": past.ticket_id,
                        "notes": (reused_note(past),),
                    }
                )
            except DraftingError as e:
                notes = (f"LLM draft unavailable, showing the offline draft instead. {e}",)
        draft = self.offline.draft(
            customer_name=ticket.customer.name,
            selection=selection,
            plan=plan,
            earlier_contacts=earlier_contacts,
            confidence=confidence,
            agent_name=agent_name,
            past=past,
        )
        return draft.model_copy(update={"notes": notes + draft.notes}) if notes else draft


def passages(selection: Selection) -> list[tuple[str, str, str]]:
    """(article id, title, text): the offline answer first, then the best other units per article."""
    best = selection.best
    if best is None:
        return []
    answer = answer_units(selection)
    out = [(best.article_id, selection.articles[best.article_id].title, "\n".join(paragraphs(answer)))]
    shown = {(c.article_id, c.index) for c in answer}
    for article_id in dict.fromkeys(c.article_id for c in selection.candidates):
        more = [
            c
            for c in selection.candidates
            if c.article_id == article_id
            and (c.article_id, c.index) not in shown
            and c.probability >= best.probability * PASSAGE_FLOOR
        ][:PASSAGES_PER_ARTICLE]
        if more:
            more.sort(key=lambda c: c.index)
            out.append((article_id, selection.articles[article_id].title, "\n".join(c.unit.text for c in more)))
    return out


def _reused(past: PastReply | None) -> list[tuple[str, str, str]]:
    """The past reply as the LLM's first passage (its articles stay citable: they are the passages after it)."""
    if past is None:
        return []
    return [(f"{PASSAGE_KEY}{past.ticket_id}", "A reply the team sent to the same question", "\n".join(past.body))]


def instructions(plan: Plan) -> str:
    lines = [f"Open with: {plan.opening}"] if plan.opening else []
    if plan.facts_allowed:
        lines.append("Answer from the passages, passage 1 first.")
    else:
        lines.append("Do not answer the substance, admit fault or offer anything.")
    if plan.follow_up:
        lines.append(f"Say who follows up and when: {plan.follow_up}")
    lines.append(f"Close with: {plan.closer}" if plan.closer else "Do not ask whether this solves it.")
    return "\n".join(lines)
