"""Upgrading an empty database with Alembic yields exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from workflow.models import Base


def test_migrated_schema_equals_the_models(db):
    # `db` was built from empty by `alembic upgrade head` (see conftest.database_url).
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diff == []
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_every_filtered_column_is_indexed(db):
    with db.engine.connect() as conn:
        inspector = inspect(conn)
        indexed = {
            (table, tuple(ix["column_names"]))
            for table in ("projects", "audit_events", "login_failures", "users")
            for ix in inspector.get_indexes(table)
        }
    assert ("projects", ("unit_id", "state")) in indexed  # unit scope, state filter
    assert ("projects", ("state",)) in indexed  # the reviewer's list
    assert ("audit_events", ("project_id", "seq")) in indexed  # a project's history
    assert ("login_failures", ("username", "at")) in indexed  # the lock-out count
