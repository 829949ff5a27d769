"""China's working days (statutory holidays and 调休 make-up days).

Two sources, by year: chinese-calendar for the years it knows (2004 to the year of its release),
and the calendar the 系统管理员 enters (workflow/holidays/) for the years after. A year neither
knows counts Monday to Friday (one warning a year in the log; the admin pages warn too).

The admin's years live in this process, installed by `workflow.holidays.loading.refresh`, which
the reminder run, the 工作台 and the calendar pages call with their session: the functions here
stay free of the database and cost a tuple lookup a day (each year's days are computed once)."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import logging
from collections.abc import Mapping
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar import constants as _package_data

log = logging.getLogger(__name__)

#: The years chinese-calendar knows: its data runs without a gap from the first to the last.
PACKAGE_FIRST_YEAR = min(day.year for day in _package_data.holidays)
PACKAGE_LAST_YEAR = max(day.year for day in _package_data.holidays)


@dataclass(frozen=True)
class EnteredYear:
    """A year's 放假 days and 调休上班 days as the 系统管理员 entered them; `stamp` changes with
    every edit, so that a process sees whether its copy is current."""

    stamp: str
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    @property
    def covered(self) -> bool:
        """A year with no 放假 day entered is not a calendar yet (every year has 元旦)."""
        return bool(self.holidays)


_entered: dict[int, EnteredYear] = {}
_flags: dict[int, tuple[bool, ...]] = {}  # each day of a year: a working day?
_running: dict[int, tuple[int, ...]] = {}
_warned: set[int] = set()
_generation = 0  # bumped whenever an entered year changes: what callers cache is keyed by it


@functools.cache
def package_knows(year: int) -> bool:
    """Whether chinese-calendar has the State Council's arrangement for `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def source_of(year: int) -> str | None:
    """Where `year`'s working days come from: "package", "entered", or None (Monday to Friday)."""
    if package_knows(year):
        return "package"
    entered = _entered.get(year)
    return "entered" if entered is not None and entered.covered else None


def entered_stamps() -> dict[int, str]:
    """The stamp of each admin-entered year this process holds."""
    return {year: entered.stamp for year, entered in _entered.items()}


def generation() -> int:
    """Changes whenever the working days of some year may have changed (cache keys)."""
    return _generation


def install(changed: Mapping[int, EnteredYear | None]) -> None:
    """Take these years as entered (None: no longer entered); the days computed for them are
    computed again when next asked."""
    global _generation
    if changed:
        _generation += 1
    for year, entered in changed.items():
        if entered is None:
            _entered.pop(year, None)
        else:
            _entered[year] = entered
        _flags.pop(year, None)
        _running.pop(year, None)


def forget_entered() -> None:
    """Drop every admin-entered year (tests; a process that reloads from scratch)."""
    install(dict.fromkeys(list(_entered)))


def _year_flags(year: int) -> tuple[bool, ...]:
    flags = _flags.get(year)
    if flags is None:
        flags = _flags[year] = _compute_flags(year)
    return flags


def _compute_flags(year: int) -> tuple[bool, ...]:
    start = dt.date(year, 1, 1)
    days = [start + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - start).days)]
    if package_knows(year):
        return tuple(chinese_calendar.is_workday(day) for day in days)
    entered = _entered.get(year)
    if entered is None or not entered.covered:
        if year not in _warned:
            _warned.add(year)
            log.warning("no holiday calendar for %s: counting weekdays only", year)
        entered = EnteredYear("", frozenset(), frozenset())
    return tuple(
        day in entered.workdays or (day.weekday() < 5 and day not in entered.holidays)
        for day in days
    )


def package_days(year: int) -> list[tuple[dt.date, str, str]]:
    """chinese-calendar's 放假 ("holiday") and 调休上班 ("workday") days of `year`, by date, with
    the holiday's Chinese name (empty for a year it does not know): shown for reference."""
    names = {h.value: h.chinese for h in _package_data.Holiday}
    days = [(day, "holiday", names.get(name, name))
            for day, name in _package_data.holidays.items() if day.year == year]  # fmt: skip
    days += [(day, "workday", names.get(name, name))
             for day, name in _package_data.workdays.items() if day.year == year]  # fmt: skip
    return sorted(days)


def is_workday(day: dt.date) -> bool:
    """A working day by the State Council's calendar: chinese-calendar's, else the admin's;
    for a year neither knows, Monday to Friday."""
    return _year_flags(day.year)[day.timetuple().tm_yday - 1]


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


def add_workdays(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `day` (「验收合格后10个工作日内」: the last day allowed);
    `day` itself for a count of 0."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= is_workday(day)
    return day


def _running_count(year: int) -> tuple[int, ...]:
    """For each day of the year (index 0 = 1 January): working days from 1 January to it."""
    running = _running.get(year)
    if running is None:
        running = _running[year] = tuple(itertools.accumulate(map(int, _year_flags(year))))
    return running


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
