"""knowledge sources: each article records the source it came from, so a sync removes only that source's

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-04 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kb_articles") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=100), server_default="files", nullable=False))
        batch.create_index("ix_kb_articles_origin", ["origin"])


def downgrade() -> None:
    with op.batch_alter_table("kb_articles") as batch:
        batch.drop_index("ix_kb_articles_origin")
        batch.drop_column("origin")
