"""三员分立: the security policy the 安全管理员 sets, the audit checks the 安全审计员 reads

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

The 管理员 role becomes the 系统管理员 (the stored value stays "admin"); the 安全管理员
("security_admin") and the 安全审计员 ("auditor") are new roles, given with
`jixiao create-user --role security_admin` / `--role auditor` after the upgrade. Indexes serve
the auditor's filters on the audit trail and the login log.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "security_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("password_max_age_days", sa.Integer(), nullable=False),
        sa.Column("password_history", sa.Integer(), nullable=False),
        sa.Column("session_idle_minutes", sa.Integer(), nullable=False),
        sa.Column("session_max_hours", sa.Integer(), nullable=False),
        sa.Column("lockout_failures", sa.Integer(), nullable=False),
        sa.Column("lockout_minutes", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_security_policy_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_policy")),
    )
    with op.batch_alter_table("security_policy") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_security_policy_updated_by_id"), ["updated_by_id"], unique=False
        )
    op.create_table(
        "audit_verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("checkpoints", sa.Integer(), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=True),
        sa.Column("head_hash", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_verifications")),
    )
    with op.batch_alter_table("audit_verifications") as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_verifications_at"), ["at"], unique=False)
    op.create_index("ix_audit_events_action_seq", "audit_events", ["action", "seq"])
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_login_records_result_at", "login_records", ["result", "at"])
    op.create_index("ix_login_records_remote_addr_at", "login_records", ["remote_addr", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_records_remote_addr_at", "login_records")
    op.drop_index("ix_login_records_result_at", "login_records")
    op.drop_index("ix_audit_events_at", "audit_events")
    op.drop_index("ix_audit_events_action_seq", "audit_events")
    op.drop_table("audit_verifications")
    op.drop_table("security_policy")
