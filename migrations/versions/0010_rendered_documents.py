"""rendered documents: PDFs made by the scheduler, once per version

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rendered_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_rendered_documents_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rendered_documents")),
        # one row per version: (project, kind, hash of the HTML); it indexes project_id too
        sa.UniqueConstraint(
            "project_id", "kind", "sha256", name=op.f("uq_rendered_documents_project_id")
        ),
    )
    with op.batch_alter_table("rendered_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rendered_documents_status_available_at", ["status", "available_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rendered_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_rendered_documents_status_available_at")
    op.drop_table("rendered_documents")
