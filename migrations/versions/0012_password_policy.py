"""password policy

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

The password policy: when each password was set (counted from the upgrade for existing
users, so nobody is forced on the day of the upgrade), one-time passwords to replace, and the
hashes of earlier passwords.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

from workflow.db import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "password_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_history_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_history")),
    )
    with op.batch_alter_table("password_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_history_user_id"), ["user_id"], unique=False)

    # Plain ADD COLUMN, not a batch copy of `users`: on SQLite that drops the table, which the
    # rows referring to users forbid.
    op.add_column("users", sa.Column("password_changed_at", sa.DateTime(timezone=True)))
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    upgraded = sa.bindparam("now", dt.datetime.now(dt.UTC), type_=UTCDateTime())
    op.execute(sa.text("UPDATE users SET password_changed_at = :now").bindparams(upgraded))


def downgrade() -> None:
    op.drop_column("users", "must_change_password")
    op.drop_column("users", "password_changed_at")

    with op.batch_alter_table("password_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_history_user_id"))

    op.drop_table("password_history")
