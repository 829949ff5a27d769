"""a milestone may be due some working days after its anchor (「验收合格后10个工作日内」)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-10

Working days cannot be turned into calendar days when the plan is read: how many calendar days
10 working days are depends on the holidays and 调休 days after the anchor's actual date. So
the count is kept as written, in its own column, and counted on China's calendar
(workflow/workdays.py) when the anchor has its date. Existing rows count none.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "milestones",
        sa.Column("offset_workdays", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("milestones") as batch:
        batch.drop_column("offset_workdays")
