"""The PostgreSQL test schemas are reused (tests/conftest.py, `SchemaPool`): a schema handed to the next test holds
no row of the last one, numbers its rows from 1 again, and is never one a test altered."""

from __future__ import annotations

from sqlalchemy import text

from assist.store.db import session_scope
from assist.store.models import CustomerRow
from tests.conftest import SchemaPool, schema_engine


def _add_customer(schema: str) -> int:
    engine = schema_engine(schema)
    with session_scope(engine) as session:
        customer = CustomerRow(name="Ada", email="ada@example.com")
        session.add(customer)
        session.flush()
        added = customer.id
    engine.dispose()
    return added


def test_schemas_come_back_empty_with_their_numbering_restarted(schema_pool: SchemaPool) -> None:
    """Two at once, so that one of them is not the schema the pool learnt the migrations' shape from (a first
    version compared the foreign keys' own triggers, named by object id, and reused only that one schema)."""
    taken = [schema_pool.take(), schema_pool.take()]
    assert [_add_customer(schema) for schema in taken] == [1, 1]
    for schema in taken:
        schema_pool.give_back(schema)
    again = [schema_pool.take(), schema_pool.take()]
    try:
        assert sorted(again) == sorted(taken)  # reused, not made again
        assert [_add_customer(schema) for schema in again] == [1, 1]  # the rows are gone and ids start at 1
    finally:
        for schema in again:
            schema_pool.give_back(schema)


def test_a_schema_a_test_altered_is_dropped_not_handed_out(schema_pool: SchemaPool) -> None:
    schema = schema_pool.take()
    engine = schema_engine(schema)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE customers ADD COLUMN left_behind INTEGER"))
    engine.dispose()
    schema_pool.give_back(schema)
    fresh = schema_pool.take()
    try:
        assert fresh != schema
        engine = schema_engine(fresh)
        with engine.connect() as conn:
            columns = conn.scalars(
                text(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                    " AND table_name = 'customers'"
                )
            ).all()
            gone = conn.scalar(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": schema})
        engine.dispose()
        assert "left_behind" not in columns and gone == 0
    finally:
        schema_pool.give_back(fresh)
