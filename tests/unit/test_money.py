from decimal import Decimal

import pytest

from workflow.db import fen_to_wan, wan_to_fen
from workflow.projects.operations import parse_amount


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
    [("350", Decimal("350")), (" 1,435.5 ", Decimal("1435.5")), ("41.860000", Decimal("41.86"))],
)
def test_amounts_as_people_type_them(typed, value):
    parsed, problem = parse_amount(typed)
    assert problem is None and parsed == value


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [("", "未填写"), ("-5", "负数"), ("abc", "数字"), ("1.1234567", "数字"), ("1e5", "数字"),
     ("99999999999", "过大"), ("NaN", "数字")],
)  # fmt: skip
def test_bad_amounts_get_a_chinese_message(typed, fragment):
    parsed, problem = parse_amount(typed)
    assert parsed is None and fragment in problem.message
