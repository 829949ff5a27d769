"""the 自评表 keeps each indicator's 方向 (越高越好 / 越低越好 / 自动) with the approved target

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03

The 自评 rows copy 类别, 名称 and 目标值 when finance approves; the unit's 方向 choice was not
copied, so scoring read every target's direction afresh and a 越低越好 chosen on the form was lost.
Rows already frozen take the choice of the declaration row at the same place with the same name
and target (the row they were copied from); any other row stays 自动.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "evaluation_indicators",
        sa.Column("direction", sa.String(8), nullable=False, server_default=""),
    )
    op.execute(
        """
        UPDATE evaluation_indicators SET direction = COALESCE((
            SELECT i.direction FROM indicators i
            WHERE i.project_id = evaluation_indicators.project_id
              AND i.position = evaluation_indicators.position
              AND i.name = evaluation_indicators.name
              AND i.target = evaluation_indicators.target
        ), '')
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("evaluation_indicators") as batch:
        batch.drop_column("direction")
