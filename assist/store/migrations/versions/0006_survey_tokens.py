"""survey tokens

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 04:14:54.873544
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_tokens",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("nonce"),
    )
    with op.batch_alter_table("survey_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_tokens_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_tokens_ticket_id"))

    op.drop_table("survey_tokens")
