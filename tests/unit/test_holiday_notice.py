"""The State Council's notice, pasted, read into days: every notice of 2015–2026 gives, day by
day, what chinese-calendar (the source for those years) says; the forms a pasted text takes
(full-width or half-width, 星期 or 周, headings, years reaching back) are read alike; and what
cannot be read is named by its line in Chinese, never guessed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

from workflow.errors import InvalidInput
from workflow.holidays.notice import NOTICE_MAX, holiday_lines, parse_notice

CORPUS = Path(__file__).parents[1] / "corpus" / "holiday_notices"
#: Days set by other instruments than the yearly notice (see the corpus README).
NOT_BY_NOTICE = {
    dt.date(2015, 9, 3): False, dt.date(2015, 9, 4): False, dt.date(2015, 9, 6): True,  # 抗战70周年
    dt.date(2020, 1, 31): False, dt.date(2020, 2, 1): False,  # 春节 extended
}  # fmt: skip
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知（测试用，日期为虚构）
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月14日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


def _files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


def _corpus_days() -> dict[dt.date, str]:
    days: dict[dt.date, str] = {}
    for path in _files():
        for d in parse_notice(path.read_text(encoding="utf-8")).days:
            days[d.day] = d.kind
    return days


def test_the_corpus_holds_a_notice_for_every_year_from_2015_to_2026():
    years = {parse_notice(p.read_text(encoding="utf-8")).year for p in _files()}
    assert years == set(range(2015, 2027))


@pytest.mark.parametrize("year", range(2015, 2027))
def test_each_day_of_a_year_is_what_chinese_calendar_says(year):
    days = _corpus_days()
    day = dt.date(year, 1, 1)
    while day.year == year:
        kind = days.get(day)
        workday = kind == "workday" or (kind is None and day.weekday() < 5)
        expected = chinese_calendar.is_workday(day)
        if day in NOT_BY_NOTICE:
            assert expected == NOT_BY_NOTICE[day]
        else:
            assert workday == expected, day
        day += dt.timedelta(days=1)


def test_the_days_off_named_are_chinese_calendars_days_off():
    for day, kind in _corpus_days().items():
        if day not in NOT_BY_NOTICE:
            assert chinese_calendar.is_holiday(day) == (kind == "holiday"), day


def test_a_2027_notice_in_the_brief_form_is_read_line_by_line():
    notice = parse_notice(NOTICE_2027, 2027)
    assert notice.year == 2027
    spring = [d for d in notice.days if d.name == "春节"]
    assert [d.day for d in spring if d.kind == "holiday"] == [
        dt.date(2027, 2, 5) + dt.timedelta(days=n) for n in range(9)
    ]
    assert [d.day for d in spring if d.kind == "workday"] == [dt.date(2027, 2, 14),
                                                              dt.date(2027, 2, 20)]  # fmt: skip
    assert all(d.line == 3 for d in spring)
    lines = holiday_lines(notice.days, 2027)
    assert lines[1].name == "春节" and lines[1].off_days == 9
    assert lines[1].off == "2月5日（周五）至13日（周六）"
    assert lines[1].work == "2月14日（周日）、2月20日（周六）"


@pytest.mark.parametrize(
    "line, holidays, workdays",
    [
        # 星期 or 周, full-width or half-width, 「（一）」 or 「十、」 headings
        ("五、劳动节：5月1日至5日放假调休，共5天。4月25日（周日）、5月8日（周六）上班。",
         ["2027-05-01", "2027-05-02", "2027-05-03", "2027-05-04", "2027-05-05"],
         ["2027-04-25", "2027-05-08"]),
        ("(一)国庆节、中秋节:10月1日至7日放假调休,共7天。9月26日(星期日)、10月9日(星期六)上班。",
         [f"2027-10-0{n}" for n in range(1, 8)], ["2027-09-26", "2027-10-09"]),
        ("十、端午节：６月９日放假，与周末连休。", ["2027-06-09"], []),
        ("端午节：6月9日放假，共1天。", ["2027-06-09"], []),
        ("一、元旦：1月1日放假，1月4日（星期一）补休。", ["2027-01-01", "2027-01-04"], []),
        # across the new year: the December days are the year before
        ("一、元旦：12月31日至1月2日放假调休，共3天。",
         ["2026-12-31", "2027-01-01", "2027-01-02"], []),
        ("一、元旦：2026年12月31日至2027年1月2日放假调休，共3天。",
         ["2026-12-31", "2027-01-01", "2027-01-02"], []),
        ("一、元旦：1月1日至3日放假，共3天。12月27日（星期日）上班。",
         ["2027-01-01", "2027-01-02", "2027-01-03"], ["2026-12-27"]),
        # ranges over a month's end, lists, 「到」 and a dash
        ("四、劳动节：4月30日至5月4日放假调休，共5天。", ["2027-04-30", "2027-05-01",
         "2027-05-02", "2027-05-03", "2027-05-04"], []),
        ("三、清明节：4月3日、4日、5日放假。", ["2027-04-03", "2027-04-04", "2027-04-05"], []),
        ("三、清明节：4月3日到5日放假。", ["2027-04-03", "2027-04-04", "2027-04-05"], []),
        ("三、清明节：4月3日—5日放假。", ["2027-04-03", "2027-04-04", "2027-04-05"], []),
        ("春節：2月5日至6日放假調休，共2天。2月20日（星期六）上班。",
         ["2027-02-05", "2027-02-06"], ["2027-02-20"]),
        ("中秋节：9月15日放假，共一天。", ["2027-09-15"], []),
    ],
)  # fmt: skip
def test_the_forms_a_pasted_line_takes(line, holidays, workdays):
    notice = parse_notice(line, 2027)
    off = [d.day.isoformat() for d in notice.days if d.kind == "holiday"]
    on = [d.day.isoformat() for d in notice.days if d.kind == "workday"]
    assert (off, on) == (holidays, workdays)


def test_a_sentence_with_a_date_that_is_no_day_off_is_shown_not_taken():
    text = ("二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。"
            "鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。")  # fmt: skip
    notice = parse_notice(text, 2024)
    assert dt.date(2024, 2, 9) not in {d.day for d in notice.days}
    assert notice.not_taken == ("第1行：安排职工在除夕（2月9日）休息",)


def test_a_line_without_a_name_takes_the_holiday_of_the_line_before():
    notice = parse_notice((CORPUS / "2019-labour-day.txt").read_text(encoding="utf-8"))
    assert {d.name for d in notice.days} == {"劳动节"}


def _problems(text: str, year: int | None = 2027) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_notice(text, year)
    return [p.message for p in caught.value.problems]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "请粘贴国务院办公厅关于部分节假日安排的通知正文"),
        ("今天天气很好。", "未能从粘贴的文字中识别出放假安排"),
        ("一、元旦：1月1日（周四）放假，共1天。",
         "第1行「一、元旦：1月1日（周四）放假，共1天。」：2027年1月1日是星期五，通知所写为「星期四」"),
        ("标题\n二、春节：2月30日放假。",
         "第2行「二、春节：2月30日放假。」：「2月30日」不是有效的日期"),
        ("二、春节：2月5日至13日放假调休，共8天。", "所列放假日期共9天，与通知所写的「共8天」不符"),
        ("二、春节：2月5日放假。2月17日（周三）上班。",
         "2027年2月17日是星期三，本来就是工作日，不是调休上班日"),
        ("二、春节：二月五日至十三日放假。",
         "第1行「二、春节：二月五日至十三日放假。」：未能识别其中的日期"),
        ("二、春节：2月5日至放假。", "「至」后缺少日期"),
        ("二、春节：2月6日放假。2月6日（周六）上班。", "2027年2月6日既是放假日又是上班日"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。",
         "粘贴的是2026年的节假日安排通知，当前录入的是2027年"),
        ("一、元旦：2025年1月1日放假。", "2025年1月1日不在2027年的节假日安排之内"),
    ],
)  # fmt: skip
def test_what_cannot_be_read_is_named_by_its_line_in_chinese(text, message):
    assert any(message in p for p in _problems(text)), _problems(text)


def test_every_bad_line_is_named_not_only_the_first():
    problems = _problems("一、元旦：1月1日（周四）放假。\n二、春节：2月30日放假。")
    assert [p[:3] for p in problems] == ["第1行", "第2行"]


def test_a_notice_needs_its_year_when_none_is_given():
    assert "未能从通知中看出年份" in _problems("一、元旦：1月1日放假。", None)[0]
    assert parse_notice("关于2027年部分节假日安排的通知\n元旦：1月1日放假。").year == 2027


def test_the_text_is_capped():
    long = "一、元旦：1月1日放假。\n" + "节" * NOTICE_MAX
    assert "超过5000字" in _problems(long)[0]
