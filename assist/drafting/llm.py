"""Drafts from any LangChain chat model (langchain-openai's ChatOpenAI in the product).

Every failure (timeout, connection, HTTP error, rate limit, unparsable output) raises
`DraftingError`; the drafting service then falls back to the offline draft with a notice.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field, ValidationError

from assist.domain import Draft, DraftMode, SentimentLevel, TicketDetail
from assist.drafting.deadline import call_within
from assist.drafting.prompt import build_messages
from assist.drafting.redaction import Redaction
from assist.drafting.reuse import PASSAGE_KEY
from assist.errors import DraftingError

_JSON_BLOCK = re.compile(r"\{.*\}", re.S)


class LlmReply(BaseModel):
    reply: str = Field(min_length=1)
    confidence: float | None = Field(default=None, ge=0, le=1)  # asked for, recorded nowhere: never trusted
    sources: list[int] = Field(default_factory=list)


class LlmDrafter:
    def __init__(
        self,
        model: BaseChatModel,
        *,
        name: str,
        usd_per_1k_input: float = 0.0,
        usd_per_1k_output: float = 0.0,
        deadline_s: float = 20.0,
        phone_region: str = "US",
    ) -> None:
        self.model = model
        self.name = name
        self.prices = (usd_per_1k_input, usd_per_1k_output)
        self.deadline_s = deadline_s  # the whole attempt, retries and backoff included
        self.phone_region = phone_region

    def draft(
        self,
        *,
        ticket: TicketDetail,
        passages: Sequence[tuple[str, str, str]],
        stance: str,
        level: SentimentLevel,
        customer_summary: str,
        confidence: float,
    ) -> Draft:
        """`passages` are (article id, title, text); `confidence` is the product's own estimate for the
        selected answer (the same features as the offline draft): the model's self-report is not trusted."""
        redaction = Redaction(region=self.phone_region)
        messages = build_messages(
            ticket=ticket,
            passages=[(title, text) for _, title, text in passages],
            stance=stance,
            level=level,
            customer_summary=customer_summary,
            redact=redaction.redact,
        )
        started = time.perf_counter()
        try:  # its own thread, and its HTTP request cut off at the deadline (assist.drafting.deadline)
            response = call_within(self.deadline_s, lambda: self.model.invoke(messages))
        except Exception as e:
            if isinstance(e, FutureTimeout) or time.perf_counter() - started >= self.deadline_s:
                # (a call cut off at its deadline may report the cut before the wait ends: the same event)
                raise DraftingError(f"The language model did not answer within {self.deadline_s:g} s.") from e
            raise DraftingError(f"The language model failed ({type(e).__name__}: {str(e)[:200]}).") from e
        latency_ms = (time.perf_counter() - started) * 1000
        parsed = parse_reply(str(response.content))
        usage = getattr(response, "usage_metadata", None) or {}
        tokens_in, tokens_out = int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))
        cited = [
            passages[n - 1][0]
            for n in parsed.sources
            if 1 <= n <= len(passages) and not passages[n - 1][0].startswith(PASSAGE_KEY)  # a past reply is no article
        ]
        return Draft(
            text=redaction.restore(parsed.reply).strip(),
            confidence=confidence,
            sources=tuple(dict.fromkeys(cited)),
            mode=DraftMode.LLM,
            model=self.name,
            tokens=tokens_in + tokens_out,
            cost_usd=round(tokens_in / 1000 * self.prices[0] + tokens_out / 1000 * self.prices[1], 6),
            latency_ms=round(latency_ms, 1),
        )


def parse_reply(content: str) -> LlmReply:
    """The JSON object in the model's answer (code fences and chatter around it are tolerated)."""
    match = _JSON_BLOCK.search(content)
    if match is None:
        raise DraftingError("The language model did not answer with JSON.")
    try:
        return LlmReply.model_validate(json.loads(match.group(0)))
    except (json.JSONDecodeError, ValidationError) as e:
        raise DraftingError(f"The language model's JSON was not a valid draft ({str(e)[:200]}).") from e
