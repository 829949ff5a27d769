"""The 监控表's own workflow (states.yaml `workflows: monitoring`): who submitted it and who moved
it last, for the four-eyes guards and the messages; rounds by due date, for the reminders
(issue 17)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

COLUMNS = ("submitted_by_id", "last_transition_by_id")


def upgrade() -> None:
    op.create_index("ix_monitoring_rounds_due", "monitoring_rounds", ["due"])
    with op.batch_alter_table("monitoring_reports") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
            batch.create_foreign_key(f"fk_monitoring_reports_{name}", "users", [name], ["id"])
            batch.create_index(f"ix_monitoring_reports_{name}", [name])


def downgrade() -> None:
    with op.batch_alter_table("monitoring_reports") as batch:
        for name in COLUMNS:
            batch.drop_index(f"ix_monitoring_reports_{name}")
            batch.drop_constraint(f"fk_monitoring_reports_{name}", type_="foreignkey")
            batch.drop_column(name)
    op.drop_index("ix_monitoring_rounds_due", table_name="monitoring_rounds")
