"""knowledge sources as configuration: what each source syncs from, and how its last sync went

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kb_sources",
        sa.Column("name", sa.String(length=100), primary_key=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("location", sa.String(length=2000), nullable=False),
        sa.Column("branch", sa.String(length=200), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(length=320), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_outcome", sa.String(length=400), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("kb_sources")
