"""Upgrading an empty database with Alembic yields exactly the models' schema."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from tests.conftest import PG_URL, _postgres_schema, _with_search_path
from web.migrate import alembic_config, upgrade
from workflow.db import Database
from workflow.models import Base


def _same_type(context, inspected, metadata, inspected_type, metadata_type):
    """SQLite enforces no VARCHAR length, and migration 0017 leaves its TEXT columns as they
    are: a bounded String there is the TEXT it was. Everything else: Alembic's own comparison."""
    if (context.dialect.name == "sqlite" and isinstance(inspected_type, sa.Text)
            and isinstance(metadata_type, sa.String) and metadata_type.length):  # fmt: skip
        return False
    return None


def test_migrated_schema_equals_the_models(db):
    # `db` was built from empty by `alembic upgrade head` (see conftest.database_url).
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": _same_type})
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
    assert ("projects", ("state", "state_entered_at")) in indexed  # a state, oldest first
    assert ("audit_events", ("actor_id", "seq")) in indexed  # what a user acted on
    assert ("audit_events", ("project_id", "seq")) in indexed  # a project's history
    assert ("login_failures", ("username", "at")) in indexed  # the lock-out count


def test_every_foreign_key_leads_an_index(db):
    """PostgreSQL does not index a foreign key: deleting a referenced row would scan the
    referencing table (saving a project's milestones scanned every milestone and reminder)."""
    with db.engine.connect() as conn:
        inspector = inspect(conn)
        for table in inspector.get_table_names():
            leading = {
                ix["column_names"][0]
                for ix in inspector.get_indexes(table)
                if not any(k.endswith("_where") for k in ix.get("dialect_options", {}))
            }
            leading |= {uq["column_names"][0] for uq in inspector.get_unique_constraints(table)}
            leading |= set(inspector.get_pk_constraint(table)["constrained_columns"][:1])
            for fk in inspector.get_foreign_keys(table):
                assert fk["constrained_columns"][0] in leading, (table, fk["constrained_columns"])


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
        context = MigrationContext.configure(conn, opts={"compare_type": _same_type})
        assert compare_metadata(context, Base.metadata) == []
    db.dispose()


def _at_revision(url: str, revision: str) -> Database:
    """An empty database migrated up to `revision`, to be filled as that version left it."""
    upgrade(url, revision)
    return Database(url)


def _upgraded_with(db: Database, url: str, rows: list[str]) -> Database:
    """Insert `rows` (SQL) at the older revision, then upgrade to head; the upgraded database."""
    with db.engine.begin() as conn:
        for statement in rows:
            conn.exec_driver_sql(statement)
    db.dispose()
    upgrade(url)
    return Database(url)


def test_0008_fills_waiting_times_message_kinds_and_email_modes_from_existing_data(empty_url):
    """A database with data at 0007 upgrades in place: each project's state_entered_at is its
    last state change in the audit trail (or its creation), reminders' messages get their kind
    and topic with older ones of a topic superseded, and a user who had turned email off keeps
    it off."""
    db = _at_revision(empty_url, "0007")
    rows = [
        "INSERT INTO units (id, code, name) VALUES (1, 'U1', '测试单位')",
        "INSERT INTO users (id, username, display_name, password_hash, unit_id, is_active, "
        "session_version, created_at, wants_email) VALUES "
        "(1, 'a', '甲', 'x', 1, true, 1, '2026-01-05 01:00:00', true), "
        "(2, 'b', '乙', 'x', 1, true, 1, '2026-01-05 01:00:00', false)",
        "INSERT INTO projects (id, unit_id, year, name, amount, state, version, created_by_id, "
        "created_at, updated_at) VALUES "
        "(1, 1, 2026, '移动的项目', 0, 'unit_review', 2, 1, '2026-01-05 01:00:00', "
        "'2026-03-09 02:00:00'), "
        "(2, 1, 2026, '草稿', 0, 'draft', 1, 1, '2026-01-06 01:00:00', '2026-01-06 01:00:00')",
        "INSERT INTO audit_events (id, seq, at, actor_id, actor_name, project_id, action, label, "
        "from_state, to_state, comment, details, prev_hash, hash) VALUES "
        "(1, 1, '2026-01-05 01:00:00', 1, '甲', 1, 'create', '新建项目', NULL, 'draft', '', "
        "'{}', 'p', 'h1'), "
        "(2, 2, '2026-02-02 03:00:00', 1, '甲', 1, 'submit', '提交', 'draft', 'unit_review', "
        "'', '{}', 'h1', 'h2'), "
        "(3, 3, '2026-03-09 02:00:00', 1, '甲', 1, 'save', '保存', NULL, NULL, '', '{}', 'h2', "
        "'h3')",
        "INSERT INTO milestones (id, project_id, position, kind, title, offset_years, "
        "offset_months, offset_days, note, source) VALUES (7, 1, 0, 'payment', '付款', 0, 0, 0, "
        "'', '')",
        "INSERT INTO reminders (id, key, project_id, milestone_id, kind, deadline, remind_on, "
        "created_at) VALUES (1, 'milestone:7:due:2026-03-31', 1, 7, 'due', '2026-03-31', "
        "'2026-03-31', '2026-03-31 00:30:00'), (2, 'milestone:7:overdue:2026-04-07', 1, 7, "
        "'overdue', '2026-03-31', '2026-04-07', '2026-04-07 00:30:00')",
        "INSERT INTO notifications (id, user_id, project_id, reminder_id, title, body, "
        "created_at) VALUES (1, 1, 1, 1, '今日到期', '正文', '2026-03-31 00:30:00'), "
        "(2, 1, 1, 2, '已逾期7天', '正文', '2026-04-07 00:30:00'), "
        "(3, 1, 1, NULL, '其他消息', '正文', '2026-04-08 00:30:00')",
    ]
    db = _upgraded_with(db, empty_url, rows)
    with db.engine.connect() as conn:
        entered = dict(conn.exec_driver_sql("SELECT id, state_entered_at FROM projects").all())
        messages = conn.exec_driver_sql(
            "SELECT id, kind, topic, superseded, mail_pending FROM notifications ORDER BY id"
        ).all()
        modes = dict(conn.exec_driver_sql("SELECT username, email_mode FROM users").all())
    db.dispose()
    assert {k: str(v)[:19] for k, v in entered.items()} == {
        1: "2026-02-02 03:00:00",  # the submit, not the later save
        2: "2026-01-06 01:00:00",  # never moved: its creation
    }
    assert [tuple(m) for m in messages] == [
        (1, "reminder", "milestone:7", True, False),
        (2, "reminder", "milestone:7", False, False),
        (3, "info", None, False, False),
    ]
    assert modes == {"a": "digest", "b": "off"}


def test_0009_stores_each_milestones_deadline_from_existing_data(empty_url):
    """A database with milestones at 0008 upgrades in place: a dated milestone's deadline is its
    due; one counted from a recorded milestone is that date plus the offset, as the app counts
    it (29 February + 1 year is 28 February); one whose anchor is not recorded has none."""
    db = _at_revision(empty_url, "0008")
    rows = [
        "INSERT INTO units (id, code, name) VALUES (1, 'U1', '测试单位')",
        "INSERT INTO users (id, username, display_name, password_hash, unit_id, is_active, "
        "session_version, created_at, email_mode) VALUES "
        "(1, 'a', '甲', 'x', 1, true, 1, '2026-01-05 01:00:00', 'digest')",
        "INSERT INTO projects (id, unit_id, year, name, amount, state, version, created_by_id, "
        "created_at, updated_at, state_entered_at) VALUES (1, 1, 2020, '项目', 0, 'archived', 1, "
        "1, '2020-01-05 01:00:00', '2020-01-05 01:00:00', '2020-01-05 01:00:00')",
        "INSERT INTO milestones (id, project_id, position, kind, title, due, actual_date, "
        "anchor_id, offset_years, offset_months, offset_days, note, source) VALUES "
        "(1, 1, 0, 'payment', '付款', '2020-06-30', NULL, NULL, 0, 0, 0, '', ''), "
        "(2, 1, 1, 'acceptance', '终验', '2020-02-29', '2020-02-29', NULL, 0, 0, 0, '', ''), "
        "(3, 1, 2, 'warranty_release', '质保金', NULL, NULL, 2, 1, 0, 0, '', ''), "
        "(4, 1, 3, 'acceptance', '复验', NULL, NULL, NULL, 0, 0, 0, '', ''), "
        "(5, 1, 4, 'warranty_release', '尾款', NULL, NULL, 4, 0, 6, 10, '', '')",
    ]
    db = _upgraded_with(db, empty_url, rows)
    with db.engine.connect() as conn:
        deadlines = dict(conn.exec_driver_sql("SELECT id, deadline FROM milestones").all())
    db.dispose()
    assert {k: v and str(v)[:10] for k, v in deadlines.items()} == {
        1: "2020-06-30", 2: "2020-02-29", 3: "2021-02-28", 4: None, 5: None,
    }  # fmt: skip


def test_0012_counts_existing_passwords_from_the_upgrade(empty_url):
    """Users who exist at 0011 are not sent to 修改密码 on the day of the upgrade: their
    password counts as set then, and none is a one-time password. (The upgrade also copies
    `users` in place while other rows refer to it, which a batch rebuild on SQLite refused.)"""
    import datetime as dt

    from sqlalchemy import select

    from workflow.org import passwords
    from workflow.org.models import User

    db = _at_revision(empty_url, "0011")
    rows = [
        "INSERT INTO units (id, code, name) VALUES (1, 'U1', '测试单位')",
        "INSERT INTO users (id, username, display_name, password_hash, unit_id, is_active, "
        "session_version, created_at, email_mode) VALUES "
        "(1, 'a', '甲', 'x', 1, true, 1, '2020-01-05 01:00:00', 'digest')",
        "INSERT INTO login_records (id, at, username, user_id, remote_addr, result) VALUES "
        "(1, '2026-01-05 01:00:00', 'a', 1, '10.0.0.1', 'ok')",
    ]
    db = _upgraded_with(db, empty_url, rows)
    with db.session() as session:
        user = session.scalar(select(User))
        now = dt.datetime.now(dt.UTC)
        assert abs(now - user.password_changed_at) < dt.timedelta(minutes=5)
        assert user.must_change_password is False
        assert passwords.must_change(user.password_changed_at, user.must_change_password,
                                     passwords.PasswordPolicy(), now=now) is None  # fmt: skip
    db.dispose()


_MILESTONE_0016 = [
    "INSERT INTO units (id, code, name) VALUES (1, 'U1', '测试单位')",
    "INSERT INTO users (id, username, display_name, password_hash, unit_id, is_active, "
    "session_version, created_at, email_mode, must_change_password) VALUES "
    "(1, 'a', '甲', 'x', 1, true, 1, '2026-01-05 01:00:00', 'digest', false)",
    "INSERT INTO projects (id, unit_id, year, name, amount, state, version, created_by_id, "
    "created_at, updated_at, state_entered_at) VALUES (1, 1, 2020, '项目', 0, 'archived', 1, "
    "1, '2020-01-05 01:00:00', '2020-01-05 01:00:00', '2020-01-05 01:00:00')",
]


def _milestone(title: str) -> str:
    return ("INSERT INTO milestones (id, project_id, position, kind, title, due, offset_years, "
            f"offset_months, offset_days, note, source) VALUES (1, 1, 0, 'payment', '{title}', "
            "'2020-06-30', 0, 0, 0, '', '')")  # fmt: skip


def test_0017_bounds_free_text_in_postgresql_and_never_cuts_it(empty_url):
    """At head PostgreSQL refuses a milestone name longer than a cell; an older database that
    holds one stops the upgrade with the table, column and count, and keeps the text whole."""
    if not empty_url.startswith("postgresql"):
        pytest.skip("SQLite enforces no VARCHAR length; 0017 leaves it as it is")
    db = _at_revision(empty_url, "0016")
    with db.engine.begin() as conn:
        for statement in [*_MILESTONE_0016, _milestone("付" * 1001)]:
            conn.exec_driver_sql(statement)
    db.dispose()
    with pytest.raises(RuntimeError, match="milestones.title：1 行超过 1000 字"):
        upgrade(empty_url)
    db = Database(empty_url)
    with db.engine.begin() as conn:
        assert conn.exec_driver_sql("SELECT length(title) FROM milestones").scalar() == 1001
        conn.exec_driver_sql("UPDATE milestones SET title = '付款'")
    db.dispose()
    upgrade(empty_url)
    db = Database(empty_url)
    with pytest.raises(sa.exc.DataError), db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE milestones SET title = repeat('付', 1001)")
    db.dispose()


def test_0021_copies_each_frozen_rows_direction_from_the_row_it_came_from(empty_url):
    """自评 rows frozen before 0021 take the 方向 of the declaration row at their place with
    their name and target; a row whose declaration row has since changed stays 自动."""
    db = _at_revision(empty_url, "0020")
    text = ", ".join(["''"] * 13)
    rows = [
        *_MILESTONE_0016,
        "INSERT INTO declarations (project_id, project_type, project_attribute, summary, basis, "
        "necessity, safeguards, implementation_plan, overall_goal, annual_goal, other_notes, "
        f"unit_head_name, filled_by, unparsed) VALUES (1, {text})",
        "INSERT INTO indicators (id, project_id, position, category, sub_projects, name, target, "
        "direction, explanation, evidence) VALUES "
        "(1, 1, 0, '产出', '[]', '巡查次数', '=10次', 'lower', '', ''), "
        "(2, 1, 1, '产出', '[]', '培训人数', '=300人', 'lower', '', ''), "
        "(3, 1, 2, '效益', '[]', '满意度', '≥90个', '', '', '')",
        "INSERT INTO evaluation_indicators (id, project_id, position, category, name, target, "
        "actual, explanation) VALUES "
        "(1, 1, 0, '产出', '巡查次数', '=10次', '', ''), "
        "(2, 1, 1, '产出', '培训人数', '=200人', '', ''), "
        "(3, 1, 2, '效益', '满意度', '≥90个', '', '')",
    ]
    db = _upgraded_with(db, empty_url, rows)
    with db.engine.connect() as conn:
        query = "SELECT id, direction FROM evaluation_indicators"
        directions = dict(conn.exec_driver_sql(query).all())
    db.dispose()
    assert directions == {1: "lower", 2: "", 3: ""}
