"""fast at a province's scale

Each milestone's deadline is stored (its own due, or its anchor's actual date plus the offset;
NULL while the anchor has not happened), so that the reminder run and the 工作台 find what falls
due on an index instead of reading every open milestone and its anchor. The open milestones are
indexed by that deadline instead of the due date. Relative ones are filled in Python: SQLite's
date arithmetic does not clip 29 February + 1 year to the 28th as dateutil (and the app) does.

Every foreign key gets an index (PostgreSQL does not make one: deleting a project's milestones
scanned every milestone, reminder and notification referring to them), and so do the lists'
remaining sorts and filters: the list's sorts end with the id that breaks their ties (its keyset
pages walk them; they replace the single-column ones) and one state's projects come newest first;
a unit's latest project (its people prefill a new declaration), the
projects waiting longest (sort 等待), the self-evaluations pending by state and year (reminders,
工作台), and 我的消息 filtered by kind (待办, 提醒).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op
from dateutil.relativedelta import relativedelta

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_OPEN = "actual_date IS NULL"
#: the list's single-column sort indexes (0001, 0008), replaced by ones that end with the id
_REPLACED = (
    ("ix_projects_updated_at", "projects", ["updated_at"]),
    ("ix_projects_amount", "projects", ["amount"]),
    ("ix_projects_year", "projects", ["year"]),
)
_INDEXES = (
    # foreign keys
    ("ix_milestones_anchor_id", "milestones", ["anchor_id"]),
    ("ix_reminders_milestone_id", "reminders", ["milestone_id"]),
    ("ix_notifications_reminder_id", "notifications", ["reminder_id"]),
    ("ix_projects_created_by_id", "projects", ["created_by_id"]),
    ("ix_projects_submitted_by_id", "projects", ["submitted_by_id"]),
    ("ix_projects_last_transition_by_id", "projects", ["last_transition_by_id"]),
    ("ix_scoring_template_choices_set_by_id", "scoring_template_choices", ["set_by_id"]),
    # sorts and filters
    ("ix_projects_unit_id_created_at", "projects", ["unit_id", "created_at"]),
    # the list's sorts, each with the id that breaks its ties (its keyset pages walk them), and
    # one state's projects newest first (the state filter)
    ("ix_projects_state_entered_at_id", "projects", ["state_entered_at", "id"]),
    ("ix_projects_updated_at_id", "projects", ["updated_at", "id"]),
    ("ix_projects_amount_id", "projects", ["amount", "id"]),
    ("ix_projects_year_id", "projects", ["year", "id"]),
    ("ix_projects_state_updated_at_id", "projects", ["state", "updated_at", "id"]),
    ("ix_projects_state_year", "projects", ["state", "year"]),
    ("ix_notifications_user_id_kind_id", "notifications", ["user_id", "kind", "id"]),
)


def upgrade() -> None:
    op.add_column("milestones", sa.Column("deadline", sa.Date(), nullable=True))
    op.execute("UPDATE milestones SET deadline = due WHERE anchor_id IS NULL")
    _fill_relative_deadlines()
    op.drop_index("ix_milestones_due_open", table_name="milestones")
    op.create_index("ix_milestones_deadline_open", "milestones", ["deadline"],
                    sqlite_where=sa.text(_OPEN), postgresql_where=sa.text(_OPEN))  # fmt: skip
    for name, table, _ in _REPLACED:
        op.drop_index(name, table_name=table)
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def _fill_relative_deadlines() -> None:
    """A due counted from another milestone: its actual date plus the offset (as
    Milestone.effective_due computes it), where that milestone has happened."""
    conn = op.get_bind()
    query = sa.text(
        "SELECT m.id, a.actual_date, m.offset_years, m.offset_months, m.offset_days "
        "FROM milestones m JOIN milestones a ON a.id = m.anchor_id "
        "WHERE a.actual_date IS NOT NULL"
    ).columns(sa.column("id", sa.Integer), sa.column("actual_date", sa.Date),
              sa.column("offset_years", sa.Integer), sa.column("offset_months", sa.Integer),
              sa.column("offset_days", sa.Integer))  # fmt: skip
    values = []
    for id_, actual, years, months, days in conn.execute(query):
        try:
            deadline = actual + relativedelta(years=years, months=months, days=days)
        except (OverflowError, ValueError):  # past the year 9999: no date anyone can meet
            continue
        values.append({"id": id_, "deadline": deadline})
    if values:
        update = sa.text("UPDATE milestones SET deadline = :deadline WHERE id = :id")
        conn.execute(update.bindparams(sa.bindparam("deadline", type_=sa.Date)), values)


def downgrade() -> None:
    for name, table, _ in _INDEXES:
        op.drop_index(name, table_name=table)
    for name, table, columns in _REPLACED:
        op.create_index(name, table, columns)
    op.drop_index("ix_milestones_deadline_open", table_name="milestones")
    op.create_index("ix_milestones_due_open", "milestones", ["due"],
                    sqlite_where=sa.text(_OPEN), postgresql_where=sa.text(_OPEN))  # fmt: skip
    op.drop_column("milestones", "deadline")
