"""free text is bounded in the schema as in the forms (workflow/text.py)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

The narrative fields become VARCHAR(5000), a table cell VARCHAR(1000), a milestone's note
VARCHAR(2000): the most the forms have accepted since stop 22, so PostgreSQL now refuses more
from any path, not only the forms'. A value already longer stops the upgrade with its table,
column and count (never cut short: that would lose what a user wrote). SQLite does not enforce
a VARCHAR's length, and changing a column's type there means rebuilding tables that others
reference, so on SQLite nothing changes: the lengths are the forms' (and PostgreSQL's) alone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

NARRATIVE, CELL, COMMENT = 5_000, 1_000, 2_000
COLUMNS = {
    "declarations": {
        "summary": NARRATIVE, "basis": NARRATIVE, "necessity": NARRATIVE,
        "safeguards": NARRATIVE, "implementation_plan": NARRATIVE, "overall_goal": NARRATIVE,
        "annual_goal": NARRATIVE, "other_notes": NARRATIVE,
    },
    "fund_items": {"name": CELL},
    "indicators": {"name": CELL, "explanation": CELL, "evidence": CELL},
    "self_evaluations": {
        "implementation": NARRATIVE, "management_results": NARRATIVE, "problems": NARRATIVE,
        "suggestions": NARRATIVE, "budget_notes": NARRATIVE,
    },
    "evaluation_indicators": {"name": CELL, "explanation": CELL},
    "evaluation_fund_items": {"name": CELL},
    "milestones": {"title": CELL, "note": COMMENT, "source": NARRATIVE},
}  # fmt: skip


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        return
    too_long = []
    for table, columns in COLUMNS.items():
        for column, limit in columns.items():
            count = conn.execute(
                sa.text(f"SELECT count(*) FROM {table} WHERE length({column}) > :n"), {"n": limit}
            ).scalar()
            if count:
                too_long.append(f"{table}.{column}：{count} 行超过 {limit} 字")
    if too_long:
        raise RuntimeError(
            "以下内容超过新的长度上限，升级已停止，请先在页面上缩短后再升级：" + "；".join(too_long)
        )
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for column, limit in columns.items():
                batch_op.alter_column(column, type_=sa.String(length=limit),
                                      existing_type=sa.Text())  # fmt: skip


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for column, limit in columns.items():
                batch_op.alter_column(column, type_=sa.Text(),
                                      existing_type=sa.String(length=limit))  # fmt: skip
