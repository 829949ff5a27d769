"""Working days waited, counted by China's calendar (holidays and 调休 make-up days)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from workflow.workdays import is_workday, workdays_between


def _one_by_one(start: dt.date, end: dt.date) -> int:
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count


def test_days_waited_skip_weekends_holidays_and_count_make_up_days():
    assert workdays_between(dt.date(2026, 3, 2), dt.date(2026, 3, 2)) == 0  # arrived today
    assert workdays_between(dt.date(2026, 3, 2), dt.date(2026, 3, 5)) == 3  # Monday → Thursday
    assert workdays_between(dt.date(2026, 3, 6), dt.date(2026, 3, 9)) == 1  # over a weekend
    # 国庆 2026: 10月1日–7日 off, Sunday 9月20日 worked; 10月8日 and 9日 are working days.
    assert workdays_between(dt.date(2026, 9, 30), dt.date(2026, 10, 9)) == 2
    assert workdays_between(dt.date(2026, 9, 19), dt.date(2026, 9, 20)) == 1  # a 调休 Sunday
    assert workdays_between(dt.date(2026, 3, 5), dt.date(2026, 3, 2)) == 0  # never negative


@given(
    st.dates(dt.date(2019, 1, 1), dt.date(2031, 12, 31)),
    st.integers(min_value=0, max_value=1200),
)
def test_counting_by_year_tables_equals_counting_day_by_day(start, length):
    end = start + dt.timedelta(days=length)
    assert workdays_between(start, end) == _one_by_one(start, end)
