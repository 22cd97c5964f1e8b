"""Queue workers on a real Redis: what a killed worker was doing is done by the next one, nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assist.errors import ConfigError
from assist.pipeline import Assistant
from assist.preparation import waiting
from assist.store import session_scope
from assist.store.models import AssistRunRow
from assist.work_queue import connect, enqueue
from tests.test_preparation import arrive

ROOT = Path(__file__).parents[1]
REDIS = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by the test


def test_a_worker_killed_midway_leaves_nothing_undone(assistant: Assistant, tmp_path: Path) -> None:
    redis = connect(REDIS)  # `make test` starts Redis when none is running
    redis.flushdb()
    engine = assistant.engine
    questions = [
        "How do I export my invoices as CSV?",
        "The mobile app logs me out every time.",
        "We were charged twice this month.",
        "How can I add a second admin?",
        "Webhook deliveries fail with a 401.",
        "Can I change the currency on my invoices?",
    ]
    ids = [arrive(engine, f"Q-{n}", text, f"m-{n}") for n, text in enumerate(questions)]
    enqueue(redis, ids)
    env = {
        **os.environ,
        "DATABASE_URL": str(engine.url),
        "CHROMA_PATH": str(assistant.settings.chroma_path),
        "TRIAGE_MODEL_PATH": str(tmp_path / "none.skops"),
        "QUEUE_URL": REDIS,
    }
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CHROMA_HOST"):
        env.pop(key, None)
    first = subprocess.Popen([sys.executable, "-m", "assist", "worker"], cwd=ROOT, env=env)
    done = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and first.poll() is None and not done:
        with session_scope(engine) as session:
            done = session.scalar(select(func.count(func.distinct(AssistRunRow.ticket_id)))) or 0
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert first.returncode == -signal.SIGKILL and 0 < done < len(ids)  # it died with work left
    second = subprocess.run(
        [sys.executable, "-m", "assist", "worker", "--burst"], cwd=ROOT, env=env, timeout=300, check=False
    )
    assert second.returncode == 0
    assert waiting(engine) == []
    with session_scope(engine) as session:
        prepared = session.scalar(select(func.count(func.distinct(AssistRunRow.ticket_id))))
    assert prepared == len(ids)


def test_a_queue_that_cannot_be_reached_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="QUEUE_URL"):
        connect("redis://127.0.0.1:1/0")
    with pytest.raises(ConfigError, match="QUEUE_URL"):
        connect(None)
