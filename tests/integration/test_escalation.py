"""时限 and escalation (issue 16): states.yaml gives a step a time limit in working days and
whom to tell when it passes. The daily run tells them once per stay (again after a return and a
new arrival), only people who may open the project; the 工作台 shows the step as overdue to
everyone who holds it, and the reviewer's queue its ages."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from sqlalchemy import select

from workflow.clock import CHINA, FixedClock
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.lifecycle.spec import HookNames, SpecError, parse_spec
from workflow.notify.models import Notification, StepEscalation
from workflow.org import operations as org
from workflow.org.models import Role, User
from workflow.projects.models import Project
from workflow.scheduler import Jobs
from workflow.uow import UnitOfWork
from workflow.workbench import workbench

SPEC = get_lifecycle().spec
MONDAY = dt.date(2026, 6, 1)  # a working week with no holiday: 6月1日 to 6月12日


def _at(day: dt.date, hour: int = 8, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHINA)


@pytest.fixture
def waiting(make, session):
    """A declaration handed in on Monday 1 June at 10:00, waiting for the 单位负责人 (时限 5)."""
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit, name="王芳")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    project = make.project(unit, state="unit_review", creator=filler, submitted_by=filler,
                           last_by=filler)  # fmt: skip
    project.state_entered_at = _at(MONDAY, 10, 0)
    session.commit()
    return project, filler, head


def _run(db, day: dt.date) -> None:
    Jobs(
        db=db, clock=FixedClock(_at(day)), spec=SPEC, smtp=None, base_url="http://jixiao"
    ).reminders()


def _told(session, project) -> list[tuple[int, str]]:
    session.rollback()
    rows = session.execute(
        select(Notification.user_id, Notification.title)
        .where(Notification.project_id == project.id, Notification.topic.like("escalation:%"))
        .order_by(Notification.id)
    )  # fmt: skip
    return list(rows.tuples())


def test_the_people_named_are_told_once_when_the_limit_passes(db, session, waiting):
    project, filler, head = waiting
    for n in range(5):  # Tuesday 2 June … Monday 8 June: 1 … 5 working days, within the limit
        _run(db, dt.date(2026, 6, 2) + dt.timedelta(days=n))
    assert _told(session, project) == []
    _run(db, dt.date(2026, 6, 9))  # the 6th working day
    title = f"「{project.name}」在「待单位审核」已等待 6 个工作日，超过时限（5 个工作日）"
    assert _told(session, project) == [(filler.id, title), (head.id, title)]
    for n in range(3):  # told once per stay
        _run(db, dt.date(2026, 6, 10) + dt.timedelta(days=n))
    assert len(_told(session, project)) == 2
    body = session.scalar(select(Notification.body).where(Notification.user_id == head.id))
    assert "在单位负责人处等待办理，已 6 个工作日，超过流程规定的 5 个工作日" in body


def test_a_new_stay_after_a_return_is_counted_afresh(db, session, waiting, clock):
    project, filler, head = waiting
    _run(db, dt.date(2026, 6, 9))
    assert len(_told(session, project)) == 2
    project = session.get(Project, project.id)
    fire(UnitOfWork(session), project, "return_to_filler", actor=head,
         now=_at(dt.date(2026, 6, 9), 9), comment="请补充附件。")  # fmt: skip
    fire(UnitOfWork(session), project, "submit", actor=filler, now=_at(dt.date(2026, 6, 9), 11))
    _run(db, dt.date(2026, 6, 10))
    assert len(_told(session, project)) == 2  # the new stay is 1 working day old
    _run(db, dt.date(2026, 6, 17))  # 6 working days after 9 June
    assert len(_told(session, project)) == 4
    assert session.scalar(select(StepEscalation.told).order_by(StepEscalation.id.desc())) == 2


def test_only_people_who_may_open_the_project_are_told(db, session, make):
    # 已申报 (时限 15) is told to the reviewers: only those of the unit when it is assigned.
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    admin = make.user(Role.admin)
    mine = make.user(Role.reviewer, name="沈审核")
    make.user(Role.reviewer, name="周复核")  # of other units: not told
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head)  # fmt: skip
    project.state_entered_at = _at(MONDAY, 10, 0)
    session.commit()
    org.assign_reviewers(UnitOfWork(session), session.get(type(unit), unit.id), [mine.id],
                         actor=admin, now=_at(MONDAY))  # fmt: skip
    _run(db, dt.date(2026, 6, 23))  # 15 working days (端午节 on 19 June is none): not yet
    assert _told(session, project) == []
    _run(db, dt.date(2026, 6, 24))
    assert [u for u, _ in _told(session, project)] == [mine.id]


def test_the_workbench_shows_the_step_overdue_to_whoever_holds_it(session, waiting):
    project, _, head = waiting
    user = session.get(User, head.id)
    board = workbench(session, user, SPEC, now=_at(dt.date(2026, 6, 8)))
    [item] = board.todos
    assert (item.waited, item.limit, item.late) == (5, 5, False)
    board = workbench(session, user, SPEC, now=_at(dt.date(2026, 6, 9)))
    [item] = board.todos
    assert (item.waited, item.late) == (6, True)


NAMES = HookNames(recipients=frozenset({"unit_heads"}))


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("{label: 甲, sla: 5}", "sla 应为 {days: N}"),
        ("{label: 甲, sla: {days: 0}}", "sla 应为 {days: N}"),
        ("{label: 甲, sla: {days: 5, hours: 2}}", "sla 应为 {days: N}"),
        ("{label: 甲, escalate_to: [unit_heads]}", "写了 escalate_to 但没有 sla"),
        ("{label: 甲, sla: {days: 5}, escalate_to: [bosses]}", "未知的通知对象「bosses」"),
    ],
)
def test_a_time_limit_is_checked_at_start_up(state, message):
    text = f"""
initial: a
roles: {{filler: 填报人}}
states: {{a: {state}, b: {{label: 乙}}}}
transitions: [{{trigger: go, source: a, dest: b, label: 提交, roles: [filler]}}]
"""
    with pytest.raises(SpecError, match=message):
        parse_spec(yaml.safe_load(text), names=NAMES)
