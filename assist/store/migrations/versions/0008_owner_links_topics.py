"""one owner (the ticket's assignee), article URLs, ticket topic vectors

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An escalation's owner was kept twice (here and as the ticket's assignee) and the two drifted.
    op.execute(
        "UPDATE tickets SET assignee_id = (SELECT owner_id FROM escalations e WHERE e.ticket_id = tickets.id "
        "AND e.owner_id IS NOT NULL AND e.state IN ('open', 'taken') ORDER BY e.id DESC LIMIT 1) "
        "WHERE id IN (SELECT ticket_id FROM escalations WHERE owner_id IS NOT NULL AND state IN ('open', 'taken'))"
    )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_column("owner_id")
    with op.batch_alter_table("kb_articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("url", sa.String(length=500), nullable=True))
    op.create_table(
        "ticket_topics",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id"),
    )


def downgrade() -> None:
    op.drop_table("ticket_topics")
    with op.batch_alter_table("kb_articles", schema=None) as batch_op:
        batch_op.drop_column("url")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_escalations_owner_id_users", "users", ["owner_id"], ["id"])
