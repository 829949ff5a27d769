"""What the 系统管理员 does with the holiday calendar: add a day, remove one, and enter a year
from the State Council's notice (previewed first, saved when confirmed). Each change is one
audit event, and replaces the stamp of each year it touches, which tells every process
(workflow/holidays/loading.py) to load that year again.

chinese-calendar stays the source for the years it knows: entering one of them is refused,
and a notice's days in such a year (「12月31日」 of a 元旦 reaching back) are left out. If a
newer chinese-calendar learns a year the admin entered, its data wins and the page says so."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow import workdays
from workflow.audit import chain
from workflow.bulk import insert_rows
from workflow.declaration.checks import MAX_YEAR, MIN_YEAR
from workflow.errors import InvalidInput, NotAllowed, NotFound, Problem
from workflow.holidays import loading
from workflow.holidays.models import (
    HOLIDAY,
    KIND_LABELS,
    NAME_MAX,
    WORKDAY,
    CalendarDay,
    CalendarYear,
)
from workflow.holidays.notice import WEEKDAYS, Notice, NoticeDay, parse_notice
from workflow.milestones.models import Milestone
from workflow.org.models import Role, User
from workflow.text import clean
from workflow.uow import UnitOfWork

NEW, SAME, CHANGED, PACKAGE = "new", "same", "changed", "package"
STATUS_LABELS = {NEW: "新增", SAME: "已在表中", CHANGED: "将替换表中记录",
                 PACKAGE: "该年以 chinese-calendar 为准，不保存"}  # fmt: skip


@dataclass(frozen=True)
class PlannedDay:
    """A day of a notice and what confirming does with it; `was` is the row it replaces."""

    entry: NoticeDay
    status: str
    was: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Preview:
    """A notice read, each of its days with what confirming it would do."""

    notice: Notice
    days: tuple[PlannedDay, ...]

    def count(self, *statuses: str) -> int:
        return sum(d.status in statuses for d in self.days)


def check_year(year: int) -> None:
    """Refuse a year outside the system's range or one chinese-calendar already knows."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput([Problem("year", f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间")])
    if workdays.package_knows(year):
        message = (f"{year}年的节假日安排已由 chinese-calendar 按国务院通知提供，"
                   "以其为准，无需也不能在此录入")  # fmt: skip
        raise InvalidInput([Problem("year", message)])


def year_days(session: Session, year: int) -> list[CalendarDay]:
    """The days entered for `year`, by date."""
    query = select(CalendarDay).where(
        CalendarDay.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31))
    )
    return list(session.scalars(query.order_by(CalendarDay.day)))


def preview_notice(session: Session, year: int, text: str) -> Preview:
    """Read a pasted notice for `year` and say what confirming it would save; saves nothing."""
    check_year(year)
    notice = parse_notice(text, year)
    return _plan(session, notice)


def confirm_notice(
    uow: UnitOfWork, *, year: int, text: str, actor: User | None, now: dt.datetime
) -> Preview:
    """Save the days of a notice previewed for `year`: new days are added, days entered
    otherwise are replaced, days already as the notice says are left (a second confirm
    changes nothing). The text is read again here: nothing from the preview is trusted."""
    with uow:
        session = uow.session
        _require_admin(actor)
        check_year(year)
        notice = parse_notice(text, year)
        years = sorted({d.day.year for d in notice.days if not workdays.package_knows(d.day.year)})
        _lock(session, years, actor, now)
        plan = _plan(session, notice)  # after the lock: another admin's confirm is seen
        if not plan.count(NEW, CHANGED):
            uow.rollback()
            return plan
        existing = {d.day: d for d in _days_between(session, years)}
        for planned in plan.days:
            entry = planned.entry
            if planned.status == NEW:
                session.add(CalendarDay(day=entry.day, kind=entry.kind, name=entry.name,
                                        entered_at=now, entered_by_id=_id(actor)))  # fmt: skip
            elif planned.status == CHANGED:
                row = existing[entry.day]
                row.kind, row.name, row.entered_at = entry.kind, entry.name, now
                row.entered_by_id = _id(actor)
        session.flush()
        _recount(session, years, actor, now)
        chain.append(
            session, now=now, actor=actor, action="calendar_confirm_notice",
            label="按国务院通知录入节假日安排",
            details={
                "year": year,
                "added": [_describe(p.entry) for p in plan.days if p.status == NEW],
                "replaced": [f"{_describe(p.entry)}（原为{p.was}）"
                             for p in plan.days if p.status == CHANGED],
            },
        )  # fmt: skip
        uow.commit()
        return plan


def add_day(
    uow: UnitOfWork, *, day: str | dt.date, kind: str, name: str, actor: User | None,
    now: dt.datetime,
) -> CalendarDay:  # fmt: skip
    """Enter one 放假 or 调休上班 day of a year chinese-calendar does not know."""
    with uow:
        session = uow.session
        _require_admin(actor)
        day, kind, name = _checked_day(day, kind, name)
        _lock(session, [day.year], actor, now)
        taken = session.scalar(select(CalendarDay).where(CalendarDay.day == day))
        if taken is not None:
            message = (f"{_date(day)}已在表中（{taken.kind_label}·{taken.name}），"
                       "如需修改请先删除该行")  # fmt: skip
            raise InvalidInput([Problem("day", message)])
        row = CalendarDay(day=day, kind=kind, name=name, entered_at=now,
                          entered_by_id=_id(actor))  # fmt: skip
        session.add(row)
        session.flush()
        _recount(session, [day.year], actor, now)
        chain.append(session, now=now, actor=actor, action="calendar_add_day",
                     label="录入节假日", details=_details(row))  # fmt: skip
        uow.commit()
        return row


def remove_day(uow: UnitOfWork, day_id: int, *, actor: User | None, now: dt.datetime) -> int:
    """Remove an entered day; returns its year."""
    with uow:
        session = uow.session
        _require_admin(actor)
        row = session.get(CalendarDay, day_id)
        if row is None:
            raise NotFound("该日期不在节假日表中，可能已被删除")
        year = row.day.year
        _lock(session, [year], actor, now)
        details = _details(row)
        session.delete(row)
        session.flush()
        _recount(session, [year], actor, now)
        chain.append(session, now=now, actor=actor, action="calendar_remove_day",
                     label="删除节假日", details=details)  # fmt: skip
        uow.commit()
        return year


def _plan(session: Session, notice: Notice) -> Preview:
    years = sorted({d.day.year for d in notice.days})
    existing = {d.day: d for d in _days_between(session, years)}
    planned = []
    for entry in notice.days:
        row = existing.get(entry.day)
        if workdays.package_knows(entry.day.year):
            planned.append(PlannedDay(entry, PACKAGE))
        elif row is None:
            planned.append(PlannedDay(entry, NEW))
        elif (row.kind, row.name) == (entry.kind, entry.name):
            planned.append(PlannedDay(entry, SAME))
        else:
            planned.append(PlannedDay(entry, CHANGED, f"{row.kind_label}·{row.name}"))
    return Preview(notice, tuple(planned))


def _days_between(session: Session, years: list[int]) -> list[CalendarDay]:
    if not years:
        return []
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    return list(session.scalars(select(CalendarDay).where(CalendarDay.day.between(first, last))))


def _lock(session: Session, years: list[int], actor: User | None, now: dt.datetime) -> None:
    """Take each year's row (made if missing) for this transaction, in year order: two admins
    changing one year take turns, and the second sees what the first saved."""
    rows = [{"year": year, "stamp": "", "holidays": 0, "workdays": 0, "updated_at": now,
             "updated_by_id": _id(actor)} for year in years]  # fmt: skip
    insert_rows(session, CalendarYear.__table__, rows, skip_conflicts=True)
    for year in years:
        session.get(CalendarYear, year, with_for_update=True, populate_existing=True)


def _recount(session: Session, years: list[int], actor: User | None, now: dt.datetime) -> None:
    """Each year's counts, a new stamp (every process loads the year again), who and when."""
    for year in years:
        counts = dict(
            session.execute(
                select(CalendarDay.kind, func.count())
                .where(CalendarDay.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
                .group_by(CalendarDay.kind)
            ).all()
        )
        row = session.get(CalendarYear, year)
        row.holidays, row.workdays = counts.get(HOLIDAY, 0), counts.get(WORKDAY, 0)
        row.stamp, row.updated_at, row.updated_by_id = uuid.uuid4().hex, now, _id(actor)
    _recount_deadlines(session, years)


def _recount_deadlines(session: Session, years: list[int]) -> None:
    """Count again every open deadline given in working days that may cross the years changed
    (「验收合格后10个工作日内支付」 across a 国庆 entered now): the reminders follow the new days.
    This process counts with them at once; the others load them by the new stamps."""
    if not years:
        return
    loading.refresh(session)
    counted = select(Milestone).where(
        Milestone.offset_workdays > 0,
        Milestone.actual_date.is_(None),
        Milestone.deadline >= dt.date(min(years), 1, 1),  # one before them crosses none
    )
    for milestone in session.scalars(counted):
        milestone.deadline = milestone.effective_due()


def _checked_day(day: str | dt.date, kind: str, name: str) -> tuple[dt.date, str, str]:
    problems = []
    if not isinstance(day, dt.date):
        text = clean(day)
        try:
            day = dt.date.fromisoformat(text) if text else None
        except ValueError:
            day = None
        if day is None:
            problems.append(Problem("day", "请填写日期（形如 2027-02-14）"))
    if isinstance(day, dt.date):
        try:
            check_year(day.year)
        except InvalidInput as exc:
            problems += [Problem("day", p.message) for p in exc.problems]
    kind = clean(kind)
    if kind not in KIND_LABELS:
        problems.append(Problem("kind", "请选择「放假」或「调休上班」"))
    elif isinstance(day, dt.date) and kind == WORKDAY and day.weekday() < 5:
        problems.append(Problem("day", f"{_date(day)}是星期{WEEKDAYS[day.weekday()]}，本来就是"
                                       "工作日；调休上班日应为星期六或星期日"))  # fmt: skip
    name = clean(name)
    if not name:
        problems.append(Problem("name", "请填写节日名称（如 春节）"))
    elif len(name) > NAME_MAX:
        problems.append(Problem("name", f"节日名称不超过{NAME_MAX}字"))
    if problems:
        raise InvalidInput(problems)
    return day, kind, name


def _require_admin(actor: User | None) -> None:
    # actor None: the command line, run by whoever operates the server.
    if actor is not None and not (actor.is_active and actor.has_role(Role.admin)):
        raise NotAllowed()


def _id(actor: User | None) -> int | None:
    return actor.id if actor else None


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _describe(entry: NoticeDay) -> str:
    return f"{entry.day.isoformat()} {KIND_LABELS[entry.kind]} {entry.name}"


def _details(row: CalendarDay) -> dict:
    return {"day": row.day.isoformat(), "kind": row.kind, "name": row.name}
