"""预警规则 chosen per unit and year as scoring templates are, and the lights file each 监控表 is
read with (the round's until now) (issue 17)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lights_rule_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("rules", sa.String(length=32), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "unit_id IS NOT NULL OR year IS NOT NULL",
            name=op.f("ck_lights_rule_choices_unit_or_year"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["users.id"], name=op.f("fk_lights_rule_choices_set_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_lights_rule_choices_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lights_rule_choices")),
        sa.UniqueConstraint("unit_id", "year", name=op.f("uq_lights_rule_choices_unit_id")),
    )
    op.create_index(
        "uq_lights_rule_choices_unit_only", "lights_rule_choices", ["unit_id"], unique=True,
        sqlite_where=sa.text("year IS NULL"), postgresql_where=sa.text("year IS NULL"),
    )  # fmt: skip
    op.create_index(
        "uq_lights_rule_choices_year_only", "lights_rule_choices", ["year"], unique=True,
        sqlite_where=sa.text("unit_id IS NULL"), postgresql_where=sa.text("unit_id IS NULL"),
    )  # fmt: skip
    op.create_index("ix_lights_rule_choices_set_by_id", "lights_rule_choices", ["set_by_id"])
    with op.batch_alter_table("monitoring_reports") as batch:
        batch.add_column(sa.Column("rules", sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE monitoring_reports SET rules = (SELECT r.rules FROM monitoring_rounds r"
        " WHERE r.id = monitoring_reports.round_id)"
    )
    with op.batch_alter_table("monitoring_reports") as batch:
        batch.alter_column("rules", existing_type=sa.String(length=32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("monitoring_reports") as batch:
        batch.drop_column("rules")
    op.drop_index("ix_lights_rule_choices_set_by_id", table_name="lights_rule_choices")
    op.drop_index("uq_lights_rule_choices_year_only", table_name="lights_rule_choices")
    op.drop_index("uq_lights_rule_choices_unit_only", table_name="lights_rule_choices")
    op.drop_table("lights_rule_choices")
