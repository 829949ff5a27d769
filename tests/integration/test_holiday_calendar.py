"""The holiday calendar the 系统管理员 keeps for the years chinese-calendar does not know (2027 on):
reminders and working-day counts follow it, a scheduler that loaded it sees a later edit at its
next run, each process looks at it in one statement, the admin pages warn while it ends before
the furthest due date, and every change is one audit event."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text

from tests.unit.test_holiday_notice import NOTICE_2027
from tests.web.conftest import StatementCounter
from workflow import workdays
from workflow.audit.models import AuditEvent
from workflow.clock import CHINA, FixedClock
from workflow.errors import InvalidInput
from workflow.holidays import coverage, loading, operations
from workflow.holidays.models import CalendarDay, CalendarYear
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.notify.models import Reminder
from workflow.notify.reminders import create_due_reminders
from workflow.org.models import Role
from workflow.projects.models import Project
from workflow.scheduler import Jobs
from workflow.uow import UnitOfWork

SPEC = get_lifecycle().spec
SATURDAY = dt.date(2027, 2, 20)  # a 调休上班 day of NOTICE_2027, after 春节 (2月5日–13日)


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=CHINA).astimezone(dt.UTC)


@pytest.fixture
def admin(make):
    return make.user(Role.admin, name="系统管理员")


def _confirm(db, admin, notice: str = NOTICE_2027, year: int = 2027):
    with db.session(write=True) as s:
        actor = s.get(type(admin), admin.id)
        return operations.confirm_notice(UnitOfWork(s), year=year, text=notice, actor=actor,
                                         now=_at(dt.date(2026, 12, 3)))  # fmt: skip


def _due_on_a_saturday(session, make) -> Milestone:
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, state="implementing", creator=filler)
    project.milestones_confirmed_at = _at(dt.date(2027, 1, 4))
    milestone = Milestone(project_id=project.id, position=0, kind="payment",
                          title="支付合同款", due=SATURDAY)  # fmt: skip
    session.add(milestone)
    session.commit()
    return milestone


@pytest.mark.parametrize("entered", [True, False], ids=["entered", "not-entered"])
def test_a_2027_reminder_follows_the_holidays_and_make_up_days_the_admin_entered(
    db, session, make, admin, entered
):
    milestone = _due_on_a_saturday(session, make)
    if entered:
        _confirm(db, admin)
    day = dt.date(2027, 1, 15)
    while day <= dt.date(2027, 2, 22):
        with db.session(write=True) as s:
            create_due_reminders(s, SPEC, today=day, now=_at(day), base_url="http://jixiao")
            s.commit()
        day += dt.timedelta(days=1)
    with db.session() as s:
        sent = s.execute(
            select(Reminder.kind, Reminder.remind_on)
            .where(Reminder.milestone_id == milestone.id)
            .order_by(Reminder.remind_on, Reminder.id)
        ).all()  # fmt: skip
    if entered:  # 2月13日 is in 春节: a week ahead goes out before it; 2月20日 is worked
        expected = [("before", "2027-01-21"), ("before", "2027-02-04"),
                    ("before", "2027-02-19"), ("due", "2027-02-20")]  # fmt: skip
    else:  # Monday to Friday: a Saturday deadline is announced on Friday
        expected = [("before", "2027-01-21"), ("before", "2027-02-12"),
                    ("before", "2027-02-19"), ("due", "2027-02-19")]  # fmt: skip
    assert [(kind, day.isoformat()) for kind, day in sent] == expected


def test_working_days_count_the_make_up_days_once_loaded(db, session, admin):
    _confirm(db, admin)  # the admin's own process counts with the days at once (deadlines)
    loading.forget()  # another process, which loaded the calendar before the edit
    assert workdays.is_workday(SATURDAY) is False  # saved, not yet loaded by that process
    session.rollback()  # a new transaction, as the next request or run has
    loading.refresh(session)
    assert workdays.source_of(2027) == "entered"
    assert workdays.is_workday(SATURDAY) and workdays.is_workday(dt.date(2027, 2, 14))
    assert not workdays.is_workday(dt.date(2027, 2, 8))  # a Monday of 春节
    assert workdays.on_or_before_workday(dt.date(2027, 2, 13)) == dt.date(2027, 2, 4)
    assert workdays.on_or_after_workday(dt.date(2027, 2, 5)) == dt.date(2027, 2, 14)
    # after 2月4日: 2月14日 (a Sunday worked) and 2月15日
    assert workdays.workdays_between(dt.date(2027, 2, 4), dt.date(2027, 2, 15)) == 2
    assert workdays.workdays_between(dt.date(2026, 12, 30), dt.date(2027, 1, 4)) == 2


def test_deadlines_in_working_days_follow_the_days_the_admin_enters(db, session, make, admin):
    # 「终验合格后10个工作日内支付」, 终验 on Tuesday 28 September 2027, before 国庆 is entered.
    unit = make.unit()
    project = make.project(unit, state="implementing", creator=make.user(Role.filler, unit=unit))
    accepted = Milestone(project_id=project.id, position=0, kind="acceptance", title="终验",
                         due=dt.date(2027, 9, 28), actual_date=dt.date(2027, 9, 28))  # fmt: skip
    session.add(accepted)
    session.flush()
    paid = Milestone(project_id=project.id, position=1, kind="payment", title="支付尾款",
                     anchor_id=accepted.id, offset_workdays=10)  # fmt: skip
    done = Milestone(
        project_id=project.id,
        position=2,
        kind="payment",
        title="已付",
        anchor_id=accepted.id,
        offset_workdays=10,
        actual_date=dt.date(2027, 10, 9),
    )
    session.add_all([paid, done])
    session.commit()
    assert paid.deadline == dt.date(2027, 10, 12)  # Monday to Friday
    for day in (1, 4, 5, 6, 7):  # 国庆 on the weekdays of 1–7 October
        with db.session(write=True) as s:
            operations.add_day(UnitOfWork(s), day=dt.date(2027, 10, day), kind="holiday",
                               name="国庆节", actor=s.get(type(admin), admin.id),
                               now=_at(dt.date(2026, 12, 3)))  # fmt: skip
    session.rollback()  # a fresh snapshot: the edits were made in their own sessions
    session.expire_all()
    assert paid.deadline == dt.date(2027, 10, 19)  # five working days later
    assert done.deadline == dt.date(2027, 10, 12)  # a paid one is left as it was
    with db.session(write=True) as s:
        entered = s.scalar(select(CalendarDay).where(CalendarDay.day == dt.date(2027, 10, 7)))
        operations.remove_day(UnitOfWork(s), entered.id, actor=s.get(type(admin), admin.id),
                              now=_at(dt.date(2026, 12, 3)))  # fmt: skip
    session.rollback()  # a fresh snapshot: the edits were made in their own sessions
    session.expire_all()
    assert paid.deadline == dt.date(2027, 10, 18)


def test_the_scheduler_sees_an_edit_made_after_it_loaded_the_calendar(db, session, make, admin):
    milestone = _due_on_a_saturday(session, make)
    clock = FixedClock(_at(dt.date(2027, 2, 1)))
    jobs = Jobs(db=db, clock=clock, spec=SPEC, smtp=None, base_url="http://jixiao")
    jobs.reminders()  # loads 2027: nothing entered, Monday to Friday
    assert workdays.source_of(2027) is None
    _confirm(db, admin)  # on a web node (which counts with the days at once)…
    loading.forget()  # …while the scheduler's copy, loaded before, is now behind
    assert not workdays.is_workday(SATURDAY)
    clock.advance(dt.timedelta(days=3))  # Thursday 2月4日: the last working day before 春节
    jobs.reminders()
    with db.session() as s:
        days = s.scalars(select(Reminder.remind_on).where(Reminder.milestone_id == milestone.id))
        assert dt.date(2027, 2, 4) in set(days)  # a week ahead of 2月20日, before the holiday
    assert workdays.is_workday(SATURDAY)


def test_a_process_looks_in_one_statement_and_loads_only_the_years_changed(db, session, admin):
    with StatementCounter(db) as first:
        loading.refresh(session)
    _confirm(db, admin)  # on another node: this process's copy is behind
    loading.forget()
    session.rollback()  # a new transaction, as the next request or run has
    with StatementCounter(db) as changed:
        assert loading.refresh(session)
    with StatementCounter(db) as unchanged:
        assert not loading.refresh(session)
    assert (first.count, changed.count, unchanged.count) == (1, 2, 1)


def test_other_pages_look_again_at_most_every_five_minutes_and_not_before_2027():
    noon = _at(dt.date(2027, 3, 1), 12)
    assert not loading.stale(today=dt.date(2026, 12, 3), now=noon)  # chinese-calendar's year
    assert loading.stale(today=dt.date(2027, 3, 1), now=noon)  # never looked
    loading._looked_at = noon
    assert not loading.stale(today=dt.date(2027, 3, 1), now=noon + dt.timedelta(minutes=4))
    assert loading.stale(today=dt.date(2027, 3, 1), now=noon + dt.timedelta(minutes=5))


def test_a_year_chinese_calendar_knows_is_not_entered_here(db, session, admin):
    with pytest.raises(InvalidInput) as caught:
        _confirm(db, admin, NOTICE_2027.replace("2027", "2026"), 2026)
    message = caught.value.problems[0].message
    assert "2026年的节假日安排已由 chinese-calendar 按国务院通知提供" in message
    with pytest.raises(InvalidInput):
        operations.add_day(UnitOfWork(session), day="2026-10-10", kind="workday", name="国庆节",
                           actor=admin, now=_at(dt.date(2026, 12, 3)))  # fmt: skip
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0


def test_a_notice_confirmed_twice_is_saved_once_with_one_audit_event(db, session, admin):
    first = _confirm(db, admin)
    assert first.count(operations.NEW) == 35  # 29 days off, 6 make-up days
    stamp = session.scalar(select(CalendarYear.stamp).where(CalendarYear.year == 2027))
    again = _confirm(db, admin)
    assert again.count(operations.SAME) == 35 and not again.count(operations.NEW)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 35
    year = session.get(CalendarYear, 2027)
    assert (year.holidays, year.workdays, year.stamp) == (29, 6, stamp)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("calendar%"))).all()
    assert [e.action for e in events] == ["calendar_confirm_notice"]
    details = json.loads(events[0].details)
    assert events[0].actor_id == admin.id and details["year"] == 2027
    assert "2027-02-20 调休上班 春节" in details["added"] and len(details["added"]) == 35


def test_a_notice_replaces_a_day_entered_otherwise(db, session, admin):
    operations.add_day(UnitOfWork(session), day="2027-02-20", kind="holiday", name="春节",
                       actor=admin, now=_at(dt.date(2026, 12, 1)))  # fmt: skip
    preview = operations.preview_notice(session, 2027, NOTICE_2027)
    changed = [p for p in preview.days if p.status == operations.CHANGED]
    assert [(p.entry.day, p.was) for p in changed] == [(SATURDAY, "放假·春节")]
    session.commit()
    _confirm(db, admin)
    session.expire_all()
    assert session.scalar(select(CalendarDay.kind).where(CalendarDay.day == SATURDAY)) == "workday"


def test_adding_and_removing_a_day_are_audited_and_checked(db, session, admin):
    now = _at(dt.date(2026, 12, 3))
    day = operations.add_day(UnitOfWork(session), day="2027-02-14", kind="workday", name="春节",
                             actor=admin, now=now)  # fmt: skip
    for bad, field in [({"day": "2027-02-14"}, "day"), ({"day": "2027-02-17"}, "day"),
                       ({"day": "2027-13-01"}, "day"), ({"kind": "x"}, "kind"),
                       ({"name": ""}, "name"), ({"name": "节" * 33}, "name")]:  # fmt: skip
        values = {"day": "2027-02-21", "kind": "workday", "name": "春节"} | bad
        with pytest.raises(InvalidInput) as caught:
            operations.add_day(UnitOfWork(session), **values, actor=admin, now=now)
        assert caught.value.problems[0].field == field, bad
    assert operations.remove_day(UnitOfWork(session), day.id, actor=admin, now=now) == 2027
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [(e.action, e.label, json.loads(e.details)["day"]) for e in events] == [
        ("calendar_add_day", "录入节假日", "2027-02-14"),
        ("calendar_remove_day", "删除节假日", "2027-02-14"),
    ]
    year = session.get(CalendarYear, 2027)
    assert (year.holidays, year.workdays) == (0, 0)  # kept, so that other processes see it


def test_only_an_admin_changes_the_calendar(session, make):
    filler = make.user(Role.filler, unit=make.unit())
    with pytest.raises(Exception, match="权限"):
        operations.add_day(UnitOfWork(session), day="2027-02-14", kind="workday", name="春节",
                           actor=filler, now=_at(dt.date(2026, 12, 3)))  # fmt: skip


def _project_of_year(session, make, year: int):
    unit = make.unit()
    project = make.project(unit, state="draft", creator=make.user(Role.filler, unit=unit))
    project.year = year
    session.commit()
    return project


def test_the_warning_names_the_missing_years_until_they_are_entered(db, session, make, admin):
    today = dt.date(2026, 12, 3)
    assert coverage.coverage_warning(session, today) is None  # nothing due after 2026
    _project_of_year(session, make, 2028)  # its 绩效自评 falls due on 2029-03-31
    with StatementCounter(db) as counter:
        warning = coverage.coverage_warning(session, today)
    assert counter.count == 1
    assert warning.startswith("节假日安排仅覆盖至2026年，系统中最晚的到期日为2029年3月31日，"
                              "请补充2027—2029年的节假日安排")  # fmt: skip
    _confirm(db, admin, "国务院办公厅关于2028年部分节假日安排的通知\n一、元旦：1月1日放假。", 2028)
    session.rollback()  # a new transaction, as the next page has
    warning = coverage.coverage_warning(session, today)
    assert "仅覆盖至2026年" in warning and "请补充2027、2029年的节假日安排" in warning
    _confirm(db, admin)
    session.rollback()
    assert "节假日安排仅覆盖至2028年" in coverage.coverage_warning(session, today)
    assert coverage.coverage_warning(session, dt.date(2030, 1, 5)) == (
        "2030年的节假日安排尚未录入，请补充2030年的节假日安排"
        "（未录入的年份按周一至周五计算工作日，提醒日期会忽略春节等假期和调休）。"
    )


def test_an_open_milestone_due_after_the_calendar_warns_a_recorded_one_does_not(db, session, make):
    milestone = _due_on_a_saturday(session, make)
    session.get(Project, milestone.project_id).year = 2026
    session.commit()
    today = dt.date(2026, 12, 3)
    assert "系统中最晚的到期日为2027年3月31日" in coverage.coverage_warning(session, today)
    milestone.due = dt.date(2027, 6, 30)
    session.commit()
    assert "系统中最晚的到期日为2027年6月30日" in coverage.coverage_warning(session, today)
    milestone.actual_date = dt.date(2026, 12, 1)
    session.commit()
    assert "2027年3月31日" in coverage.coverage_warning(session, today)  # the 自评 still


def test_the_warning_reads_the_indexes(db, session):
    """SQLite's plan names the indexes; PostgreSQL's depends on its statistics (an empty table
    is scanned), so there the planner is asked to avoid scans and must find the indexes usable."""
    statement = str(
        coverage.latest_dues_statement().compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
    )
    if db.dialect == "sqlite":
        rows = session.execute(text("EXPLAIN QUERY PLAN " + statement))
    else:
        session.execute(text("SET LOCAL enable_seqscan = off"))
        rows = session.execute(text("EXPLAIN " + statement))
    plan = " ".join(str(r[-1]) for r in rows)
    session.rollback()
    assert "ix_milestones_deadline_open" in plan and "ix_projects_year_id" in plan, plan
