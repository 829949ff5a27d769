"""会签: each approval of a transition that needs several, by round (issue 16)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03

A vote counts in the round it was cast in (`round_at`, when the project entered its state); the
unique key keeps anyone from voting twice in a round.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approval_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=64), nullable=False),
        sa.Column("round_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "project_id", "trigger", "round_at", "user_id", name="uq_approval_votes_once"
        ),
    )
    op.create_index("ix_approval_votes_user_id", "approval_votes", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_approval_votes_user_id", table_name="approval_votes")
    op.drop_table("approval_votes")
