"""a holiday calendar the 系统管理员 maintains, for the years chinese-calendar does not know

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

`calendar_days` holds one row per day that is not what its weekday says: a 放假 day
(`holiday`) or a 调休上班 day (`workday`). `calendar_years` holds one row per year the admin
has entered, with its counts of each and a random stamp replaced on every change: the processes
that hold a year's days (web workers, the scheduler) compare stamps instead of reloading the
days. A stamp, not a counter: a database restored from a backup cannot repeat one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("holidays", sa.Integer(), nullable=False),
        sa.Column("workdays", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_calendar_years_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )
    with op.batch_alter_table("calendar_years", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_years_updated_by_id"), ["updated_by_id"], unique=False
        )

    op.create_table(
        "calendar_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('holiday', 'workday')", name=op.f("ck_calendar_days_kind")),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_calendar_days_entered_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_days")),
        sa.UniqueConstraint("day", name=op.f("uq_calendar_days_day")),
    )
    with op.batch_alter_table("calendar_days", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_days_entered_by_id"), ["entered_by_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("calendar_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_days_entered_by_id"))
    op.drop_table("calendar_days")
    with op.batch_alter_table("calendar_years", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_years_updated_by_id"))
    op.drop_table("calendar_years")
