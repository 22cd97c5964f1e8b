"""Preparing assistance on any number of machines: RQ jobs on Redis (`python -m assist worker`).

The database still says what waits (`assist.preparation.waiting`); the queue only spreads that work over
worker processes that share PostgreSQL, the Chroma server and Redis. A job prepares one ticket and does
nothing when it is no longer waiting, so a job run twice (a duplicate in the queue, a retry) costs one
query. Each worker also sweeps: every SWEEP_S it enqueues the tickets that still wait, so a job lost with
a killed worker (or enqueued while Redis was away) is picked up again within a sweep.

RQ was chosen over Celery (heavier, its Redis transport redelivers only after a visibility timeout) and
Dramatiq (similar, fewer users) for a small, well-kept library with a plain job model; procrastinate
(PostgreSQL only) would spare Redis but not SQLite installs.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine

from assist.errors import ConfigError
from assist.preparation import waiting

log = logging.getLogger(__name__)
QUEUE = "assist-prepare"
SWEEP_S = 30.0
JOB_TIMEOUT_S = 300

_assistant: Any = None  # set once per worker process by `serve_jobs`; jobs run in that process


def connect(url: str | None) -> Any:
    from redis import Redis
    from redis.exceptions import RedisError

    if not url:
        raise ConfigError("Set QUEUE_URL (e.g. redis://127.0.0.1:6379/0) to prepare assistance with workers.")
    try:
        connection = Redis.from_url(url)
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


def serve_jobs(assistant: Any, connection: Any, *, burst: bool = False) -> None:
    """Run one worker in this process (models loaded once, no fork per job) with its sweeper."""
    from rq import Queue, SimpleWorker

    global _assistant
    _assistant = assistant
    enqueue(connection, waiting(assistant.engine, limit=500))  # what a killed worker left behind, at once
    stop = threading.Event()
    sweeper = threading.Thread(target=_sweep, args=(assistant.engine, connection, stop), daemon=True)
    sweeper.start()
    try:
        SimpleWorker([Queue(QUEUE, connection=connection)], connection=connection).work(burst=burst)
    finally:
        stop.set()


def _sweep(engine: Engine, connection: Any, stop: threading.Event) -> None:
    while not stop.wait(SWEEP_S):
        try:
            enqueue(connection, waiting(engine, limit=500))
        except Exception:  # Redis or the database is away: the next sweep tries again
            log.exception("sweep failed")
