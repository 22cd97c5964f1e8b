"""Shared fixtures: real SQLite files and a real PostgreSQL schema per test."""

from __future__ import annotations

import functools
import os
import shutil
import socketserver
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import chromadb
import numpy as np
import numpy.typing as npt
import pytest
from sqlalchemy import Connection, Engine, event, text

from assist.config import Settings, get_settings
from assist.demo import seed_demo
from assist.drafting.reader import AnswerReader
from assist.embeddings import Embedder, Vectors
from assist.factories import build_assistant
from assist.kb import KnowledgeBase, chunk_collection
from assist.kb.vectors import chroma_settings
from assist.pipeline import Assistant
from assist.store import make_engine, upgrade
from assist.users import OPERATOR

# Test processes share the cores: each computes with its share of threads, and so do the app servers and commands
# it starts (they inherit the environment). Two processes of two threads each on two cores made the run several
# times slower, not faster. Set before anything loads torch, which reads it once.
if os.environ.get("PYTEST_XDIST_WORKER"):
    _share = len(os.sched_getaffinity(0)) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    os.environ["OMP_NUM_THREADS"] = str(max(1, _share))

# A fixed clock for tests that build histories.
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

# Fixtures that load a real model: a test using one is a `model` test, whether or not it says so, so that
# `make test-fast` (`-m "not model and not e2e"`) is the layer that loads none.
MODEL_FIXTURES = frozenset(
    {"embedder", "reader", "knowledge_base", "assistant", "ingested_kb", "seeded_demo", "demo_workspace"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`make test` runs the suite on two processes (pytest-xdist). Each test goes to whichever process is free,
    except the browser journeys, which share one app and one workspace: they all go to one process, so a second
    app is never started. (xdist's own `--dist loadgroup` sets a node attribute that pytest 9 no longer reads.)"""
    from xdist.scheduler import LoadScopeScheduling

    class BrowserJourneysTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser journeys" if nodeid.startswith("tests/e2e/") else nodeid

    return BrowserJourneysTogether(config, log)


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Each test reads the environment it set: `get_settings` is cached per process, so without this a later CLI
    test would run against the first test's database."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def postgres_url() -> str:
    # The machine (and CI) run PostgreSQL here; a missing server fails the tests rather than skipping them.
    return os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest migration, made once per run: each test starts from a copy of the file,
    which takes a millisecond where running the migrations again takes about 150 ms."""
    path = tmp_path_factory.mktemp("migrated") / "migrated.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection checkpoints the write-ahead log into the file
    return path


@pytest.fixture
def sqlite_engine(tmp_path: Path, migrated_sqlite: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    # A test that asks for the demo starts from a copy of it, before any other fixture adds its rows: copied in
    # later, it would replace them (an admin a fixture signed in would become a demo user).
    # A test of the whole pipeline starts from the shipped articles ingested once per run (`ingested_kb`).
    if "demo_workspace" in request.fixturenames:
        start = request.getfixturevalue("seeded_demo")
    elif "assistant" in request.fixturenames:
        start = request.getfixturevalue("ingested_kb").database
    else:
        start = migrated_sqlite
    shutil.copyfile(start, tmp_path / "test.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_demo(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace at NOW, seeded once per run (seeding takes about 3 s and the same seed gives the same
    workspace); a test that asks for `demo_workspace` starts its database from a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(migrated_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    seed_demo(engine, now=NOW)
    engine.dispose()
    return path


@pytest.fixture
def demo_workspace(sqlite_engine: Engine) -> Engine:
    """The test's SQLite database holding the demo workspace (seeded at NOW, as `seed_demo(engine, now=NOW)`);
    `sqlite_engine` starts from the copy."""
    return sqlite_engine


Recorded = list[tuple[str, Any, bool]]


def _create_schema(admin: Engine) -> str:
    """A new, empty schema of the test database; its name."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        # Extensions live in one schema per database: created in a test schema, pg_trgm would vanish with it
        # (and a parallel run's migrations would miss its operator classes). Keep it in public, on every path.
        # Two test processes creating it at once collide on the catalogue's unique index; the lock queues them.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('assist tests: pg_trgm'))"))
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return schema


def schema_engine(schema: str) -> Engine:
    return make_engine(postgres_url(), connect_args={"options": f"-csearch_path={schema},public"})


@contextmanager
def _own_schema() -> Iterator[Engine]:
    """An engine on a new, empty schema of the test database; the schema is dropped afterwards."""
    admin = make_engine(postgres_url())
    schema = _create_schema(admin)
    engine = schema_engine(schema)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_migrations() -> Iterator[Recorded]:
    """The driver calls the migrations make on an empty schema, recorded once per run. No statement names the
    schema (the search path does), so replaying them in one transaction builds the same tables, indexes and
    version row in a test's own schema, in a fraction of the 0.4 s the migrations take."""
    recorded: Recorded = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        recorded.append((statement, parameters, many))

    with _own_schema() as engine:
        event.listen(engine, "before_cursor_execute", record)
        upgrade(engine)
        yield recorded


# What makes a test schema the one the migrations build: its relations (with their column counts), constraints,
# triggers (not the foreign keys' own, which are named by object id) and functions, and the migration version. A
# schema a test altered (a downgrade, an added column) no longer matches and is dropped instead of reused.
_SHAPE = text(
    """SELECT md5(concat_ws('|',
        (SELECT string_agg(relname || ':' || relkind::text || ':' || relnatts::text, ',' ORDER BY relname)
           FROM pg_class WHERE relnamespace = n.oid),
        (SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE connamespace = n.oid),
        (SELECT string_agg(tgname, ',' ORDER BY tgname)
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           WHERE c.relnamespace = n.oid AND NOT t.tgisinternal),
        (SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace = n.oid),
        (SELECT string_agg(version_num, ',') FROM alembic_version)))
    FROM pg_namespace n WHERE n.nspname = current_schema()"""
)


def _empty(conn: Connection) -> None:
    """Delete every row of the connection's schema and restart its sequences, keeping the migrations' shape."""
    tables = conn.scalars(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'alembic_version'")
    ).all()
    conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # no foreign-key order
    conn.exec_driver_sql("".join(f'DELETE FROM "{table}";' for table in tables))
    conn.execute(
        text(
            "SELECT setval(oid, 1, false) FROM pg_class"
            " WHERE relkind = 'S' AND relnamespace = current_schema()::regnamespace"
        )
    )


class SchemaPool:
    """Migrated schemas of the test database that this test process hands out, one per test. A schema comes back
    emptied (every row deleted, every sequence restarted) when it still has the migrations' shape, and is reused:
    emptying takes about 20 ms where replaying the migrations into a new schema and dropping it took about 240 ms,
    for each of some 350 PostgreSQL tests."""

    def __init__(self, migrations: Recorded) -> None:
        self._migrations = migrations
        self._admin = make_engine(postgres_url())
        self._clean: list[str] = []
        self._all: list[str] = []
        self._shape: str | None = None

    def take(self) -> str:
        if self._clean:
            return self._clean.pop()
        schema = _create_schema(self._admin)
        self._all.append(schema)
        engine = schema_engine(schema)
        with engine.begin() as conn:
            cursor = conn.connection.cursor()
            for statement, parameters, many in self._migrations:
                (cursor.executemany if many else cursor.execute)(statement, parameters)
            if self._shape is None:
                self._shape = conn.execute(_SHAPE).scalar_one()
        upgrade(engine)  # a no-op at head, which also proves the replay reached it
        engine.dispose()
        return schema

    def give_back(self, schema: str) -> None:
        """Empty `schema` for the next test, or drop it when the test altered its shape."""
        engine = schema_engine(schema)
        try:
            with engine.begin() as conn:
                reusable = conn.execute(_SHAPE).scalar_one() == self._shape
                if reusable:
                    _empty(conn)
        finally:
            engine.dispose()
        if reusable:
            self._clean.append(schema)
        else:
            self._drop(schema)

    def _drop(self, schema: str) -> None:
        with self._admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        self._all.remove(schema)

    def close(self) -> None:
        for schema in list(self._all):
            self._drop(schema)
        self._admin.dispose()


@pytest.fixture(scope="session")
def schema_pool(postgres_migrations: Recorded) -> Iterator[SchemaPool]:
    pool = SchemaPool(postgres_migrations)
    yield pool
    pool.close()


@pytest.fixture
def postgres_engine(schema_pool: SchemaPool) -> Iterator[Engine]:
    """A schema of the test database at the newest migration, holding no rows; the test never sees other data."""
    schema = schema_pool.take()
    engine = schema_engine(schema)
    try:
        yield engine
    finally:
        engine.dispose()
        schema_pool.give_back(schema)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The same test on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_engine")


class RememberingEmbedder(Embedder):
    """The real packaged MiniLM that remembers each text's vector for the run. The suite ingests the same articles
    and prepares the same demo tickets dozens of times; a text's vector never changes, so computing it once keeps
    those tests to what they check. `tests/test_embeddings.py` checks the encoder itself on a plain `Embedder`."""

    def __init__(self) -> None:
        super().__init__()
        self._known: dict[str, npt.NDArray[np.float32]] = {}

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> Vectors:
        new = [t for t in dict.fromkeys(texts) if t not in self._known]
        if new:
            self._known.update(zip(new, super().encode(new, batch_size=batch_size), strict=True))
        if not texts:
            return super().encode(texts)
        return np.stack([self._known[t] for t in texts])


@functools.cache
def run_encoder() -> RememberingEmbedder:
    """The run's one encoder (the weights load on first use, not here)."""
    return RememberingEmbedder()


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged MiniLM, loaded once per test session (vectors remembered across tests)."""
    return run_encoder()


@functools.cache
def run_reader() -> AnswerReader:
    """The run's one answer reader (the shipped one, whatever the settings: `build_answer_reader` reads none)."""
    return AnswerReader()


# Benchmarks measure the encoder and the reader as the product builds them: they keep their own.
OWN_MODELS = ("tests/dev/bench/",)


@pytest.fixture(autouse=True)
def models_are_shared_across_the_run(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every assistant a test builds without passing models (the app's warm-up, the CLI's commands, the evaluations
    and the training scripts) gets the run's one encoder and one answer reader, as a server keeps its models across
    databases. A fresh pair cost about 6.5 s a test (loading both, and embedding the shipped articles again); the
    weights and every vector are the same."""
    from assist import factories
    from ui import warmup

    if request.node.nodeid.startswith(OWN_MODELS):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        for module in (factories, warmup):
            patch.setattr(module, "build_embedder", lambda _settings: run_encoder())
            patch.setattr(module, "build_answer_reader", lambda _settings: run_reader())
        yield


@pytest.fixture(scope="session")
def reader() -> AnswerReader:
    """The shipped answer reader, loaded once per test session."""
    return run_reader()


@pytest.fixture
def knowledge_base(sqlite_engine: Engine, embedder: Embedder, tmp_path: Path) -> KnowledgeBase:
    """A real knowledge base: a temp SQLite file and a temp on-disk chroma."""
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=chroma_settings())
    return KnowledgeBase(
        engine=sqlite_engine,
        collection=chunk_collection(client, embedder),
        embedder=embedder,
        max_upload_bytes=1_000_000,
        checkouts=tmp_path / "sources",
    )


def article(article_id: str, title: str, body: str, *, category: str = "billing", product: str = "all") -> bytes:
    """A small markdown article with front matter."""
    return (
        f"---\nid: {article_id}\ntitle: {title}\ncategory: {category}\nproduct: {product}\nupdated: 2026-10-01\n---\n"
        f"# {title}\n\n{body}\n"
    ).encode()


KB_DOCS = Path(__file__).parents[1] / "kb_docs"


def assistant_settings(engine: Engine, folder: Path) -> Settings:
    """Offline settings for an assistant over `engine`, its Chroma and (absent) triage model in `folder`."""
    return Settings(
        database_url=str(engine.url),
        chroma_path=folder / "chroma",
        chroma_host=None,
        openai_api_key=None,
        openai_base_url=None,
        triage_model_path=folder / "none.skops",
        smtp_host=None,
        webhook_url=None,
    )


@dataclass(frozen=True)
class IngestedKb:
    database: Path  # the migrated schema with the shipped articles' rows
    chroma: Path  # their vectors


@pytest.fixture(scope="session")
def ingested_kb(
    migrated_sqlite: Path, embedder: Embedder, reader: AnswerReader, tmp_path_factory: pytest.TempPathFactory
) -> IngestedKb:
    """The shipped articles ingested once per run through the product's own ingest: each `assistant` test starts
    from a copy of the database file and the Chroma folder (a copy takes milliseconds; ingesting took ~0.5 s)."""
    folder = tmp_path_factory.mktemp("ingested")
    shutil.copyfile(migrated_sqlite, folder / "kb.db")
    engine = make_engine(f"sqlite:///{folder / 'kb.db'}")
    built = build_assistant(assistant_settings(engine, folder), engine=engine, embedder=embedder, reader=reader)
    built.knowledge_base.ingest_paths([KB_DOCS], actor=OPERATOR)
    engine.dispose()
    return IngestedKb(database=folder / "kb.db", chroma=folder / "chroma")


@pytest.fixture
def assistant(
    sqlite_engine: Engine, embedder: Embedder, reader: AnswerReader, tmp_path: Path, ingested_kb: IngestedKb
) -> Assistant:
    """The whole offline pipeline on a temp database and chroma, with the shipped articles ingested (the test's
    database started from `ingested_kb`'s file; its Chroma folder is copied here)."""
    shutil.copytree(ingested_kb.chroma, tmp_path / "chroma")
    return build_assistant(
        assistant_settings(sqlite_engine, tmp_path), engine=sqlite_engine, embedder=embedder, reader=reader
    )


class SlowSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib, taking its time over each message as a loaded relay does."""

    received: ClassVar[list[bytes]] = []
    pause: ClassVar[threading.Event] = threading.Event()  # never set: wait() is the slowness

    def handle(self) -> None:
        self.wfile.write(b"220 slow.example ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 slow.example\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = b"".join(iter(self.rfile.readline, b".\r\n"))
                type(self).pause.wait(0.3)  # every concurrent deliverer is inside its attempt by now
                type(self).received.append(data)
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp() -> Iterator[int]:
    SlowSmtp.received = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SlowSmtp)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
