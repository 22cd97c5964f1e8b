"""Scale-out: ingest and search against a real Chroma server (chroma's own `chroma run`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from assist.config import Settings
from assist.dev.workspace import free_port
from assist.embeddings import Embedder
from assist.factories import build_knowledge_base
from assist.users import OPERATOR
from tests.conftest import article

pytestmark = pytest.mark.model


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    port = free_port()
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma command ships with the chromadb package"
    process = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "chroma server did not start within 60 s"
            assert process.poll() is None, "chroma server exited"
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_ingest_and_search_on_a_chroma_server(
    chroma_server: int, sqlite_engine: Engine, embedder: Embedder, tmp_path: Path
) -> None:
    settings = Settings(chroma_host="127.0.0.1", chroma_port=chroma_server, chroma_path=tmp_path / "unused")
    kb = build_knowledge_base(settings, engine=sqlite_engine, embedder=embedder)
    report = kb.ingest_files(
        [
            ("refunds.md", article("refunds", "Refund policy", "Card refunds take 5 to 10 business days.")),
            (
                "pw.md",
                article("pw", "Reset your password", "Use Forgot password on the sign-in page.", category="account"),
            ),
        ],
        actor=OPERATOR,
    )
    assert report.added == ("pw", "refunds")
    assert kb.search("when is my money back", k=1)[0].article_id == "refunds"
    assert not (tmp_path / "unused").exists()  # nothing was written to the embedded store
