"""One deadline per language-model call, enforced down to its HTTP connection.

`call_within` runs a model call on a thread of its own (a slow call never queues another behind it) and
stops waiting at the deadline. The call itself is really abandoned: `DeadlineTransport`, the httpx
transport the product's chat model uses, shuts the request's socket down a moment after the deadline,
however steadily a server trickles bytes (a per-read timeout never fires on one byte every 0.2 s, which
once kept every thread of a shared pool busy while healthy calls fell back).
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

import httpx

T = TypeVar("T")
GRACE_S = 0.1  # the connection closes just after the caller gave up, so the caller's own message wins
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("llm_deadline", default=None)


def call_within(seconds: float, call: Callable[[], T]) -> T:
    """`call()` on its own daemon thread, waited for at most `seconds`.

    Raises:
        concurrent.futures.TimeoutError: the call did not finish in time (its HTTP request is cut off).
        Exception: whatever the call raised.
    """
    result: Future[T] = Future()

    def run() -> None:
        try:
            result.set_result(call())
        except BaseException as e:  # handed to the waiting caller
            result.set_exception(e)

    token = _DEADLINE.set(time.monotonic() + seconds + GRACE_S)
    try:
        context = contextvars.copy_context()  # the thread sees this call's deadline
    finally:
        _DEADLINE.reset(token)
    threading.Thread(target=context.run, args=(run,), name="llm-call", daemon=True).start()
    return result.result(timeout=seconds)


class DeadlineTransport(httpx.BaseTransport):
    """HTTP for the chat model: each request made inside `call_within` ends by that call's deadline.

    Every request gets a fresh connection (no keep-alive), so the socket to close is this request's own:
    its timeouts shrink to the time left, and a timer shuts the socket down at the deadline, which fails
    the request at once wherever it is (connecting, sending, reading headers or a trickling body).
    """

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = _DEADLINE.get()
        if deadline is None:
            return self._inner.handle_request(request)
        left = deadline - time.monotonic()
        if left <= 0:
            raise httpx.TimeoutException("the language model's deadline has passed", request=request)
        cutoff = _Cutoff(left)
        traced = request.extensions.get("trace")

        def trace(event: str, info: dict[str, Any]) -> None:
            if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
                found = info["return_value"].get_extra_info("socket")
                if isinstance(found, socket.socket):
                    cutoff.add(found)
            if traced is not None:
                traced(event, info)

        timeouts = request.extensions.get("timeout", {})
        request.extensions = {
            **request.extensions,
            "trace": trace,
            "timeout": {key: min(value or left, left) for key, value in timeouts.items()}
            or dict.fromkeys(("connect", "read", "write", "pool"), left),
        }
        try:
            response = self._inner.handle_request(request)
        except BaseException:
            cutoff.cancel()
            raise
        assert isinstance(response.stream, httpx.SyncByteStream)
        response.stream = _Bounded(response.stream, cutoff)
        return response

    def close(self) -> None:
        self._inner.close()


class _Cutoff:
    """The sockets of one request, shut down at its deadline; one that connects later is shut down at once."""

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            late = self._fired
        if late:
            _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            self._fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


class _Bounded(httpx.SyncByteStream):
    """A response body still under its request's cutoff; closing the body cancels it."""

    def __init__(self, inner: httpx.SyncByteStream, cutoff: _Cutoff) -> None:
        self._inner, self._cutoff = inner, cutoff

    def __iter__(self) -> Iterator[bytes]:
        yield from self._inner

    def close(self) -> None:
        self._cutoff.cancel()
        self._inner.close()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)  # a blocked read returns at once; the connection is not reused
