from decimal import Decimal

import pytest

from workflow.db import fen_to_wan, wan_to_fen
from workflow.numbers import NumberError, parse_date, parse_percent, parse_wan


@pytest.mark.parametrize(
    ("wan", "fen"),
    [("350", 350_000_000), ("41.86", 41_860_000), ("2157.53", 2_157_530_000), ("0.000001", 1)],
)
def test_money_is_stored_as_exact_fen(wan, fen):
    assert wan_to_fen(Decimal(wan)) == fen
    assert fen_to_wan(fen) == Decimal(wan)


def test_a_fraction_of_a_fen_is_refused():
    with pytest.raises(ValueError):
        wan_to_fen(Decimal("0.0000001"))


@pytest.mark.parametrize(
    ("typed", "value"),
    [("350", Decimal("350")), (" 1,435.5 ", Decimal("1435.5")), ("41.860000", Decimal("41.86")),
     ("２１．８６", Decimal("21.86")), ("", None), ("  ", None)],
)  # fmt: skip
def test_amounts_as_people_type_them(typed, value):
    assert parse_wan(typed, "预算金额") == value


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [("-5", "负数"), ("abc", "应为数字"), ("1.1234567", "应为数字"), ("1e5", "应为数字"),
     ("99999999999", "过大"), ("NaN", "应为数字"), ("三百", "“三百”")],
)  # fmt: skip
def test_bad_amounts_get_a_chinese_message(typed, fragment):
    with pytest.raises(NumberError) as excinfo:
        parse_wan(typed, "预算金额")
    assert fragment in excinfo.value.message and "「预算金额」" in excinfo.value.message


@pytest.mark.parametrize(("typed", "value"), [("100", 100), ("99.5%", Decimal("99.5")), ("0", 0)])
def test_rates(typed, value):
    assert parse_percent(typed, "资金到位率") == value


@pytest.mark.parametrize("typed", ["101", "-1", "百分百", "99.555"])
def test_bad_rates(typed):
    with pytest.raises(NumberError):
        parse_percent(typed, "资金到位率")


@pytest.mark.parametrize("typed", ["2021-03-05", "2021/3/5", "2021年3月5日", "2021.03.05"])
def test_dates(typed):
    import datetime as dt

    assert parse_date(typed, "填报日期") == dt.date(2021, 3, 5)


@pytest.mark.parametrize("typed", ["2021-02-30", "明天", "2021-13-01", "20210305x"])
def test_bad_dates(typed):
    with pytest.raises(NumberError) as excinfo:
        parse_date(typed, "填报日期")
    assert "「填报日期」应为日期" in excinfo.value.message
