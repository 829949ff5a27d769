"""The 自评表's score and grade as the unit signed it (for the dashboard's grades, issue 17)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03

Evaluations signed before this revision have no stored score: `jixiao rescore` records it
(it runs the scoring engine, which a migration must not import).
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("self_evaluations") as batch:
        batch.add_column(sa.Column("score", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("score_points", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("grade", sa.String(length=16), nullable=True))
    op.create_index("ix_self_evaluations_grade", "self_evaluations", ["grade"])


def downgrade() -> None:
    op.drop_index("ix_self_evaluations_grade", table_name="self_evaluations")
    with op.batch_alter_table("self_evaluations") as batch:
        batch.drop_column("grade")
        batch.drop_column("score_points")
        batch.drop_column("score")
