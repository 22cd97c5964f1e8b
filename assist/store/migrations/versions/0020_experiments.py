"""experiments: a holdout of new tickets that get no draft and no articles, and each ticket's arm

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "experiments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by", sa.String(length=320), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_by", sa.String(length=320), nullable=True),
        # 1 while running, NULL once stopped: the unique index lets one experiment run at a time.
        sa.Column("running", sa.Integer(), nullable=True),
        sa.UniqueConstraint("running", name="uq_experiments_running"),
    )
    # Plain ADD COLUMNs, the foreign key inline: no copy of the tickets table, however many it holds (alembic
    # would copy it in SQLite to add the key, and its copy loses the expression index on priority).
    op.add_column("tickets", sa.Column("arm", sa.String(length=10), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE tickets ADD COLUMN experiment_id INTEGER REFERENCES experiments (id)")
    else:
        op.add_column(
            "tickets", sa.Column("experiment_id", sa.Integer(), sa.ForeignKey("experiments.id"), nullable=True)
        )
    op.create_index("ix_tickets_experiment_arm", "tickets", ["experiment_id", "arm"])


def downgrade() -> None:
    op.drop_index("ix_tickets_experiment_arm", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("experiment_id")
        batch.drop_column("arm")
    if op.get_bind().dialect.name == "sqlite":  # SQLite's copy of the table left the expression index behind
        op.execute("CREATE INDEX IF NOT EXISTS ix_tickets_priority_order ON tickets (priority DESC, created_at, id)")
    op.drop_table("experiments")
