"""draft views: the first time an agent had each draft in front of them, so the draft funnel counts drafts shown

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 19:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "draft_views",
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("shown_to_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_draft_views_shown_at", "draft_views", ["shown_at"])
    op.create_index("ix_draft_views_ticket_id", "draft_views", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_draft_views_ticket_id", table_name="draft_views")
    op.drop_index("ix_draft_views_shown_at", table_name="draft_views")
    op.drop_table("draft_views")
