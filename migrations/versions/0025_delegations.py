"""委托: delegations while someone is away, and who cast a 会签 vote in another's name (issue 16)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delegator_id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("end_note", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["delegator_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["delegate_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["ended_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delegations_delegate_id_ends_on", "delegations",
                    ["delegate_id", "ends_on"])  # fmt: skip
    op.create_index("ix_delegations_delegator_id_ends_on", "delegations",
                    ["delegator_id", "ends_on"])  # fmt: skip
    op.create_index("ix_delegations_created_by_id", "delegations", ["created_by_id"])
    op.create_index("ix_delegations_ended_by_id", "delegations", ["ended_by_id"])
    with op.batch_alter_table("approval_votes") as batch:
        batch.add_column(sa.Column("acted_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_approval_votes_acted_by_id", "users", ["acted_by_id"], ["id"])
        batch.create_index("ix_approval_votes_acted_by_id", ["acted_by_id"])


def downgrade() -> None:
    with op.batch_alter_table("approval_votes") as batch:
        batch.drop_index("ix_approval_votes_acted_by_id")
        batch.drop_constraint("fk_approval_votes_acted_by_id", type_="foreignkey")
        batch.drop_column("acted_by_id")
    for name in ("ended_by_id", "created_by_id", "delegator_id_ends_on", "delegate_id_ends_on"):
        op.drop_index(f"ix_delegations_{name}", table_name="delegations")
    op.drop_table("delegations")
