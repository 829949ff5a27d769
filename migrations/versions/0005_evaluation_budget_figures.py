"""evaluation budget figures

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_fund_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("actual", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_evaluation_fund_items_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_fund_items")),
    )
    with op.batch_alter_table("evaluation_fund_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_evaluation_fund_items_project_id", ["project_id", "position"], unique=False
        )

    with op.batch_alter_table("self_evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("budget_initial", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("budget_adjustment", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("appropriated", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("paid", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("carried_over", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("recovered", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("budget_notes", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("self_evaluations", schema=None) as batch_op:
        batch_op.drop_column("budget_notes")
        batch_op.drop_column("recovered")
        batch_op.drop_column("carried_over")
        batch_op.drop_column("paid")
        batch_op.drop_column("appropriated")
        batch_op.drop_column("budget_adjustment")
        batch_op.drop_column("budget_initial")

    with op.batch_alter_table("evaluation_fund_items", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_fund_items_project_id")

    op.drop_table("evaluation_fund_items")
