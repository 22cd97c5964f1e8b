"""draft band: the badge each draft was shown with, stored with it, now that the badge reads more than the
confidence (how clearly the stated sentence stands out of its article), so the funnel's "Confidence band" counts the
badge agents saw

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 22:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("band", sa.String(20), nullable=True))
    # Until now the badge read the shown confidence alone: "likely sent" from 0.75, no figure for a draft that states
    # no answer (a closing reply had no figure either; the funnel counts both as one).
    op.execute(
        "UPDATE drafts SET band = CASE WHEN confidence <= 0 THEN 'no_answer' "
        "WHEN confidence >= 0.75 THEN 'likely_sent' ELSE 'check' END"
    )
    with op.batch_alter_table("drafts") as batch:
        batch.alter_column("band", existing_type=sa.String(20), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("band")
