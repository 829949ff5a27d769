"""audit events are append-only in the database

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from alembic import op

from workflow.audit import append_only

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    append_only.install(op.get_bind(), append_only.COLUMNS_0007)  # the table's columns then


def downgrade() -> None:
    append_only.remove(op.get_bind())
