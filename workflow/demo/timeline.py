"""Demo time: every step on a working day in office hours (China time), laid out the way a real
year would space it, then fitted before a limit (the load time) without changing its order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from workflow.clock import CHINA
from workflow.workdays import is_workday, on_or_after_workday, on_or_before_workday

OPEN, CLOSE = dt.time(9, 0), dt.time(17, 30)
MIN_GAP = 10  # minutes between two steps of one story, at the most crowded
SLACK = 0.85  # the share of its room a squeezed story takes: it starts inside it, not on its edge
# The times of day people act at; a story picks among them so that its history does not read
# like a machine's (every step at 09:00).
_TIMES = [dt.time(h, m) for h, m in ((9, 10), (9, 45), (10, 20), (10, 55), (11, 30), (14, 5),
                                     (14, 40), (15, 15), (15, 50), (16, 25))]  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One thing someone does: `gap` working days after the story's previous step (0: later the
    same day), and not before `not_before`; squeezed before the load time, not before
    `earliest` if there is room (the first day it makes sense at all)."""

    action: str
    gap: int = 1
    not_before: dt.date | None = None
    args: dict[str, Any] = field(default_factory=dict)
    earliest: dt.date | None = None


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(CHINA)


def at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=CHINA)


def workdays_after(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (n = 0: the day itself, or the next working day)."""
    day = on_or_after_workday(day) if n == 0 else day
    for _ in range(n):
        day = on_or_after_workday(day + dt.timedelta(days=1))
    return day


def workdays_before(day: dt.date, n: int) -> dt.date:
    """The n-th working day before `day`."""
    for _ in range(n):
        day = on_or_before_workday(day - dt.timedelta(days=1))
    return day


def lay_out(steps: Sequence[Step], start: dt.date, salt: int) -> list[dt.datetime]:
    """The natural time of each step: the story starts on `start`, each step follows the one
    before by its gap (and its not_before), at a time of day people work at."""
    times: list[dt.datetime] = []
    for i, step in enumerate(steps):
        day = on_or_after_workday(start)
        if times:
            day = workdays_after(local(times[-1]).date(), step.gap)
        if step.not_before and day < step.not_before:
            day = on_or_after_workday(step.not_before)
        moment = at(day, _TIMES[(salt * 7 + i * 3) % len(_TIMES)])
        if times and moment < times[-1] + dt.timedelta(minutes=MIN_GAP):
            moment = _later(times[-1], 25 + (salt * 13 + i * 7) % 40)
        times.append(moment.astimezone(dt.UTC))
    return times


def _later(moment: dt.datetime, minutes: int) -> dt.datetime:
    """`minutes` later the same day, or first thing the next working day."""
    then = local(moment) + dt.timedelta(minutes=minutes)
    if then.date() == local(moment).date() and then.time() <= CLOSE:
        return then
    return at(workdays_after(local(moment).date(), 1), _TIMES[0])


def snap_back(moment: dt.datetime) -> dt.datetime:
    """The latest moment in office hours on a working day at or before `moment`."""
    here = local(moment)
    if is_workday(here.date()) and here.time() >= OPEN:
        return min(here, at(here.date(), CLOSE))
    return at(workdays_before(here.date(), 1), CLOSE)


def office_minutes(start: dt.datetime, end: dt.datetime) -> float:
    """Office minutes (working days, 09:00–17:30) between two moments."""
    total, day = 0.0, local(start).date()
    while day <= local(end).date():
        if is_workday(day):
            lo, hi = max(at(day, OPEN), local(start)), min(at(day, CLOSE), local(end))
            total += max((hi - lo).total_seconds() / 60, 0)
        day += dt.timedelta(days=1)
    return total


def back(moment: dt.datetime, minutes: float) -> dt.datetime:
    """`minutes` of office time before `moment` (a moment in office hours)."""
    here = local(moment)
    while minutes > (room := (here - at(here.date(), OPEN)).total_seconds() / 60):
        minutes -= room
        here = at(workdays_before(here.date(), 1), CLOSE)
    return here - dt.timedelta(minutes=minutes)


def fit(
    times: Sequence[dt.datetime],
    end: dt.datetime,
    earliest: Sequence[dt.date | None] = (),
    slack: float = SLACK,
) -> list[dt.datetime]:
    """The times, none after `end`, in the same order. What would pass `end` (a story whose
    natural course runs past the load time, say a January load) is compressed into the office
    time left before it: its gaps scaled down just enough, its last step just before `end`, and
    its first not before its `earliest` day when there is room for that (开始自评 after the
    project's year, not in its December)."""
    if not times or times[-1] <= end:
        return list(times)
    earliest = list(earliest) or [None] * len(times)
    k = next(i for i, t in enumerate(times) if t > end)
    last = snap_back(end)
    # A step just before the squeezed ones that may move back to its `earliest` day joins them:
    # the squeeze then has the days since then (自评 begun on 5 January, not all on the 7th).
    while k and (day := earliest[k - 1]) and at(day, OPEN) < min(times[k - 1], last):
        if k > 1 and at(day, OPEN) <= times[k - 2]:
            break
        k -= 1
    while True:
        gaps = [office_minutes(times[i - 1], times[i]) for i in range(k + 1, len(times))]
        floor = at(earliest[k], OPEN) if earliest[k] else None
        if floor and floor < last and (k == 0 or floor > times[k - 1]):
            room, need = office_minutes(floor, last), sum(gaps)
        elif k:
            room = office_minutes(times[k - 1], last)
            need = office_minutes(times[k - 1], times[k]) + sum(gaps)
        else:
            room = need = 0.0
        scale = min(1.0, slack * room / need) if need else 1.0
        placed = [last]
        for gap in reversed(gaps):
            placed.append(back(placed[-1], max(gap * scale, MIN_GAP)))
        placed = [p.replace(second=0, microsecond=0) for p in reversed(placed)]
        if k == 0 or placed[0] > times[k - 1]:
            return [*times[:k], *(p.astimezone(dt.UTC) for p in placed)]
        k -= 1  # no room after the step before: let that one move too
