"""Helpers for the bad-input tests: what the database holds (to prove nothing changed) and the
error messages a page shows (to prove they are Chinese)."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

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


def _rows(session, table, where=None) -> list[tuple]:
    query = select(table)
    if where is not None:
        query = query.where(where)
    return [tuple(r) for r in session.execute(query.order_by(*table.primary_key.columns))]


def database_dump(session) -> dict[str, list[tuple]]:
    """Every row of every table (a new table is included without a change here)."""
    fresh(session)
    return {t.name: _rows(session, t) for t in Base.metadata.sorted_tables}


def project_dump(session, project_id: int) -> dict[str, object]:
    """Everything of one project: its row, every row of every table keyed by its id, the
    declaration as labelled values, and the number of audit events."""
    fresh(session)
    dump: dict[str, object] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "projects":
            dump[table.name] = _rows(session, table, table.c.id == project_id)
        elif "project_id" in table.c and table.name != AuditEvent.__tablename__:
            dump[table.name] = _rows(session, table, table.c.project_id == project_id)
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
