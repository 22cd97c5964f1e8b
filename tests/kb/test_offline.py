"""Ingest and search work with every outbound connection refused, in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

ROOT = Path(__file__).parents[2]

SCRIPT = textwrap.dedent(
    """
    import socket

    attempts = []
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("::1", "localhost")) and "/" not in host:
            attempts.append(host)
            raise OSError(f"network blocked in test: {host}")
        return real_connect(self, address)

    socket.socket.connect = guarded
    real_getaddrinfo = socket.getaddrinfo

    def no_dns(host, *args, **kwargs):
        if host not in (None, "localhost", "127.0.0.1", "::1"):
            attempts.append(host)
            raise socket.gaierror(f"DNS blocked in test: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = no_dns

    import sys
    from pathlib import Path
    from assist.config import Settings
    from assist.factories import build_embedder, build_engine, build_knowledge_base

    work = Path(sys.argv[1])
    settings = Settings(database_url=f"sqlite:///{work / 'a.db'}", chroma_path=work / "chroma")
    kb = build_knowledge_base(settings, engine=build_engine(settings), embedder=build_embedder(settings))
    from assist.users import OPERATOR
    report = kb.ingest_paths([Path("kb_docs/refund-policy.md"), Path("kb_docs/password-reset.md")], actor=OPERATOR)
    print("TOP", kb.search("when does my refund arrive", k=1)[0].article_id)
    print("ATTEMPTS", sorted(set(attempts)))
    """
)


def test_ingest_and_search_without_network(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env["HOME"] = str(tmp_path)  # no warm caches from the developer's home either
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "TOP refund-policy" in result.stdout
    assert "ATTEMPTS []" in result.stdout, result.stdout
