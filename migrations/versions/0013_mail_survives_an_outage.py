"""mail survives an outage: a failing mail is retried for 72 hours before it is dead

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

`failing_since` is the first failure of a mail's current run of failures; a mail that cannot be
sent for now (server unreachable, 4xx) is dead only 72 hours after it. Mails already pending
count from their next failure.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbound_emails", sa.Column("failing_since", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("outbound_emails", "failing_since")
