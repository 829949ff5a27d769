"""the audit chain is keyed: each event records how its hash was made

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

Events before this upgrade keep their unkeyed SHA-256 hashes (`alg` = 'sha256'); events
appended after it are HMAC-SHA256 with the key kept outside the database (`hmac-sha256`).
The append-only triggers are installed again so that `alg` cannot be changed either.
"""

import sqlalchemy as sa
from alembic import op

from workflow.audit import append_only

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    append_only.remove(conn)
    op.add_column(
        "audit_events",
        sa.Column("alg", sa.String(length=16), nullable=False, server_default="sha256"),
    )
    append_only.install(conn, append_only.SEALED_COLUMNS)


def downgrade() -> None:
    conn = op.get_bind()
    append_only.remove(conn)
    op.drop_column("audit_events", "alg")
    append_only.install(conn, append_only.COLUMNS_0007)
