"""Upgrading an empty database with Alembic yields exactly the models' schema."""

from __future__ import annotations

import os

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from tests.conftest import PG_URL, _postgres_schema, _with_search_path
from web.migrate import alembic_config, upgrade
from workflow.db import Database
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


@pytest.fixture
def empty_url(database_url, tmp_path):
    """A database of its own, empty, on the backend of this run."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'roundtrip.db'}"
        return
    schema = f"jixiao_roundtrip_{os.getpid()}"
    _postgres_schema(PG_URL, schema, create=True)
    yield _with_search_path(PG_URL, schema)
    _postgres_schema(PG_URL, schema, create=False)


def test_every_migration_downgrades_and_upgrades_again(empty_url):
    upgrade(empty_url)
    command.downgrade(alembic_config(empty_url), "base")
    db = Database(empty_url)
    with db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    db.dispose()
    upgrade(empty_url)
    db = Database(empty_url)
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    db.dispose()
