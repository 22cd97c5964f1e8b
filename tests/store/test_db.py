from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, func, inspect, select

from assist.errors import DatabaseError
from assist.store import downgrade, has_schema, make_engine, normalize_url, session_scope, upgrade
from assist.store.models import Base, CustomerRow
from tests.factories import make_customer


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///data/x.db", "sqlite:///data/x.db"),
    ],
)
def test_normalize_url_uses_the_installed_driver(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


# Alembic cannot compare indexes on expressions (e.g. `priority DESC`); the migration creates them by name.
_EXPRESSION_INDEXES = {
    index.name
    for table in Base.metadata.tables.values()
    for index in table.indexes
    if any(not isinstance(e, Column) for e in index.expressions)
}


def _modelled(_object: object, name: str | None, type_: str, _reflected: bool, _compare_to: object) -> bool:
    """What the comparison can judge: not PostgreSQL's trigram search indexes (only in the migration; SQLite
    has no such index) nor expression indexes."""
    if type_ != "index" or name is None:
        return True
    return not name.endswith("_trgm") and name not in _EXPRESSION_INDEXES


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _modelled})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent_and_keeps_data(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_customer(session, email="kept@example.com")
    upgrade(engine)
    upgrade(engine)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(CustomerRow)) == 1


def test_downgrade_to_base_removes_the_schema_and_upgrade_restores_it(sqlite_engine: Engine) -> None:
    downgrade(sqlite_engine, "base")
    assert not has_schema(sqlite_engine)
    upgrade(sqlite_engine)
    assert set(inspect(sqlite_engine).get_table_names()) >= {"tickets", "messages", "audit_events"}


def test_sqlite_file_gets_its_folder_created(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'deeper' / 'a.db'}")
    upgrade(engine)
    assert (tmp_path / "nested" / "deeper" / "a.db").exists()


def test_unreachable_database_raises_a_clear_error() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/nothing", connect_args={"connect_timeout": 2})
    with pytest.raises(DatabaseError, match="check DATABASE_URL"):
        upgrade(engine)


def test_session_scope_rolls_back_on_error(engine: Engine) -> None:
    def failing_unit_of_work() -> None:
        with session_scope(engine) as session:
            make_customer(session)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_unit_of_work()
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(CustomerRow)) == 0


def test_sends_recorded_before_revision_0010_get_their_edit_ratio(sqlite_engine: Engine) -> None:
    from sqlalchemy import text

    from tests.factories import make_ticket

    with session_scope(sqlite_engine) as session:  # today's tables hold the ticket; the downgrade keeps it
        ticket = make_ticket(session, customer=make_customer(session))
        message_id = ticket.messages[0].id
        ticket_id = ticket.id
    downgrade(sqlite_engine, "0009")
    with sqlite_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO replies (ticket_id, message_id, draft_text, sent_text, edit_distance, sent_as_drafted, "
                "sent_at) VALUES (:t, :m, 'abcdefghij', 'abcdefghijklmnopqrst', 10, 0, '2026-11-01 00:00:00')"
            ),
            {"t": ticket_id, "m": message_id},
        )
    upgrade(sqlite_engine)
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("SELECT edit_ratio FROM replies")).scalar_one() == pytest.approx(0.5)


def test_migrations_import_nothing_of_the_product() -> None:
    """Issue 36: revision 0013 called today's `facts.rebuild`, so an upgrade from an older database broke as soon as
    a fact read a column a later revision adds. A migration carries what it runs."""
    import ast

    versions = Path(__file__).parents[2] / "assist" / "store" / "migrations" / "versions"
    for path in sorted(versions.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not [n for n in names if n.split(".")[0] == "assist"], path.name


def test_a_workspace_upgraded_from_before_the_dashboard_facts_gets_them(sqlite_engine: Engine) -> None:
    from assist.store.models import TicketFactRow
    from tests.factories import make_ticket

    with session_scope(sqlite_engine) as session:
        ticket_id = make_ticket(session, customer=make_customer(session)).id
    downgrade(sqlite_engine, "0012")  # the facts go with their tables; the ticket stays
    upgrade(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        assert session.scalars(select(TicketFactRow.ticket_id)).all() == [ticket_id]


def test_a_downgrade_that_rebuilds_a_table_on_sqlite_keeps_the_rows_that_point_at_it(sqlite_engine: Engine) -> None:
    """Defect (issue 37): SQLite rebuilds a table to drop a column (0018's downgrade drops `kb_articles.origin`).
    With foreign keys on, dropping the old table deleted every passage that pointed at it (ON DELETE CASCADE)."""
    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO kb_articles (id, title, category, product, updated, source, body, content_hash, "
            "ingested_at, ingested_by, origin, chunk_count) VALUES ('refunds', 'Refunds', 'billing', 'all', "
            "'2026-10-01', 'refunds.md', 'Refunds take 5 days.', 'h', '2026-10-01 09:00:00', 'admin@example.com', "
            "'files', 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO kb_chunks (id, article_id, position, heading, text) "
            "VALUES ('refunds:0', 'refunds', 0, '', 'Refunds take 5 days.')"
        )
    downgrade(sqlite_engine, "0016")
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM kb_chunks").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again for the next user
    upgrade(sqlite_engine)
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT origin FROM kb_articles").scalar() == "files"
