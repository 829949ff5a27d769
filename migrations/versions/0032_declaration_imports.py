"""Imported files and their reports (issue 18)

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "declaration_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_declaration_imports_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_declaration_imports_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["users.id"],
            name=op.f("fk_declaration_imports_imported_by_id_users"),
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_imports")),
        sa.UniqueConstraint("unit_id", "sha256", name="uq_declaration_imports_unit_file"),
    )
    op.create_index("ix_declaration_imports_project_id", "declaration_imports", ["project_id"])
    op.create_index(
        "ix_declaration_imports_imported_by_id", "declaration_imports", ["imported_by_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_declaration_imports_imported_by_id", table_name="declaration_imports")
    op.drop_index("ix_declaration_imports_project_id", table_name="declaration_imports")
    op.drop_table("declaration_imports")
