"""Drafting: the LLM drafter when one is configured, the offline grounded drafter otherwise, and
the offline draft (with a visible notice) whenever the LLM fails."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from assist.domain import Draft, Hit, SentimentLevel, TicketDetail
from assist.drafting.llm import LlmDrafter
from assist.drafting.offline import ArticleText, OfflineDrafter
from assist.errors import DraftingError


class Drafter:
    def __init__(self, *, offline: OfflineDrafter, llm: LlmDrafter | None = None) -> None:
        self.offline = offline
        self.llm = llm

    def draft(
        self,
        *,
        ticket: TicketDetail,
        hits: Sequence[Hit],
        articles: dict[str, ArticleText],
        level: SentimentLevel,
        customer_summary: str,
        query_vector: npt.NDArray[np.float32],
        earlier_contacts: int,
        confidence: float,
    ) -> Draft:
        notes: tuple[str, ...] = ()
        if self.llm is not None:
            try:
                return self.llm.draft(
                    ticket=ticket,
                    hits=hits,
                    level=level,
                    customer_summary=customer_summary,
                    retrieval_confidence=confidence,
                )
            except DraftingError as e:
                notes = (f"LLM draft unavailable, showing the offline draft instead. {e}",)
        draft = self.offline.draft(
            customer_name=ticket.customer.name,
            level=level,
            hits=hits,
            articles=articles,
            query_vector=query_vector,
            earlier_contacts=earlier_contacts,
            confidence=confidence,
        )
        return draft.model_copy(update={"notes": notes + draft.notes}) if notes else draft
