"""China's working days (statutory holidays and 调休 make-up days) from chinese-calendar."""

from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar

log = logging.getLogger(__name__)


def is_workday(day: dt.date) -> bool:
    """A working day by the State Council's calendar; beyond the years the library knows,
    Monday to Friday (and a warning, so the library gets updated)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        log.warning("chinese-calendar has no data for %s: counting weekdays only", day.year)
        return day.weekday() < 5


def on_or_before_workday(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the working day before it."""
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day
