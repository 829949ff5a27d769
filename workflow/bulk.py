"""Insert many rows in one statement, whatever their number (the reminder run writes thousands of
reminders, messages and emails at once).

On PostgreSQL the rows travel as one array per column, `INSERT … SELECT … FROM unnest(…)`: a
multi-row VALUES list would be a statement of 10,000 placeholders per 1,000 rows, which psycopg
parses in Python on every execution (0.13 s a page; the whole run took 4 s of it). On SQLite,
whose driver binds in C, SQLAlchemy sends multi-row VALUES lists ("insertmanyvalues"), paged
under its limit of bound values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Row, Table, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_rows(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    returning: Sequence[Column] = (),
    skip_conflicts: bool = False,
) -> list[Row]:
    """Insert `rows` (each with the same keys) in the order given, numbered in that order;
    with `skip_conflicts`, a row that would break a unique constraint is left out (ON CONFLICT
    DO NOTHING). Returns the `returning` columns of the rows inserted, in no particular order."""
    if not rows:
        return []
    names, dialect = list(rows[0]), session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"no INSERT … ON CONFLICT for {dialect}")
    if dialect == "postgresql":
        arrays = [
            bindparam(f"rows_{name}", [row[name] for row in rows],
                      type_=postgresql.ARRAY(table.c[name].type))
            for name in names
        ]  # fmt: skip
        given = func.unnest(*arrays).table_valued(*names, with_ordinality="position")
        given = given.render_derived(name="given")
        ordered = select(*(given.c[name] for name in names)).order_by(given.c.position)
        statement = postgresql.insert(table).from_select(names, ordered)
        parameters = None
    else:
        statement, parameters = sqlite.insert(table), list(rows)
    if skip_conflicts:
        statement = statement.on_conflict_do_nothing()
    if not returning:
        session.execute(statement, parameters)
        return []
    return list(session.execute(statement.returning(*returning), parameters))
