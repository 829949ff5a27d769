"""evaluation indicators

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("actual", sa.String(length=200), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("claimed", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_evaluation_indicators_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_indicators")),
    )
    with op.batch_alter_table("evaluation_indicators", schema=None) as batch_op:
        batch_op.create_index(
            "ix_evaluation_indicators_project_id", ["project_id", "position"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("evaluation_indicators", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_indicators_project_id")

    op.drop_table("evaluation_indicators")
