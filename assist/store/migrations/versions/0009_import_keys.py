"""idempotent imports: external message ids, CSAT import keys

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint("uq_messages_ticket_external", ["ticket_id", "external_id"])
    with op.batch_alter_table("csat_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_csat_responses_import_key", ["import_key"])


def downgrade() -> None:
    with op.batch_alter_table("csat_responses", schema=None) as batch_op:
        batch_op.drop_constraint("uq_csat_responses_import_key", type_="unique")
        batch_op.drop_column("import_key")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint("uq_messages_ticket_external", type_="unique")
        batch_op.drop_column("external_id")
