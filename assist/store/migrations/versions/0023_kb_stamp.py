"""kb stamp: a token that changes with every knowledge-base change, so a process that caches the passages can tell a
change from a restored backup that took the generation number back to a value it has seen

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("kb_state", sa.Column("stamp", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kb_state") as batch:
        batch.drop_column("stamp")
