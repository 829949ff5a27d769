"""What the 安全审计员 reads: the audit trail and the login log, filtered by time, person,
project and action (or result and address), newest first, a page at a time by a keyset cursor;
and the results of the chain checks. Reading only: nothing here writes an event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from workflow.audit.models import AuditEvent, AuditVerification
from workflow.clock import CHINA
from workflow.errors import Problem
from workflow.lifecycle.spec import LifecycleSpec
from workflow.org.models import LoginRecord, User
from workflow.projects.models import Project

PAGE = 50
EXPORT_LIMIT = 10_000  # rows in one XLSX: a wider export is a narrower filter away
PROJECT_MATCHES = 200  # projects a name fragment may stand for

#: Actions recorded outside the lifecycle (whose transitions add their own triggers and labels).
OTHER_ACTIONS = {
    "create": "新建项目",
    "edit_declaration": "修改申报表",
    "edit_evaluation": "修改自评表",
    "confirm_milestones": "确认里程碑",
    "record_milestone": "登记里程碑完成情况",
    "create_unit": "新建单位",
    "update_unit": "修改单位",
    "create_user": "新建用户",
    "update_user": "修改用户",
    "set_roles": "分配角色",
    "reset_password": "重置密码",
    "unlock_user": "解除登录锁定",
    "change_password": "修改密码",
    "set_security_policy": "修改安全策略",
    "calendar_confirm_notice": "按国务院通知录入节假日安排",
    "calendar_add_day": "录入节假日",
    "calendar_remove_day": "删除节假日",
    "save_library_indicator": "维护指标库",
    "retire_library_indicator": "停用指标",
    "restore_library_indicator": "恢复指标",
    "set_core_indicator": "设定核心指标",
    "import_library": "导入指标库",
    "import_declaration": "导入申报表",
    "promote_library_indicator": "加入指标库",
    "set_scoring_template": "设置评分模板",
    "delete_scoring_template": "删除评分模板",
    "set_lights_rules": "设置预警规则",
    "delete_lights_rules": "删除预警规则",
    "assign_reviewers": "分配财政审核人",
    "approval_vote": "会签同意",
    "delegation_set": "设置委托",
    "delegation_end": "结束委托",
    "open_monitoring_round": "开展绩效运行监控",
}


def actions(spec: LifecycleSpec) -> dict[str, str]:
    """Every action the trail may hold, with its Chinese name, for the action filter."""
    found = {t.trigger: t.label for t in spec.transitions}
    return {**found, **OTHER_ACTIONS}


@dataclass(frozen=True)
class Span:
    """A range of China dates, both ends included (None: open)."""

    start: dt.date | None = None
    end: dt.date | None = None

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        def midnight(day: dt.date) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(), tzinfo=CHINA)

        return (
            midnight(self.start) if self.start else None,
            midnight(self.end + dt.timedelta(days=1)) if self.end else None,
        )

    def within(self, query: Select, column) -> Select:
        """`query` narrowed to the span on the time `column`."""
        start, end = self.bounds()
        if start:
            query = query.where(column >= start)
        return query.where(column < end) if end else query


@dataclass(frozen=True)
class EventFilter:
    span: Span = Span()
    person: str = ""  # a user name or a person's name; 「系统」 for what the scheduler did
    project: str = ""  # a project number or part of its name
    action: str = ""  # a key of actions()


def event_query(session: Session, f: EventFilter) -> tuple[Select, list[Problem]]:
    """The events the filter keeps, newest first; and what in the filter matched nothing (the
    page says so rather than showing an empty list without a reason)."""
    query = f.span.within(select(AuditEvent).order_by(AuditEvent.seq.desc()), AuditEvent.at)
    found: list[Problem] = []
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.person == "系统":
        query = query.where(AuditEvent.actor_id.is_(None))
    elif f.person:
        ids = session.scalars(
            select(User.id).where(or_(User.username == f.person, User.display_name == f.person))
        ).all()
        if not ids:
            found.append(Problem("person", f"没有用户名或姓名为「{f.person}」的用户"))
        query = query.where(AuditEvent.actor_id.in_(ids))
    if f.project:
        ids = _projects(session, f.project)
        if not ids:
            found.append(Problem("project", f"没有编号或名称含「{f.project}」的项目"))
        query = query.where(AuditEvent.project_id.in_(ids))
    return query, found


def _projects(session: Session, text: str) -> list[int]:
    if text.isdigit() and len(text) < 10:
        return [int(text)] if session.get(Project, int(text)) else []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(
        session.scalars(
            select(Project.id)
            .where(Project.name.like(pattern, escape="\\"))
            .order_by(Project.id.desc())
            .limit(PROJECT_MATCHES)
        )
    )


def page_of_events(
    session: Session, query: Select, *, before: int | None
) -> tuple[list, int | None]:
    """One page, newest first, from before the event numbered `before`; and the number to ask
    from for the next page (None: this is the last)."""
    if before is not None:
        query = query.where(AuditEvent.seq < before)
    rows = list(session.scalars(query.limit(PAGE + 1)))
    more = len(rows) > PAGE
    return rows[:PAGE], rows[PAGE - 1].seq if more else None


def project_names(session: Session, events) -> dict[int, str]:
    """The names of the projects a page of events is about, in one statement."""
    ids = {e.project_id for e in events if e.project_id}
    if not ids:
        return {}
    rows = session.execute(select(Project.id, Project.name).where(Project.id.in_(ids)))
    return dict(rows.tuples().all())


@dataclass(frozen=True)
class LoginFilter:
    span: Span = Span()
    username: str = ""
    result: str = ""  # a key of LOGIN_RESULTS
    address: str = ""


def login_query(f: LoginFilter) -> Select:
    newest = select(LoginRecord).order_by(LoginRecord.at.desc(), LoginRecord.id.desc())
    query = f.span.within(newest, LoginRecord.at)
    if f.username:
        query = query.where(LoginRecord.username == f.username)
    if f.result:
        query = query.where(LoginRecord.result == f.result)
    if f.address:
        query = query.where(LoginRecord.remote_addr == f.address)
    return query


def page_of_logins(
    session: Session, query: Select, *, before: int | None
) -> tuple[list, int | None]:
    """As page_of_events, by the login record's number (ids grow with time)."""
    if before is not None:
        query = query.where(LoginRecord.id < before)
    rows = list(session.scalars(query.limit(PAGE + 1)))
    more = len(rows) > PAGE
    return rows[:PAGE], rows[PAGE - 1].id if more else None


def for_export(session: Session, query: Select) -> tuple[list, bool]:
    """At most EXPORT_LIMIT rows of what the filter keeps; True when there was more."""
    rows = list(session.scalars(query.limit(EXPORT_LIMIT + 1)))
    return rows[:EXPORT_LIMIT], len(rows) > EXPORT_LIMIT


def record_verification(
    session: Session, result, *, now: dt.datetime, source: str, head=None
) -> AuditVerification:
    """Keep a chain check's result for the auditor's page (in the caller's transaction)."""
    row = AuditVerification(
        at=now,
        ok=result.ok,
        checked=result.checked,
        checkpoints=result.checkpoints,
        head_seq=head.seq if head else None,
        head_hash=head.hash if head else None,
        reason="" if result.ok else describe(result),
        source=source,
    )
    session.add(row)
    return row


def describe(result) -> str:
    where = f"第 {result.broken_seq} 条记录：" if result.broken_seq else ""
    return f"{where}{result.reason}"


def latest_verification(session: Session) -> AuditVerification | None:
    return session.scalar(select(AuditVerification).order_by(AuditVerification.at.desc()).limit(1))
