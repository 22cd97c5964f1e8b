"""Throwaway workspaces for benchmarks, tools and the browser tests: a database and index of their own,
offline (no LLM, no Chroma server, no mail or webhook out), served on a free loopback port."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx

ONLINE = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CHROMA_HOST", "SMTP_HOST", "WEBHOOK_URL")


def offline_env(work: Path, *, database: str = "bench.db", **settings: str) -> dict[str, str]:
    """This process's environment pointed at `work`, without anything that reaches out; `settings` on top."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / database}",
        "CHROMA_PATH": str(work / "chroma"),
        "TRIAGE_MODEL_PATH": str(work / "triage.skops"),
        **settings,
    }
    for key in ONLINE:
        env.pop(key, None)
    return env


def copy_database(source: Path, target: Path) -> None:
    """Copy SQLite file `source` over `target` with SQLite's online backup. Safe while a server has either open: the
    copy takes the locks a writer takes, and the server's connections read the copied rows at their next
    transaction. The browser tests put the prepared workspace back this way before each test."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as destination:
        origin.backup(destination)
    origin.close()
    destination.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(health_url: str, server: subprocess.Popen[bytes], *, timeout_s: float = 120, what: str) -> None:
    """Return once `health_url` answers 200; fail naming `what` if `server` exits or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(health_url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.3)
