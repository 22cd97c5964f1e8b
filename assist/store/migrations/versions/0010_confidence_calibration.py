"""draft confidence as P(sent with light edits): raw confidence per draft, edit ratio per reply, recalibrations

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("raw_confidence", sa.Float(), nullable=True))
    with op.batch_alter_table("replies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edit_ratio", sa.Float(), nullable=True))
    # Sends recorded before this revision: the ratio from the texts they kept (same definition as on send).
    op.execute(
        "UPDATE replies SET edit_ratio = CAST(edit_distance AS FLOAT) / "
        "(CASE WHEN length(draft_text) > length(sent_text) THEN length(draft_text) ELSE length(sent_text) END) "
        "WHERE edit_distance IS NOT NULL AND draft_text IS NOT NULL "
        "AND (length(draft_text) > 0 OR length(sent_text) > 0)"
    )
    op.create_table(
        "confidence_calibrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slope", sa.Float(), nullable=False),
        sa.Column("intercept", sa.Float(), nullable=False),
        sa.Column("sends", sa.Integer(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("confidence_calibrations")
    with op.batch_alter_table("replies", schema=None) as batch_op:
        batch_op.drop_column("edit_ratio")
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_column("raw_confidence")
