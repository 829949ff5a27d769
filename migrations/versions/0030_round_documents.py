"""A round's PDF report (绩效运行监控报告) among the rendered documents: a document belongs to a
project or to a monitoring round, never both (issue 17)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rendered_documents") as batch:
        batch.alter_column("project_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_rendered_documents_round_id_monitoring_rounds"),
            "monitoring_rounds", ["round_id"], ["id"],
        )  # fmt: skip
        batch.create_unique_constraint(
            op.f("uq_rendered_documents_round_id"), ["round_id", "kind", "sha256"]
        )
        batch.create_check_constraint(
            op.f("ck_rendered_documents_one_owner"), "(project_id IS NULL) <> (round_id IS NULL)"
        )


def downgrade() -> None:
    op.execute("DELETE FROM rendered_documents WHERE round_id IS NOT NULL")
    with op.batch_alter_table("rendered_documents") as batch:
        batch.drop_constraint(op.f("ck_rendered_documents_one_owner"), type_="check")
        batch.drop_constraint(op.f("uq_rendered_documents_round_id"), type_="unique")
        batch.drop_constraint(
            op.f("fk_rendered_documents_round_id_monitoring_rounds"), type_="foreignkey"
        )
        batch.drop_column("round_id")
        batch.alter_column("project_id", existing_type=sa.Integer(), nullable=False)
