"""dashboard facts kept on write: per-ticket items and their rollups by day x category x assignee

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_facts",
        sa.Column("ticket_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("response_h", sa.Float(), nullable=True),
        sa.Column("top_score", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id"),
    )
    op.create_index("ix_ticket_facts_day", "ticket_facts", ["day", "category", "assignee_id"])
    op.create_index("ix_ticket_facts_created", "ticket_facts", ["created_at"])
    op.create_index(
        "ix_ticket_facts_response", "ticket_facts", ["response_h", "day", "category", "assignee_id", "ticket_id"]
    )
    op.create_table(
        "ticket_fact_items",
        sa.Column("ticket_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("extra", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", "measure", "label"),
    )
    op.create_table(
        "fact_rollups",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("assignee_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("extra", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("day", "category", "assignee_id", "measure", "label"),
    )
    op.create_index("ix_fact_rollups_measure_day", "fact_rollups", ["measure", "day"])
    op.create_table(
        "ticket_counts",
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("priority", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("assignee_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", "priority", "category", "assignee_id"),
    )
    op.create_index("ix_tickets_priority_order", "tickets", [sa.text("priority DESC"), "created_at", "id"])
    if op.get_bind().dialect.name == "postgresql":
        _trigram_search_indexes()
    # A workspace that already has tickets gets its facts computed once the whole upgrade has run
    # (`assist.store.db.upgrade`, with the code that matches the schema it ends at), not here: today's fact
    # queries may read columns later revisions add.


def _trigram_search_indexes() -> None:
    """Inbox search is a substring match (ILIKE '%term%'); on PostgreSQL, trigram indexes answer it without
    reading every ticket. pg_trgm ships with PostgreSQL and is a trusted extension (a database owner may
    create it); where it cannot be created, search still works, by scanning."""
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        return
    for table, column in TRIGRAM_COLUMNS:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)")


TRIGRAM_COLUMNS = (("tickets", "subject"), ("tickets", "preview"), ("customers", "name"), ("customers", "email"))


def downgrade() -> None:
    for table, column in TRIGRAM_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
    op.drop_index("ix_tickets_priority_order", "tickets")
    op.drop_table("ticket_counts")
    op.drop_table("fact_rollups")
    op.drop_table("ticket_fact_items")
    op.drop_table("ticket_facts")
