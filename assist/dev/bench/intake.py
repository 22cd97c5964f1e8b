"""Arrival to ready: tickets posted to the intake service, timed until their assistance is stored.

Starts `python -m assist serve` on a fresh workspace (the shipped articles ingested, no demo
tickets), posts `tickets` signed tickets at `rate` a minute (every tenth one posted twice, as a
helpdesk retry would) with one worker, then a burst of `burst` tickets with one and with two
workers for throughput. Arrival is the moment the POST was answered; ready is the stored run's
time. `lost` counts accepted tickets never prepared (within two minutes of the last post) or
missing; `duplicated` counts tickets stored more than once for one external id.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select

from assist.dev.bench.timing import summary_ms
from assist.dev.workspace import free_port, offline_env, wait_until_up
from assist.signing import signature, timestamped
from assist.store.models import AssistRunRow, TicketRow

ROOT = Path(__file__).parents[3]
SECRET = "bench-intake-secret"
QUESTIONS = (
    "How do I export my invoices as CSV?",
    "The mobile app logs me out every time I switch apps.",
    "We were charged twice for this month's subscription.",
    "How can I add a second admin to our workspace?",
    "Webhook deliveries fail with a 401 since yesterday.",
    "Can I change the currency on my invoices?",
)


def run(*, tickets: int = 500, rate: float = 30.0, burst: int = 30, **_options: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
        env = _workspace(Path(tmp))
        figures: dict[str, Any] = {"tickets": tickets, "rate_per_min": rate}
        with _serve(env, workers=1) as url:
            arrivals = _post_steadily(url, "steady", tickets, rate)
            ready = _wait_ready(env["DATABASE_URL"], arrivals, timeout_s=120)
            latency = summary_ms([ready[i] - arrivals[i] for i in ready])
            figures["arrival_to_ready_p50_ms"] = latency["p50_ms"]
            figures["arrival_to_ready_p95_ms"] = latency["p95_ms"]
            figures["lost"], figures["duplicated"] = _lost_and_duplicated(env["DATABASE_URL"], arrivals, ready)
            figures["tickets_per_min_1_worker"] = _throughput(url, env["DATABASE_URL"], "one", burst)
        with _serve(env, workers=2) as url:
            figures["tickets_per_min_2_workers"] = _throughput(url, env["DATABASE_URL"], "two", burst)
        return figures


def _workspace(work: Path) -> dict[str, str]:
    env = offline_env(work, INTAKE_SECRET=SECRET)
    subprocess.run(
        [sys.executable, "-m", "assist", "kb", "ingest", "kb_docs"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return env


@contextmanager
def _serve(env: dict[str, str], *, workers: int) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "assist", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/healthz", server, what="the intake service (python -m assist serve)")
        yield url
    finally:
        server.terminate()
        server.wait(30)


def _post(client: httpx.Client, url: str, external_id: str, n: int) -> None:
    body = json.dumps(
        {
            "external_id": external_id,
            "customer_email": f"customer{n % 40}@example.com",
            "subject": QUESTIONS[n % len(QUESTIONS)][:40],
            "body": QUESTIONS[n % len(QUESTIONS)],
            "message_id": f"{external_id}-m1",
        }
    ).encode()
    stamp = str(int(time.time()))
    headers = {
        "X-Assist-Timestamp": stamp,
        "X-Assist-Signature": signature(SECRET, timestamped(stamp, "/api/tickets", body)),
    }
    response = client.post(url + "/api/tickets", content=body, headers=headers, timeout=30)
    response.raise_for_status()


def _post_steadily(url: str, prefix: str, count: int, rate: float) -> dict[str, float]:
    """external id -> wall-clock time its POST was answered."""
    arrivals: dict[str, float] = {}
    interval = 60.0 / rate
    start = time.monotonic()
    with httpx.Client() as client:
        for n in range(count):
            time.sleep(max(0.0, start + n * interval - time.monotonic()))
            external_id = f"{prefix}-{n}"
            _post(client, url, external_id, n)
            arrivals[external_id] = time.time()
            if n % 10 == 9:
                _post(client, url, external_id, n)  # a helpdesk retry: must not make a second ticket
    return arrivals


def _wait_ready(database_url: str, arrivals: dict[str, float], *, timeout_s: float) -> dict[str, float]:
    """external id -> time its first run was stored, for those ready before the timeout."""
    engine = create_engine(database_url)
    deadline = time.monotonic() + timeout_s
    ready: dict[str, float] = {}
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                rows = connection.execute(
                    select(TicketRow.external_id, func.min(AssistRunRow.created_at))
                    .join(AssistRunRow, AssistRunRow.ticket_id == TicketRow.id)
                    .where(TicketRow.external_id.in_(list(arrivals)))
                    .group_by(TicketRow.external_id)
                ).all()
            ready = {str(external_id): _epoch(at) for external_id, at in rows}
            if len(ready) == len(arrivals):
                break
            time.sleep(0.2)
    finally:
        engine.dispose()
    return ready


def _epoch(at: datetime) -> float:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()


def _lost_and_duplicated(database_url: str, arrivals: dict[str, float], ready: dict[str, float]) -> tuple[int, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                select(TicketRow.external_id, func.count())
                .where(TicketRow.external_id.in_(list(arrivals)))
                .group_by(TicketRow.external_id)
            ).all()
    finally:
        engine.dispose()
    counts = dict(stored)
    lost = sum(1 for external_id in arrivals if external_id not in counts or external_id not in ready)
    return lost, sum(n - 1 for n in counts.values())


def _throughput(url: str, database_url: str, prefix: str, burst: int) -> float:
    started = time.time()
    arrivals = _post_steadily(url, f"burst-{prefix}", burst, rate=6000)
    ready = _wait_ready(database_url, arrivals, timeout_s=300)
    if not ready:
        return 0.0
    return round(len(ready) / ((max(ready.values()) - started) / 60), 1)
