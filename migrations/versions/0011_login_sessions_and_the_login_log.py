"""login sessions and the login log

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Server-side sessions (logout and timeouts end them on every node), the login log kept
for the 安全审计员, and the lock-out counted per name and address.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_login_records_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_records")),
    )
    with op.batch_alter_table("login_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_records_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_records_user_id"), ["user_id"], unique=False)
        batch_op.create_index("ix_login_records_username_at", ["username", "at"], unique=False)

    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("user_version", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_login_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_sessions_token_hash")),
    )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_sessions_seen_at"), ["seen_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_sessions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_login_failures_username_remote_addr_at",
            ["username", "remote_addr", "at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_username_remote_addr_at")

    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_sessions_user_id"))
        batch_op.drop_index(batch_op.f("ix_login_sessions_seen_at"))

    op.drop_table("login_sessions")
    with op.batch_alter_table("login_records", schema=None) as batch_op:
        batch_op.drop_index("ix_login_records_username_at")
        batch_op.drop_index(batch_op.f("ix_login_records_user_id"))
        batch_op.drop_index(batch_op.f("ix_login_records_at"))

    op.drop_table("login_records")
