"""the work finds its people

When each project entered its state (how long it has waited, and for whom), the kind and topic
of each message (待办, 通知, 提醒; a newer reminder of a milestone supersedes the older ones), the
messages waiting for a user's daily digest, each user's email mode instead of an on/off switch,
and the indexes that find what a user acted on (我经办的), the open milestones by due date, and the
project list's sorts and 项目类型 filter.

SQLite cannot add a NOT NULL column without a default nor change nullability without copying
the table (which a populated database with foreign keys on refuses): state_entered_at is added
with a placeholder default, filled from the audit trail, and on PostgreSQL the default is then
dropped. wants_email goes with ALTER TABLE … DROP COLUMN, which SQLite has since 3.35.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_PLACEHOLDER = "1970-01-01 00:00:00"
# The project list's sorts and its 项目类型 filter.
_LIST_INDEXES = (
    ("ix_projects_updated_at", "projects", ["updated_at"]),
    ("ix_projects_amount", "projects", ["amount"]),
    ("ix_declarations_project_type", "declarations", ["project_type"]),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column(
        "projects",
        sa.Column(
            "state_entered_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text(f"'{_PLACEHOLDER}'"),
        ),
    )
    # The last state change the audit trail records, or the creation for a project never moved.
    op.execute(
        "UPDATE projects SET state_entered_at = COALESCE((SELECT max(e.at) FROM audit_events e "
        "WHERE e.project_id = projects.id AND e.to_state IS NOT NULL), created_at)"
    )
    if postgres:
        op.alter_column("projects", "state_entered_at", server_default=None)
    op.drop_index("ix_projects_state", table_name="projects")
    op.create_index("ix_projects_state_state_entered_at", "projects", ["state", "state_entered_at"])
    op.create_index("ix_audit_events_actor_id_seq", "audit_events", ["actor_id", "seq"])
    for name, table, columns in _LIST_INDEXES:
        op.create_index(name, table, columns)
    op.create_index("ix_milestones_due_open", "milestones", ["due"],
                    sqlite_where=sa.text("actual_date IS NULL"),
                    postgresql_where=sa.text("actual_date IS NULL"))  # fmt: skip

    op.add_column("notifications", sa.Column("kind", sa.String(16), nullable=False,
                                             server_default="info"))  # fmt: skip
    op.add_column("notifications", sa.Column("topic", sa.String(64), nullable=True))
    for column in ("superseded", "mail_pending"):
        op.add_column("notifications", sa.Column(column, sa.Boolean(), nullable=False,
                                                 server_default=sa.false()))  # fmt: skip
    op.execute(
        "UPDATE notifications SET kind = 'reminder', topic = (SELECT CASE WHEN r.milestone_id "
        "IS NOT NULL THEN 'milestone:' || r.milestone_id ELSE 'evaluation:' || r.project_id END "
        "FROM reminders r WHERE r.id = notifications.reminder_id) WHERE reminder_id IS NOT NULL"
    )
    op.create_index("ix_notifications_user_id_topic", "notifications", ["user_id", "topic"])
    op.execute(  # with the index above, one lookup per message
        "UPDATE notifications SET superseded = true WHERE topic IS NOT NULL AND id < (SELECT "
        "max(n.id) FROM notifications n WHERE n.user_id = notifications.user_id "
        "AND n.topic = notifications.topic)"
    )
    op.create_index("ix_notifications_user_id_id", "notifications", ["user_id", "id"])
    op.create_index("ix_notifications_project_id", "notifications", ["project_id"])
    op.create_index("ix_notifications_mail_pending", "notifications", ["user_id"],
                    sqlite_where=sa.text("mail_pending"),
                    postgresql_where=sa.text("mail_pending"))  # fmt: skip

    op.add_column("users", sa.Column("email_mode", sa.String(16), nullable=False,
                                     server_default="digest"))  # fmt: skip
    op.execute("UPDATE users SET email_mode = 'off' WHERE NOT wants_email")
    op.drop_column("users", "wants_email")


def downgrade() -> None:
    op.add_column("users", sa.Column("wants_email", sa.Boolean(), nullable=False,
                                     server_default=sa.true()))  # fmt: skip
    op.execute("UPDATE users SET wants_email = false WHERE email_mode = 'off'")
    op.drop_column("users", "email_mode")

    for name in ("mail_pending", "project_id", "user_id_topic", "user_id_id"):
        op.drop_index(f"ix_notifications_{name}", table_name="notifications")
    for column in ("mail_pending", "superseded", "topic", "kind"):
        op.drop_column("notifications", column)

    op.drop_index("ix_milestones_due_open", table_name="milestones")
    for name, table, _ in _LIST_INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_index("ix_audit_events_actor_id_seq", table_name="audit_events")
    op.drop_index("ix_projects_state_state_entered_at", table_name="projects")
    op.create_index("ix_projects_state", "projects", ["state"])
    op.drop_column("projects", "state_entered_at")
