"""Issue 31 · 21: with Redis down the intake answered a bare 500 for tickets it had stored, and an RQ worker
exited and stayed down. Real Redis servers, started on free ports and stopped by the tests."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from redis import Redis
from rq import Queue
from sqlalchemy import Engine

from assist.config import Settings
from assist.dev.workspace import free_port
from assist.intake_api import create_app
from assist.preparation import waiting
from assist.signing import signature, timestamped
from assist.work_queue import QUEUE, enqueue

ROOT = Path(__file__).parents[2]
SECRET = "helpdesk-shared-secret"


def mark(path: str, hold_until: str | None = None) -> None:
    """A job the worker runs: proof that it takes work. With `hold_until` it says it started and waits for
    that file, so a test can stop Redis while the job runs."""
    Path(path + ".started").write_text("")
    if hold_until is not None:
        until(Path(hold_until).exists, 60)
    Path(path).write_text("done")


def until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_the_intake_stores_the_ticket_and_says_it_is_queued_later_when_redis_is_down(engine: Engine) -> None:
    down = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=2)  # nothing listens
    settings = Settings(intake_secret=SecretStr(SECRET))
    client = TestClient(create_app(engine, settings, announce=lambda ticket_id: enqueue(down, [ticket_id])))
    body = json.dumps({"external_id": "R-1", "customer_email": "ana@example.com", "body": "Export fails"}).encode()
    stamp = str(int(time.time()))
    response = client.post(
        "/api/tickets",
        content=body,
        headers={
            "X-Assist-Timestamp": stamp,
            "X-Assist-Signature": signature(SECRET, timestamped(stamp, "/api/tickets", body)),
        },
    )
    assert response.status_code == 201
    assert response.json()["outcome"] == "created" and "queued later" in response.json()["note"].lower()
    assert waiting(engine) == [response.json()["ticket_id"]]  # the sweeps enqueue it when Redis is back


class RedisServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = Redis(port=self.port)
        assert until(lambda: _pings(client), 20), "redis-server did not start"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def _pings(client: Redis) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(free_port())
    server.start()
    yield server
    server.stop()


WORKER = """
import sys, types
from assist.store import make_engine, upgrade
from assist.work_queue import connect, serve_jobs

engine = make_engine(sys.argv[1])
upgrade(engine)
serve_jobs(types.SimpleNamespace(engine=engine), connect(sys.argv[2]), backoff_s=(0.2, 1.0))
"""


def test_a_worker_outlives_a_redis_restart_and_takes_work_again(redis_server: RedisServer, tmp_path: Path) -> None:
    """Redis stops while a job runs: RQ cannot record the result and ends its loop ("unhandled exception,
    quitting"); the process used to end with it."""
    url = f"redis://127.0.0.1:{redis_server.port}/0"
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, f"sqlite:///{tmp_path / 'w.db'}", url], cwd=ROOT, stderr=subprocess.PIPE
    )
    try:
        before, after, release = tmp_path / "before", tmp_path / "after", tmp_path / "release"
        Queue(QUEUE, connection=Redis.from_url(url)).enqueue(mark, str(before), str(release))
        assert until(Path(f"{before}.started").exists, 60), "the worker never started the first job"
        redis_server.stop()
        release.write_text("")  # the job ends while Redis is away
        assert until(before.exists, 30)
        time.sleep(3)  # the worker meets the closed port: recording the result, its heartbeat, its dequeue
        redis_server.start()  # an empty Redis: nothing of the old one survives
        assert worker.poll() is None, "the worker exited while Redis was down"
        Queue(QUEUE, connection=Redis.from_url(url)).enqueue(mark, str(after))
        assert until(after.exists, 60), "the worker did not take work after Redis came back"
    finally:
        worker.terminate()  # SIGTERM: a warm shutdown
        _, stderr = worker.communicate(timeout=30)
    assert worker.returncode == 0, stderr.decode()[-2000:]
