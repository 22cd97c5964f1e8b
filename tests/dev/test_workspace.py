"""The throwaway workspaces' one piece of state handling: putting a database back under a running server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from assist.dev.workspace import copy_database
from assist.store import make_engine


def _names(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT name FROM t ORDER BY name")).scalars())


def test_a_database_put_back_under_an_open_engine_reads_as_the_copy(tmp_path: Path) -> None:
    live, kept = tmp_path / "live.db", tmp_path / "kept.db"
    server = make_engine(f"sqlite:///{live}")  # WAL and pooled connections, as the app opens its database
    with server.begin() as connection:
        connection.execute(text("CREATE TABLE t (name TEXT)"))
        connection.execute(text("INSERT INTO t VALUES ('prepared')"))
    copy_database(live, kept)
    with server.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES ('left by a test')"))
        connection.execute(text("DELETE FROM t WHERE name = 'prepared'"))
    assert _names(server) == ["left by a test"]

    copy_database(kept, live)

    assert _names(server) == ["prepared"]  # the same engine, its pooled connection included
    with server.begin() as connection:  # and it still writes
        connection.execute(text("INSERT INTO t VALUES ('next test')"))
    assert _names(server) == ["next test", "prepared"]
    server.dispose()
