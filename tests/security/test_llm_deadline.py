"""A trickling language-model server (issue 31, finding 22).

A server that sends one byte every 0.2 s never trips a per-read timeout: its calls kept all 8 threads of
the shared pool busy long after the drafts had fallen back, so healthy calls queued behind them and fell
back too. Each call now runs on its own thread and its HTTP connection is shut down at the deadline
(`assist.drafting.deadline`), however steadily the bytes come.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from pydantic import SecretStr

from assist.config import Settings
from assist.domain import Draft, DraftMode, SentimentLevel
from assist.drafting import DraftingError, LlmDrafter
from assist.factories import build_chat_model
from tests.factories import detail

SLOW_CALLS = 10  # more than the old pool's 8 threads
REPLY = {"reply": "Hi Dana, card refunds take 5-10 business days. [1]", "sources": [1]}


class _Trickle(BaseHTTPRequestHandler):
    """Answers one byte every 0.2 s while `trickling`, at once otherwise; counts connections the client cut."""

    protocol_version = "HTTP/1.1"
    trickling: ClassVar[bool] = True
    cut: ClassVar[threading.Semaphore] = threading.Semaphore(0)
    opened: ClassVar[list[str]] = []  # trickling responses begun
    never: ClassVar[threading.Event] = threading.Event()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        payload = json.dumps(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": json.dumps(REPLY)},
                    }
                ],
                "usage": {"prompt_tokens": 900, "completion_tokens": 60, "total_tokens": 960},
            }
        ).encode()
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n").encode()
        if not type(self).trickling:
            self.wfile.write(head + payload)
            return
        type(self).opened.append(self.path)
        try:
            for byte in head + payload:  # about 80 s in all: far past any deadline
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                type(self).never.wait(0.2)
        except OSError:  # the client shut the connection down
            type(self).cut.release()
        self.close_connection = True

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Trickle.trickling, _Trickle.cut, _Trickle.opened = True, threading.Semaphore(0), []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def _draft(drafter: LlmDrafter) -> Draft:
    return drafter.draft(
        ticket=detail(),
        passages=[("refund-policy", "Refund policy", "Card refunds take 5-10 business days.")],
        stance="",
        level=SentimentLevel.NEUTRAL,
        customer_summary="Dana",
        confidence=0.6,
    )


def test_trickling_calls_are_cut_off_and_a_healthy_call_still_gets_its_draft(server: str) -> None:
    settings = Settings(
        openai_base_url=server, openai_api_key=SecretStr("sk-test"), llm_timeout_s=0.5, llm_max_retries=0
    )
    model = build_chat_model(settings)  # the product's client, with its transport
    assert model is not None
    drafter = LlmDrafter(model, name="m", deadline_s=settings.llm_timeout_s)
    outcomes: list[str] = []

    def slow() -> None:
        try:
            _draft(drafter)
        except DraftingError as e:
            outcomes.append(str(e))

    threads = [threading.Thread(target=slow) for _ in range(SLOW_CALLS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == SLOW_CALLS and all("did not answer within 0.5 s" in o for o in outcomes)
    for _ in range(300):  # every call's thread ends: its request was abandoned, not left to run for 80 s
        if not any(t.name == "llm-call" for t in threading.enumerate()):
            break
        _Trickle.never.wait(0.1)
    assert not any(t.name == "llm-call" for t in threading.enumerate())
    assert _Trickle.opened  # (on a loaded machine a call may reach its deadline before it connects)
    for _ in range(len(_Trickle.opened)):  # and the server saw each connection it served shut down
        assert _Trickle.cut.acquire(timeout=30)
    _Trickle.trickling = False
    # The same client (a first successful answer costs the client some warm-up, hence the roomier deadline):
    # nothing of the slow calls is still busy, so the answer arrives in time.
    draft = _draft(LlmDrafter(model, name="m", deadline_s=10))
    assert draft.mode is DraftMode.LLM
    assert draft.text.startswith("Hi Dana, card refunds take 5-10 business days.")


def test_a_connection_that_completes_after_the_deadline_is_shut_at_once() -> None:
    """On a loaded machine a call can connect only after its deadline fired; it must not trickle on."""
    import socket

    from assist.drafting.deadline import _Cutoff

    cutoff = _Cutoff(0.0)
    cutoff._timer.join(timeout=30)  # the deadline has fired, with no socket yet
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.settimeout(30)
        cutoff.add(ours)
        assert ours.recv(1) == b""  # shut down: reads end at once instead of waiting for the next byte
