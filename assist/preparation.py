"""Which tickets are waiting for their assistance, and the embedded worker that prepares it.

A ticket needs preparing when it is open and its stored assistance is not current (the one rule,
`assist.store.runs.is_current`, which the ticket screen uses to reuse a run). That state lives in the database, so
the work list survives restarts and a killed worker leaves nothing behind: the ticket simply stays
"preparing" until a worker gets to it. Computing twice is harmless (a run per ticket version).

The embedded worker is a background thread in the serving process: nothing extra to install. It
wakes when an arrival is announced (`notify`) and otherwise looks every few seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from sqlalchemy import Engine

from assist.errors import AssistError
from assist.store.runs import lacking_assistance

log = logging.getLogger(__name__)
POLL_S = 3.0
RETRY_FAILED_S = 300.0  # a ticket that failed waits this long, so it cannot hold up the others


def waiting(engine: Engine, *, limit: int = 20, among: Sequence[int] | None = None) -> list[int]:
    """Open tickets whose assistance is not current (`assist.store.runs.is_current`), oldest first (or those
    of `among`)."""
    return lacking_assistance(engine, among=among, limit=limit)


class EmbeddedWorker:
    """`threads` background threads that prepare waiting tickets with `prepare(ticket_id)`."""

    def __init__(self, engine: Engine, prepare: Callable[[int], object], *, threads: int = 1) -> None:
        self._engine, self._prepare, self._threads = engine, prepare, threads
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._busy: set[int] = set()
        self._failed: dict[int, float] = {}  # ticket id -> monotonic time it may be tried again
        self._lock = threading.Lock()
        self._running: list[threading.Thread] = []

    def start(self) -> EmbeddedWorker:
        for n in range(self._threads):
            thread = threading.Thread(target=self._loop, name=f"assist-worker-{n}", daemon=True)
            thread.start()
            self._running.append(thread)
        return self

    def notify(self, _ticket_id: int | None = None) -> None:
        """A ticket arrived or changed: look now rather than at the next poll (which ticket does not matter:
        the worker reads what waits from the database)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._running:
            thread.join(timeout)

    def _next(self) -> int | None:
        now = time.monotonic()
        with self._lock:
            self._failed = {t: until for t, until in self._failed.items() if until > now}
            for ticket_id in waiting(self._engine, limit=len(self._busy) + len(self._failed) + 1):
                if ticket_id not in self._busy and ticket_id not in self._failed:
                    self._busy.add(ticket_id)
                    return ticket_id
        return None

    def _failed_now(self, ticket_id: int) -> None:
        with self._lock:
            self._failed[ticket_id] = time.monotonic() + RETRY_FAILED_S

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ticket_id = self._next()
            except Exception:  # the database is away: try again at the next poll
                log.exception("could not read the waiting tickets")
                ticket_id = None
            if ticket_id is None:
                self._wake.wait(POLL_S)
                self._wake.clear()
                continue
            try:
                self._prepare(ticket_id)
            except AssistError as e:
                log.warning("ticket %s: %s", ticket_id, e)
                self._failed_now(ticket_id)
            except Exception:
                log.exception("ticket %s could not be prepared", ticket_id)
                self._failed_now(ticket_id)
            finally:
                with self._lock:
                    self._busy.discard(ticket_id)
