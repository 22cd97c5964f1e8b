"""assist runs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 03:30:47.680744
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assist_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("ticket_version", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("top_score", sa.Float(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("category_confidence", sa.Float(), nullable=False),
        sa.Column("intent", sa.String(length=60), nullable=True),
        sa.Column("sentiment_level", sa.String(length=20), nullable=False),
        sa.Column("sentiment_score", sa.Float(), nullable=False),
        sa.Column("frustration", sa.Float(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("escalate", sa.Boolean(), nullable=False),
        sa.Column("queue", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("steps_ms", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assist_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assist_runs_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_assist_runs_ticket_version", ["ticket_id", "ticket_version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assist_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_assist_runs_ticket_version")
        batch_op.drop_index(batch_op.f("ix_assist_runs_created_at"))

    op.drop_table("assist_runs")
