"""Which years the calendar covers, and the warning the admin pages show when the furthest due
date the system holds lies in a year nobody has entered: its reminders and 「已 N 个工作日」
would count Monday to Friday and ignore 春节 and its 调休.

The warning is one statement on indexes: the latest open milestone deadline (质保金 releases
included; ix_milestones_deadline_open), the latest project year (its 绩效自评 falls due the
year after; ix_projects_year_id), and the entered years after chinese-calendar's last one (a
handful of rows of calendar_years)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, literal, select
from sqlalchemy.orm import Session

from workflow import workdays
from workflow.holidays.models import CalendarYear
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.spec import ReminderPolicy
from workflow.milestones.models import Milestone
from workflow.projects.models import Project


@dataclass(frozen=True)
class Coverage:
    """The furthest date the calendar is needed for, and the years after chinese-calendar's
    that the admin has entered (with at least one 放假 day)."""

    today: dt.date
    furthest: dt.date
    furthest_is_due: bool  # a due date, not just today
    entered: frozenset[int]

    def covered(self, year: int) -> bool:
        return workdays.package_knows(year) or year in self.entered

    @property
    def missing(self) -> list[int]:
        """Years from today's to the furthest due date's that nobody has entered."""
        return [y for y in range(self.today.year, self.furthest.year + 1) if not self.covered(y)]

    @property
    def covered_until(self) -> int | None:
        """The last year of the covered run starting this year (None: this year is not)."""
        year = self.today.year
        if not self.covered(year):
            return None
        while self.covered(year + 1):
            year += 1
        return year


def coverage(session: Session, today: dt.date, policy: ReminderPolicy | None = None) -> Coverage:
    """What the calendar must cover and what it does: one statement."""
    policy = policy or get_lifecycle().spec.reminders
    rows = session.execute(latest_dues_statement()).all()
    deadline, project_year = rows[0][0], rows[0][1]
    dues = [deadline] if deadline is not None else []
    if project_year is not None:
        dues.append(
            dt.date(project_year + 1, policy.evaluation_deadline_month,
                    policy.evaluation_deadline_day)
        )  # fmt: skip
    furthest = max(dues, default=today)
    entered = frozenset(year for *_, year in rows if year is not None)
    return Coverage(today, max(furthest, today), furthest > today, entered)


def latest_dues_statement() -> Select:
    """(latest open deadline, latest project year, an entered year) rows: one row per year
    entered after chinese-calendar's (one row with None if none is), the maxima on each."""
    latest_deadline = (
        select(func.max(Milestone.deadline)).where(Milestone.actual_date.is_(None))
    ).scalar_subquery()
    latest_year = select(func.max(Project.year)).scalar_subquery()
    one = select(literal(1).label("one")).subquery()
    return (
        select(latest_deadline, latest_year, CalendarYear.year)
        .select_from(one)
        .outerjoin(
            CalendarYear,
            and_(CalendarYear.holidays > 0, CalendarYear.year > workdays.PACKAGE_LAST_YEAR),
        )
    )


def coverage_warning(
    session: Session, today: dt.date, policy: ReminderPolicy | None = None
) -> str | None:
    """The admin pages' warning when the calendar ends before the furthest due date; None
    when it reaches it. One statement."""
    return warning_of(coverage(session, today, policy))


def warning_of(cover: Coverage) -> str | None:
    missing = cover.missing
    if not missing:
        return None
    until = cover.covered_until
    start = f"节假日安排仅覆盖至{until}年" if until else f"{cover.today.year}年的节假日安排尚未录入"
    due = cover.furthest
    reach = (f"，系统中最晚的到期日为{due.year}年{due.month}月{due.day}日"
             if cover.furthest_is_due else "")  # fmt: skip
    return (
        f"{start}{reach}，请补充{years_label(missing)}的节假日安排"
        "（未录入的年份按周一至周五计算工作日，提醒日期会忽略春节等假期和调休）。"
    )


def years_label(years: list[int]) -> str:
    """2027年; 2027—2029年; 2027、2029年."""
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}—{years[-1]}年"
    return "、".join(str(y) for y in years) + "年"


@dataclass(frozen=True)
class YearRow:
    """One line of the 节假日 page: a year after chinese-calendar's, entered or not."""

    year: int
    record: CalendarYear | None
    needed: bool  # a due date or today falls in it

    @property
    def package(self) -> bool:
        return workdays.package_knows(self.year)

    @property
    def covered(self) -> bool:
        return self.package or (self.record is not None and self.record.holidays > 0)


def year_rows(session: Session, cover: Coverage) -> list[YearRow]:
    """The years after chinese-calendar's first that the page lists: each year entered, and
    every year up to the furthest due date (and next year, which is entered each autumn)."""
    records = {r.year: r for r in session.scalars(select(CalendarYear))}
    last = max([cover.furthest.year, cover.today.year + 1, *records])
    first = min([workdays.PACKAGE_LAST_YEAR + 1, *records])
    return [
        YearRow(year, records.get(year), cover.today.year <= year <= cover.furthest.year)
        for year in range(first, last + 1)
    ]
