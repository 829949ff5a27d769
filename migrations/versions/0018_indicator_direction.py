"""a 分解目标 row may say which way is better: 越高越好 / 越低越好 / 自动 (issue 15)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04

`direction` is "higher", "lower", or empty for 自动 (read from the 目标值's operator and the
indicator's name). Existing rows become 自动, which is what they were read as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "indicators", sa.Column("direction", sa.String(8), nullable=False, server_default="")
    )


def downgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.drop_column("direction")
