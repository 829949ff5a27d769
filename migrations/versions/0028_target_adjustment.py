"""绩效目标调整: proposals and their changes, the versions of each project's yardstick, the
year's deadline for proposals; the 子项目's approved amount kept with the yardstick (issue 17)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

TEXT = 1000  # workflow/text.py CELL_MAX


def upgrade() -> None:
    op.create_table(
        "target_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=TEXT), nullable=False),
        sa.Column("base_number", sa.Integer(), nullable=False),
        sa.Column("result_number", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("last_transition_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["last_transition_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in (("project_id_state", ["project_id", "state"]), ("state", ["state"]),
                          ("created_by_id", ["created_by_id"]),
                          ("submitted_by_id", ["submitted_by_id"]),
                          ("last_transition_by_id", ["last_transition_by_id"])):  # fmt: skip
        op.create_index(f"ix_target_adjustments_{name}", "target_adjustments", columns)
    op.create_table(
        "adjustment_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("adjustment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=TEXT), nullable=False),
        sa.Column("old_value", sa.String(length=200), nullable=False),
        sa.Column("new_value", sa.String(length=200), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=TEXT), nullable=False),
        sa.ForeignKeyConstraint(["adjustment_id"], ["target_adjustments.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_adjustment_changes_adjustment_id", "adjustment_changes",
                    ["adjustment_id", "position"])  # fmt: skip
    op.create_table(
        "yardstick_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("adjustment_id", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.ForeignKeyConstraint(["adjustment_id"], ["target_adjustments.id"]),
        sa.ForeignKeyConstraint(["approved_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "number", name="uq_yardstick_versions_number"),
    )
    op.create_index("ix_yardstick_versions_adjustment_id", "yardstick_versions",
                    ["adjustment_id"])  # fmt: skip
    op.create_index("ix_yardstick_versions_approved_by_id", "yardstick_versions",
                    ["approved_by_id"])  # fmt: skip
    op.create_table(
        "adjustment_deadlines",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["set_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_index("ix_adjustment_deadlines_set_by_id", "adjustment_deadlines", ["set_by_id"])
    with op.batch_alter_table("evaluation_fund_items") as batch:
        batch.add_column(sa.Column("planned", sa.BigInteger(), nullable=True))
    # the amount each 子项目 was approved with: the declaration's, where the row still matches
    op.execute(
        "UPDATE evaluation_fund_items SET planned = (SELECT f.amount FROM fund_items f"
        " WHERE f.project_id = evaluation_fund_items.project_id"
        " AND f.position = evaluation_fund_items.position"
        " AND f.name = evaluation_fund_items.name)"
    )


def downgrade() -> None:
    with op.batch_alter_table("evaluation_fund_items") as batch:
        batch.drop_column("planned")
    op.drop_index("ix_adjustment_deadlines_set_by_id", table_name="adjustment_deadlines")
    op.drop_table("adjustment_deadlines")
    for name in ("adjustment_id", "approved_by_id"):
        op.drop_index(f"ix_yardstick_versions_{name}", table_name="yardstick_versions")
    op.drop_table("yardstick_versions")
    op.drop_index("ix_adjustment_changes_adjustment_id", table_name="adjustment_changes")
    op.drop_table("adjustment_changes")
    for name in ("project_id_state", "state", "created_by_id", "submitted_by_id",
                 "last_transition_by_id"):  # fmt: skip
        op.drop_index(f"ix_target_adjustments_{name}", table_name="target_adjustments")
    op.drop_table("target_adjustments")
