"""China's working days (statutory holidays and 调休 make-up days) from chinese-calendar."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import logging

import chinese_calendar

log = logging.getLogger(__name__)


@functools.cache
def _known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        log.warning("chinese-calendar has no data for %s: counting weekdays only", year)
        return False
    return True


def is_workday(day: dt.date) -> bool:
    """A working day by the State Council's calendar; beyond the years the library knows,
    Monday to Friday (and one warning per year, so the library gets updated)."""
    if _known(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def on_or_before_workday(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the working day before it."""
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def on_or_after_workday(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the working day after it."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


@functools.cache
def _running_count(year: int) -> tuple[int, ...]:
    """For each day of the year (index 0 = 1 January): working days from 1 January to it."""
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    flags = (is_workday(start + dt.timedelta(days=n)) for n in range(days))
    return tuple(itertools.accumulate(int(f) for f in flags))


def _through(day: dt.date) -> int:
    """Working days from 1 January of the day's year to the day, both included."""
    return _running_count(day.year)[day.timetuple().tm_yday - 1]


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start): what
    「已 3 个工作日」 counts from the day something arrived to today."""
    if end <= start:
        return 0
    total = _through(end) - _through(start)
    for year in range(start.year, end.year):  # whole years in between, and start's remainder
        total += _running_count(year)[-1]
    return total
