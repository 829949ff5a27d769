"""the 绩效指标库: indicators, the 项目类型 each suits, and finance's 核心指标 marks

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03

Empty here: `jixiao init-db` (and the demo) fill an empty library with the 投入 共性指标 and the
seed forms' indicators (workflow/library/operations.py: seed_rows).
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "library_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("explanation", sa.String(length=1000), nullable=False),
        sa.Column("evidence", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_indicators")),
        sa.UniqueConstraint("category", "name", name="uq_library_indicators_category_name"),
    )
    op.create_index("ix_library_indicators_name", "library_indicators", ["name"])
    op.create_table(
        "library_indicator_types",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("project_type", sa.String(length=40), nullable=False),
        sa.Column("core", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["library_indicators.id"],
            name=op.f("fk_library_indicator_types_indicator_id_library_indicators"),
        ),  # fmt: skip
        sa.PrimaryKeyConstraint(
            "indicator_id", "project_type", name=op.f("pk_library_indicator_types")
        ),
    )
    op.create_index(
        "ix_library_indicator_types_project_type",
        "library_indicator_types",
        ["project_type", "indicator_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_library_indicator_types_project_type", "library_indicator_types")
    op.drop_table("library_indicator_types")
    op.drop_index("ix_library_indicators_name", "library_indicators")
    op.drop_table("library_indicators")
