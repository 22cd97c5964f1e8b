"""ChatOpenAI really talks HTTP to an OpenAI-compatible endpoint at OPENAI_BASE_URL (a stub on loopback)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from pydantic import SecretStr

from assist.config import Settings
from assist.domain import DraftMode, SentimentLevel
from assist.drafting import DraftingError, LlmDrafter
from assist.factories import build_chat_model
from tests.factories import detail

PASSAGES = [("refund-policy", "Refund policy", "Card refunds take 5-10 business days.")]


class _Endpoint(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []
    delay_s: ClassVar[float] = 0.0
    release: ClassVar[threading.Event] = threading.Event()  # ends the delay early

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        type(self).release.wait(type(self).delay_s)
        reply = {"reply": "Hi Dana, card refunds take 5-10 business days. [1]", "confidence": 0.8, "sources": [1]}
        payload = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": json.dumps(reply)}}
            ],
            "usage": {"prompt_tokens": 900, "completion_tokens": 60, "total_tokens": 960},
        }
        data = json.dumps(payload).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    _Endpoint.requests, _Endpoint.delay_s = [], 0.0
    _Endpoint.release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    _Endpoint.release.set()  # a request still held ends now
    server.shutdown()
    server.server_close()


def _drafter(base_url: str, **settings: Any) -> LlmDrafter:
    config = Settings(
        openai_base_url=base_url,
        openai_model="local-llama",
        openai_api_key=SecretStr("sk-test"),
        llm_max_retries=0,
        **settings,
    )
    model = build_chat_model(config)
    assert model is not None
    return LlmDrafter(model, name=config.openai_model)


def test_chat_openai_uses_the_configured_base_url_model_and_key(endpoint: str) -> None:
    draft = _drafter(endpoint).draft(
        ticket=detail(),
        passages=PASSAGES,
        stance="",
        level=SentimentLevel.NEUTRAL,
        customer_summary="Dana",
        confidence=0.6,
    )
    (request,) = _Endpoint.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "local-llama"
    assert '<passage n="1" article="Refund policy">' in request["body"]["messages"][1]["content"]
    assert draft.mode is DraftMode.LLM
    assert draft.text.startswith("Hi Dana, card refunds take 5-10 business days.")
    assert draft.tokens == 960 and draft.sources == ("refund-policy",)


def test_a_slow_endpoint_times_out_as_a_drafting_error(endpoint: str) -> None:
    _Endpoint.delay_s = 2.0
    with pytest.raises(DraftingError, match="Timeout"):
        _drafter(endpoint, llm_timeout_s=0.3).draft(
            ticket=detail(),
            passages=PASSAGES,
            stance="",
            level=SentimentLevel.NEUTRAL,
            customer_summary="",
            confidence=0.5,
        )


def test_no_key_and_no_base_url_means_no_chat_model() -> None:
    assert build_chat_model(Settings(openai_api_key=None, openai_base_url=None)) is None


def test_llm_timeout_bounds_the_whole_attempt_retries_included(endpoint: str) -> None:
    """Security probe finding 13: with 3 s and the default retry, a hanging server gave the draft after 8 s."""
    _Endpoint.delay_s = 600.0  # holds every request until the test releases it
    config = Settings(
        openai_base_url=endpoint, openai_api_key=SecretStr("sk-test"), llm_max_retries=2, llm_timeout_s=1.0
    )
    model = build_chat_model(config)
    assert model is not None
    drafter = LlmDrafter(model, name="m", deadline_s=config.llm_timeout_s)
    with pytest.raises(DraftingError, match="within 1 s"):
        drafter.draft(
            ticket=detail(),
            passages=PASSAGES,
            stance="",
            level=SentimentLevel.NEUTRAL,
            customer_summary="",
            confidence=0.5,
        )
    # The deadline covers the retries: one attempt at most reached the server, which held it, where
    # llm_max_retries=2 without the deadline sends three (none if a loaded box had not sent the first by the
    # deadline). A clock bound instead would break on a loaded CI box.
    assert len(_Endpoint.requests) <= 1
