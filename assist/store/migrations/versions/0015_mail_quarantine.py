"""mail quarantine: a message that could not be stored is kept with its reason, and the poll moves on;
messages indexed by external id (mail threading looks a Message-ID up across all tickets)

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("mailbox", sa.String(length=400), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retried_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
    )
    op.create_index("ix_mail_quarantine_quarantined_at", "mail_quarantine", ["quarantined_at"])
    op.create_index("ix_messages_external_id", "messages", ["external_id"])


def downgrade() -> None:
    op.drop_index("ix_messages_external_id", table_name="messages")
    op.drop_index("ix_mail_quarantine_quarantined_at", table_name="mail_quarantine")
    op.drop_table("mail_quarantine")
