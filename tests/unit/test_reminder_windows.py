"""The reminder run reads only the deadlines `reminded_deadlines` names for the days it runs: every
deadline that gives a reminder on one of those days is among them (holidays, 调休 days, month
ends and catch-up spans included), and few that give none."""

from __future__ import annotations

import datetime as dt

import pytest

from workflow.lifecycle.spec import ReminderPolicy
from workflow.notify.reminders import reminded_deadlines, schedule

DAY = dt.timedelta(days=1)
POLICIES = {
    "states.yaml": ReminderPolicy(),
    "other": ReminderPolicy(
        before_days=(10, 3),
        on_due=False,
        overdue_every_days=5,
        overdue_weekly_for_months=2,
        overdue_then_every_months=3,
        escalate_after_days=20,
    ),  # fmt: skip
}
# (since, until): a day, a week caught up, and spans around 国庆, 春节, 劳动节 and month ends
RUNS = [
    (dt.date(2023, 10, 9), dt.date(2023, 10, 9)),  # the first working day after 国庆
    (dt.date(2023, 9, 28), dt.date(2023, 10, 8)),  # over the holiday, 调休 Sunday included
    (dt.date(2024, 2, 8), dt.date(2024, 2, 19)),  # 春节
    (dt.date(2024, 2, 29), dt.date(2024, 3, 1)),  # a leap day
    (dt.date(2024, 5, 1), dt.date(2024, 5, 1)),  # a holiday alone: nothing is sent
    (dt.date(2025, 1, 31), dt.date(2025, 2, 7)),
    (dt.date(2025, 5, 30), dt.date(2025, 6, 2)),  # 端午 over a month end
    (dt.date(2026, 3, 2), dt.date(2026, 3, 9)),
]


def _reminded(deadline, policy, since, until) -> bool:
    return any(since <= day <= until for _, day in schedule(deadline, policy, until))


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES.keys())
@pytest.mark.parametrize("since, until", RUNS)
def test_every_deadline_reminded_on_the_days_run_is_read(policy, since, until):
    earliest = since - dt.timedelta(days=250)
    ranges = reminded_deadlines(policy, since, until, earliest)
    read = {low + DAY * n for low, high in ranges for n in range((high - low).days + 1)}
    deadline, reminded = earliest, set()
    while deadline <= until + dt.timedelta(days=60):
        if _reminded(deadline, policy, since, until):
            reminded.add(deadline)
        deadline += DAY
    assert reminded <= read, sorted(reminded - read)
    # A few days around each reminded one, not every open deadline of months.
    assert len(read) <= 4 * len(reminded) + 60, (len(read), len(reminded))


def test_nothing_older_than_the_oldest_open_deadline_is_looked_for():
    policy, day = ReminderPolicy(), dt.date(2026, 3, 9)
    assert reminded_deadlines(policy, day, day, None)[0][0] >= day - dt.timedelta(days=60)
    oldest = day - dt.timedelta(days=400)
    assert reminded_deadlines(policy, day, day, oldest)[0][1] >= oldest
    assert reminded_deadlines(policy, day, day, oldest)[0][0] >= oldest - dt.timedelta(days=40)
