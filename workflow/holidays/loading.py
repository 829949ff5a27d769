"""This process's copy of the admin's calendar (workflow/workdays.py holds it), kept current by
comparing stamps: one query of the small `calendar_years` table, and a second one only for the
years whose stamp changed. The reminder run looks every time it starts, the calendar pages on
every view; the other pages (the 工作台's and the project page's 「已 N 个工作日」) at most
every STALE_AFTER per process, and only once today is in a year chinese-calendar does not
know: until then they spend no statement on it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import workdays
from workflow.holidays.models import HOLIDAY, WORKDAY, CalendarDay, CalendarYear

#: How stale the 工作台's 「已 N 个工作日」 may be after an edit made on another node.
STALE_AFTER = dt.timedelta(minutes=5)

_looked_at: dt.datetime | None = None  # when this process last compared stamps


def refresh(session: Session, *, now: dt.datetime | None = None) -> bool:
    """Bring this process's copy up to date (looked at `now`); whether a year changed."""
    global _looked_at
    stamps = dict(session.execute(select(CalendarYear.year, CalendarYear.stamp)).tuples().all())
    held = workdays.entered_stamps()
    changed: dict[int, workdays.EnteredYear | None] = {y: None for y in held if y not in stamps}
    outdated = sorted(year for year, stamp in stamps.items() if held.get(year) != stamp)
    if outdated:
        changed |= _load(session, outdated, stamps)
    workdays.install(changed)
    if now is not None:
        _looked_at = now
    return bool(changed)


def stale(*, today: dt.date, now: dt.datetime) -> bool:
    """Whether a page that counts working days up to `today` should compare stamps first:
    not while chinese-calendar knows today's year, else at most every STALE_AFTER."""
    if workdays.package_knows(today.year):
        return False
    return _looked_at is None or not _looked_at <= now < _looked_at + STALE_AFTER


def forget() -> None:
    """Drop the copy (tests: each starts from an empty database)."""
    global _looked_at
    _looked_at = None
    workdays.forget_entered()


def _load(
    session: Session, years: list[int], stamps: dict[int, str]
) -> dict[int, workdays.EnteredYear]:
    """The days of `years`, in one query on the index of `day`."""
    rows = session.execute(
        select(CalendarDay.day, CalendarDay.kind).where(
            CalendarDay.day.between(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
        )
    ).tuples()
    days: dict[int, dict[str, set[dt.date]]] = {y: {HOLIDAY: set(), WORKDAY: set()} for y in years}
    for day, kind in rows:
        if day.year in days:
            days[day.year][kind].add(day)
    return {
        year: workdays.EnteredYear(
            stamps[year], frozenset(kinds[HOLIDAY]), frozenset(kinds[WORKDAY])
        )
        for year, kinds in days.items()
    }
