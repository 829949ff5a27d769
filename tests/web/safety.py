"""Helpers for the bad-input tests: what the database holds (to prove nothing changed) and the
error messages a page shows (to prove they are Chinese)."""

from __future__ import annotations

import functools
import re
from html import unescape

from sqlalchemy import bindparam, func, select

from workflow.audit.models import AuditEvent
from workflow.declaration.models import Declaration
from workflow.declaration.snapshot import flatten
from workflow.models import Base
from workflow.projects.models import Project

CSRF_MESSAGE = "表单已失效或缺少安全令牌，请刷新页面后重新提交"
CJK = re.compile(r"[\u3400-\u9fff]")
# WTForms' and Werkzeug's English defaults, and what a stray exception text looks like.
ENGLISH = re.compile(
    r"Not a valid|This field is required|Invalid|Field must|Field cannot|"
    r"Bad Request|Internal Server Error|Traceback|Exception"
)
_ERROR_BLOCKS = re.compile(
    r'<div class="flash error"[^>]*>(.*?)</div>|<p class="problem">(.*?)</p>|'
    r'<ul class="problems">(.*?)</ul>|<section class="card error">(.*?)</section>',
    re.S,
)
_TAG = re.compile(r"<[^>]+>")


def fresh(session) -> None:
    """End the test's read snapshot (SQLite WAL) so what the requests wrote is visible."""
    session.rollback()
    session.expire_all()


def _rows(session, which: str, params: dict | None = None) -> dict[str, list[tuple]]:
    """The rows of each of `which` statements (_STATEMENTS), read through the driver: the values
    as stored (all the comparisons need, without SQLAlchemy's work on each row), and on
    PostgreSQL in one round trip (psycopg's pipeline) rather than one per table, which was most
    of the time of the tests that compare the database before and after each request."""
    connection = session.connection()  # the session's transaction: the snapshot it sees
    dialect, raw = connection.dialect, connection.connection.driver_connection
    queries = {name: _arguments(compiled, params or {})
               for name, compiled in _compiled(dialect, which).items()}  # fmt: skip
    if dialect.name == "postgresql":
        with raw.pipeline():
            cursors = {name: raw.execute(sql, args) for name, (sql, args) in queries.items()}
        return {name: [tuple(r) for r in cursor.fetchall()] for name, cursor in cursors.items()}
    cursor = raw.cursor()
    return {name: [tuple(r) for r in cursor.execute(sql, args).fetchall()]
            for name, (sql, args) in queries.items()}  # fmt: skip


def _ordered(table, where=None):
    query = select(table)
    if where is not None:
        query = query.where(where)
    return query.order_by(*table.primary_key.columns)


def _everything() -> dict:
    return {t.name: _ordered(t) for t in Base.metadata.sorted_tables}


def _of_project() -> dict:
    """Its row, and the rows keyed by its id (the audit trail is counted instead)."""
    project_id, statements = bindparam("project_id"), {}
    for table in Base.metadata.sorted_tables:
        if table.name == "projects":
            statements[table.name] = _ordered(table, table.c.id == project_id)
        elif "project_id" in table.c and table.name != AuditEvent.__tablename__:
            statements[table.name] = _ordered(table, table.c.project_id == project_id)
    return statements


_STATEMENTS = {"everything": _everything, "project": _of_project}


@functools.cache
def _compiled(dialect, which: str) -> dict:
    """The statements compiled for this dialect once, not at every dump."""
    return {name: statement.compile(dialect=dialect)
            for name, statement in _STATEMENTS[which]().items()}  # fmt: skip


def _arguments(compiled, params: dict) -> tuple[str, object]:
    """The SQL and the arguments as the driver takes them (named, or in order for SQLite)."""
    values = compiled.construct_params(params)
    if compiled.positional:
        return compiled.string, tuple(values[n] for n in compiled.positiontup)
    return compiled.string, values


def database_dump(session) -> dict[str, list[tuple]]:
    """Every row of every table (a new table is included without a change here)."""
    fresh(session)
    return _rows(session, "everything")


def project_dump(session, project_id: int) -> dict[str, object]:
    """Everything of one project: its row, every row of every table keyed by its id, the
    declaration as labelled values, and the number of audit events."""
    fresh(session)
    dump: dict[str, object] = _rows(session, "project", {"project_id": project_id})
    project = session.get(Project, project_id)
    dump["declaration (labelled)"] = flatten(project, session.get(Declaration, project_id))
    dump["audit events"] = session.scalar(select(func.count()).select_from(AuditEvent))
    return dump


def error_messages(html: str) -> list[str]:
    """The text of every error element: flashed errors, problems by a field, problem lists and
    the error page's card."""
    found = []
    for groups in _ERROR_BLOCKS.findall(html):
        text = unescape(_TAG.sub(" ", next(g for g in groups if g))).strip()
        if text:
            found.append(" ".join(text.split()))
    return found


def assert_chinese_errors(html: str) -> list[str]:
    """Every error the page shows is Chinese, and no English default message slips through."""
    messages = error_messages(html)
    for message in messages:
        assert CJK.search(message), f"error without Chinese: {message[:200]!r}"
        assert not ENGLISH.search(message), f"English in an error: {message[:200]!r}"
    return messages
