"""scoring template choices

The admin's rules choosing a scoring template per unit, per year or per unit and year, and the
template recorded on a closed project's self-evaluation. NULLs never collide in a unique
constraint (SQLite and PostgreSQL alike), so the unit-only and year-only rules get a partial
unique index each; a rule must name a unit or a year.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_template_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "unit_id IS NOT NULL OR year IS NOT NULL",
            name=op.f("ck_scoring_template_choices_unit_or_year"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["users.id"], name=op.f("fk_scoring_template_choices_set_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_scoring_template_choices_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_template_choices")),
        sa.UniqueConstraint("unit_id", "year", name=op.f("uq_scoring_template_choices_unit_id")),
    )
    with op.batch_alter_table("scoring_template_choices", schema=None) as batch_op:
        batch_op.create_index(
            "uq_scoring_template_choices_unit_only",
            ["unit_id"],
            unique=True,
            sqlite_where=sa.text("year IS NULL"),
            postgresql_where=sa.text("year IS NULL"),
        )
        batch_op.create_index(
            "uq_scoring_template_choices_year_only",
            ["year"],
            unique=True,
            sqlite_where=sa.text("unit_id IS NULL"),
            postgresql_where=sa.text("unit_id IS NULL"),
        )

    with op.batch_alter_table("self_evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scoring_template", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("self_evaluations", schema=None) as batch_op:
        batch_op.drop_column("scoring_template")

    with op.batch_alter_table("scoring_template_choices", schema=None) as batch_op:
        batch_op.drop_index("uq_scoring_template_choices_year_only")
        batch_op.drop_index("uq_scoring_template_choices_unit_only")

    op.drop_table("scoring_template_choices")
