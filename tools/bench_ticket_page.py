"""`python -m assist bench ticket_page` (or `python -m tools.bench_ticket_page`): opening a ticket whose
assistance was precomputed, timed through
Streamlit's AppTest (the page script runs and renders every panel; no browser, no network)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from assist.config import Settings, get_settings
from assist.demo import seed_demo
from assist.dev.bench.timing import summary_ms
from assist.domain import Role, User
from assist.factories import build_assistant, build_engine
from assist.pipeline import compute_assistance
from assist.store.db import session_scope
from assist.store.models import TicketRow, UserRow
from assist.users import OPERATOR
from ui import warmup

ROOT = Path(__file__).parents[1]


def run(*, tickets: int = 20, **_options: Any) -> dict[str, Any]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {
            "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
            "CHROMA_PATH": str(work / "chroma"),
            "TRIAGE_MODEL_PATH": str(work / "none.skops"),
        }
        saved = {k: os.environ.get(k) for k in [*env, "OPENAI_API_KEY", "OPENAI_BASE_URL"]}
        os.environ.update(env)
        for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            os.environ.pop(key, None)
        try:
            settings = Settings()
            engine = build_engine(settings)
            seed_demo(engine)
            assistant = build_assistant(settings, engine=engine)
            assistant.knowledge_base.ingest_paths([ROOT / "kb_docs"], actor=OPERATOR)
            with session_scope(engine) as session:
                ids = list(session.scalars(select(TicketRow.id).order_by(TicketRow.created_at.desc()).limit(tickets)))
                agent = session.scalars(select(UserRow).where(UserRow.role == "agent").limit(1)).one()
                user = User(id=agent.id, email=agent.email, name=agent.name, role=Role.AGENT, active=True)
            for ticket_id in ids:  # precompute, as intake and `make run` do
                compute_assistance(assistant, ticket_id=ticket_id)
            st.cache_resource.clear()
            get_settings.cache_clear()
            warmup.reset()
            warmup.assistant(get_settings())  # the models are loaded, as on a server that said "ready"
            warm = AppTest.from_file(str(ROOT / "pages" / "inbox.py"), default_timeout=300)
            warm.session_state["user"], warm.session_state["last_seen"] = user, time.time()
            warm.query_params["ticket"] = str(ids[0])
            warm.run()  # loads the models once, as a running server has
            timings = []
            for ticket_id in ids:
                at = AppTest.from_file(str(ROOT / "pages" / "inbox.py"), default_timeout=60)
                at.session_state["user"], at.session_state["last_seen"] = user, time.time()  # signed in
                at.query_params["ticket"] = str(ticket_id)
                started = time.perf_counter()
                at.run()
                timings.append(time.perf_counter() - started)
                if at.exception or not any(m.value.startswith(f"##### #{ticket_id} ·") for m in at.markdown):
                    raise RuntimeError(f"ticket #{ticket_id} did not render its workspace: {at.exception}")
            engine.dispose()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            st.cache_resource.clear()
            get_settings.cache_clear()
            warmup.reset()
    figures = summary_ms(timings)
    return {
        "tickets": len(timings),
        "open_p50_ms": figures["p50_ms"],
        "open_p95_ms": figures["p95_ms"],
        "method": "AppTest: the inbox page with ?ticket=N runs and renders all panels from precomputed assistance",
    }


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=20)
    print(json.dumps(run(tickets=parser.parse_args().tickets)))
