"""绩效运行监控: rounds, the units they cover, the 监控表 and their indicator rows (issue 17)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

TEXT = 1000  # workflow/text.py CELL_MAX


def upgrade() -> None:
    op.create_table(
        "monitoring_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("cutoff", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("rules", sa.String(length=32), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["opened_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "name", name="uq_monitoring_rounds_year_name"),
    )
    op.create_index("ix_monitoring_rounds_opened_by_id", "monitoring_rounds", ["opened_by_id"])
    op.create_table(
        "monitoring_round_units",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["monitoring_rounds.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("round_id", "unit_id"),
    )
    op.create_index("ix_monitoring_round_units_unit_id", "monitoring_round_units", ["unit_id"])
    op.create_table(
        "monitoring_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("executed", sa.BigInteger(), nullable=True),
        sa.Column("forecast", sa.BigInteger(), nullable=True),
        sa.Column("cause", sa.String(length=16), nullable=False),
        sa.Column("explanation", sa.String(length=TEXT), nullable=False),
        sa.Column("measures", sa.String(length=TEXT), nullable=False),
        sa.Column("light", sa.String(length=8), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["monitoring_rounds.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "project_id", name="uq_monitoring_reports_once"),
    )
    op.create_index("ix_monitoring_reports_project_id", "monitoring_reports", ["project_id"])
    op.create_index("ix_monitoring_reports_round_id_state", "monitoring_reports",
                    ["round_id", "state"])  # fmt: skip
    op.create_table(
        "monitoring_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=TEXT), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("actual", sa.String(length=200), nullable=False),
        sa.Column("forecast", sa.String(length=200), nullable=False),
        sa.Column("likelihood", sa.String(length=8), nullable=False),
        sa.Column("cause", sa.String(length=16), nullable=False),
        sa.Column("explanation", sa.String(length=TEXT), nullable=False),
        sa.Column("measures", sa.String(length=TEXT), nullable=False),
        sa.Column("light", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["monitoring_reports.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_monitoring_indicators_report_id", "monitoring_indicators",
                    ["report_id", "position"])  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_monitoring_indicators_report_id", table_name="monitoring_indicators")
    op.drop_table("monitoring_indicators")
    op.drop_index("ix_monitoring_reports_round_id_state", table_name="monitoring_reports")
    op.drop_index("ix_monitoring_reports_project_id", table_name="monitoring_reports")
    op.drop_table("monitoring_reports")
    op.drop_index("ix_monitoring_round_units_unit_id", table_name="monitoring_round_units")
    op.drop_table("monitoring_round_units")
    op.drop_index("ix_monitoring_rounds_opened_by_id", table_name="monitoring_rounds")
    op.drop_table("monitoring_rounds")
