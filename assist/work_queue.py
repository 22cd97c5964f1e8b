"""Preparing assistance on any number of machines: RQ jobs on Redis (`python -m assist worker`).

The database still says what waits (`assist.preparation.waiting`); the queue only spreads that work over
worker processes that share PostgreSQL, the Chroma server and Redis. A job prepares one ticket and does
nothing when it is no longer waiting, so a job run twice (a duplicate in the queue, a retry) costs one
query. Each worker also sweeps: every SWEEP_S it enqueues the tickets that still wait, so a job lost with
a killed worker (or enqueued while Redis was away) is picked up again within a sweep.

Redis going away stops nothing for good: the intake answers "stored, queued later" (assist.intake_api), and
a worker whose RQ loop ends on a Redis fault waits (backing off up to MAX_BACKOFF_S), then starts a new
loop and first re-enqueues what waits (a restarted Redis has lost its queue).

RQ was chosen over Celery (heavier, its Redis transport redelivers only after a visibility timeout) and
Dramatiq (similar, fewer users) for a small, well-kept library with a plain job model; procrastinate
(PostgreSQL only) would spare Redis but not SQLite installs.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from assist.errors import ConfigError
from assist.preparation import waiting

log = logging.getLogger(__name__)
QUEUE = "assist-prepare"
SWEEP_S = 30.0
JOB_TIMEOUT_S = 300
FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
CONNECT_TIMEOUT_S = 5  # a queue that does not answer must not hold an intake request for minutes
COMMAND_TIMEOUT_S = 10  # RQ raises it on a worker's own connection to outlast its blocking dequeue

_assistant: Any = None  # set once per worker process by `serve_jobs`; jobs run in that process


def connect(url: str | None) -> Any:
    from redis import Redis
    from redis.exceptions import RedisError

    if not url:
        raise ConfigError("Set QUEUE_URL (e.g. redis://127.0.0.1:6379/0) to prepare assistance with workers.")
    try:
        connection = Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=COMMAND_TIMEOUT_S)
        connection.ping()
    except (RedisError, ValueError) as e:
        raise ConfigError(f"Cannot reach the queue at {url} ({type(e).__name__}: {e}). Check QUEUE_URL.") from e
    return connection


def enqueue(connection: Any, ticket_ids: list[int]) -> None:
    """Ask the workers to prepare these tickets (a ticket already prepared is skipped by the job)."""
    from rq import Queue

    queue = Queue(QUEUE, connection=connection)
    for ticket_id in ticket_ids:
        queue.enqueue(prepare, ticket_id, job_timeout=JOB_TIMEOUT_S, result_ttl=0, failure_ttl=86_400)


def prepare(ticket_id: int) -> bool:
    """The job: compute and store the ticket's assistance if it still waits; True when it did."""
    from assist.pipeline import compute_assistance

    if _assistant is None:
        raise RuntimeError("jobs run inside `python -m assist worker`")
    if not waiting(_assistant.engine, among=[ticket_id], limit=1):
        return False
    compute_assistance(_assistant, ticket_id=ticket_id)
    return True


def announcer(connection: Any) -> Callable[[int], None]:
    """What the intake calls for each arrival (it answers "queued later" when this raises)."""
    return lambda ticket_id: enqueue(connection, [ticket_id])


def serve_jobs(
    assistant: Any,
    connection: Any,
    *,
    burst: bool = False,
    backoff_s: tuple[float, float] = (FIRST_BACKOFF_S, MAX_BACKOFF_S),
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run one worker in this process (models loaded once, no fork per job) with its sweeper, until it is
    stopped (SIGTERM / SIGINT) or, with `burst`, the queue is empty.

    RQ ends its loop on a Redis fault it does not retry itself (a heartbeat, a registry clean-up, writing a
    result); this keeps the process: wait `backoff_s` (doubling to the maximum), then a new loop."""
    global _assistant
    _assistant = assistant
    stop = threading.Event()
    sweeper = threading.Thread(target=_sweep, args=(assistant.engine, connection, stop), daemon=True)
    sweeper.start()
    first, most = backoff_s
    wait = first
    try:
        while True:
            try:
                connection.ping()
                worker = _new_worker(connection)
                wait = first  # reachable again: the next fault starts the backoff afresh
                enqueue(connection, waiting(assistant.engine, limit=500))  # what a dead worker or Redis lost
                worker.work(burst=burst)
                if worker.stopping or (burst and _reachable(connection)):
                    return
                log.warning("the worker loop ended on a fault; starting a new one in %.0f s", wait)
            except Exception as e:  # Redis or the database is away: wait, then try again
                log.warning("the queue or the database is unreachable (%s); retrying in %.0f s", e, wait)
            _default_signals()  # a stop while waiting ends the process (no job is running)
            sleep(wait)
            wait = min(wait * 2, most)
    finally:
        stop.set()


def _queue(connection: Any) -> Any:
    from rq import Queue

    return Queue(QUEUE, connection=connection)


def _reachable(connection: Any) -> bool:
    try:
        connection.ping()
    except Exception:  # any failure means "not now"
        return False
    return True


def _default_signals() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _new_worker(connection: Any) -> Any:
    from rq import SimpleWorker

    class StoppableWorker(SimpleWorker):
        """Notes a requested stop (SIGTERM/SIGINT), so `serve_jobs` ends instead of starting a new loop."""

        stopping = False

        def request_stop(self, signum: Any, frame: Any) -> None:
            self.stopping = True
            super().request_stop(signum, frame)  # type: ignore[no-untyped-call]

    return StoppableWorker([_queue(connection)], connection=connection)


def _sweep(engine: Engine, connection: Any, stop: threading.Event) -> None:
    while not stop.wait(SWEEP_S):
        try:
            enqueue(connection, waiting(engine, limit=500))
        except Exception:  # Redis or the database is away: the next sweep tries again
            log.exception("sweep failed")
