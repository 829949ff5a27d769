"""财政审核人 assigned to 预算单位, many to many (issue 16)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03

Empty at first: a unit assigned to nobody falls to every reviewer, which is what every unit was
before, so nobody's work changes on the day of the upgrade.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviewer_units",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id", "unit_id"),
    )
    op.create_index("ix_reviewer_units_unit_id", "reviewer_units", ["unit_id"])


def downgrade() -> None:
    op.drop_index("ix_reviewer_units_unit_id", table_name="reviewer_units")
    op.drop_table("reviewer_units")
