"""The dates a 项目实施计划 writes, as people write them (issue 15): 「2021年1到3月」「2020年8月-
2020年11月」「3月底前」「6月30日前」「2023.03」「2023-03-15」「第一季度」「一季度末」「Q1」
「第三、四季度」「上半年」「下半年」「年初」「年中」「年底前」「年内」「次年3月」; 「今年」「明年」
name a year the text does not give, so what they date goes to the notes.

Matching runs on the plan with full-width digits and punctuation made ASCII (`NORM`, one character
to one character). A date without a year takes the year last named in the plan (`context_year`),
or the project year when none was named. Standard library only.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

NORM = str.maketrans("０１２３４５６７８９％－～：；，．（）／", "0123456789%-~:;,.()/")
_W = r"[ \t\u3000]{0,2}"  # bounded: unbounded \s* next to each other backtracks on long blanks
SEP = rf"{_W}(?:到|至|[-—–~]{{1,2}}){_W}"
_EARLY = r"初(?!步|验(?!收))"  # 年初/月初, but not 初步验收 or 初验
_MID = r"中(?![国央共华标心期])"  # 年中, but not 2021年中国…, 中标
# 「次年3月」: the year after the one last named.
_NEXT = r"(?P<next1>次年|翌年|第二年)"
_YEAR_OF = rf"(?<!\d)(?:(?P<y1>\d{{4}}){_W}年{_W}|{_NEXT}{_W})?"
_RANGE = re.compile(
    rf"{_YEAR_OF}(?P<m1>\d{{1,2}}){_W}(?:月{_W})?(?:(?P<d1>\d{{1,2}}){_W}[日号]{_W})?{SEP}"
    rf"(?:(?P<y2>\d{{4}}){_W}年{_W})?(?P<m2>\d{{1,2}}){_W}月(?:{_W}(?P<d2>\d{{1,2}}){_W}[日号])?"
    r"(?:份|底|末)?"
)
_YEAR_RANGE = re.compile(rf"(?<!\d)(?P<y1>\d{{4}}){_W}年?度?{SEP}(?P<y2>\d{{4}}){_W}年度?")
_FULL = re.compile(rf"{_YEAR_OF}(?P<m>\d{{1,2}}){_W}月{_W}(?P<d>\d{{1,2}}){_W}[日号]")
_MONTH = re.compile(
    rf"{_YEAR_OF}(?P<m>\d{{1,2}}){_W}月份?(?P<part>上旬|中旬|下旬|底|末|{_EARLY}|{_MID})?"
)
# 「2023.03」「2023-03」「2023/3/15」: a year of this century or the last, a month 1–12, and not
# an amount (「1435.00万元」) or a share.
_DOT_YEAR = r"(?<![\d.])(?P<y1>(?:19|20)\d{2})"
_DOT_MONTH = r"(?P<m>0?[1-9]|1[0-2])"
_NOT_AMOUNT = r"(?![\d.]|\s?(?:万|元|亿|%|个|年))"
_DOTTED_FULL = re.compile(
    rf"{_DOT_YEAR}(?P<s>[./-]){_DOT_MONTH}(?P=s)(?P<d>0?[1-9]|[12]\d|3[01]){_NOT_AMOUNT}(?:日|号)?"
)
_DOTTED_RANGE = re.compile(
    rf"{_DOT_YEAR}[./-](?P<m1>0?[1-9]|1[0-2]){_W}(?:到|至|[-—–~]{{1,2}}){_W}"
    rf"(?:(?P<y2>(?:19|20)\d{{2}})[./-])?(?P<m2>0?[1-9]|1[0-2]){_NOT_AMOUNT}(?:月(?:份|底|末)?)?"
)
_DOTTED_MONTH = re.compile(
    rf"{_DOT_YEAR}[./-]{_DOT_MONTH}{_NOT_AMOUNT}(?:月份?)?(?P<part>上旬|中旬|下旬|底|末)?"
)
_Q = r"[一二三四1-4]"
_QUARTER = re.compile(
    rf"(?<![\d一二三四五六七八九十])(?:(?P<y1>\d{{4}}){_W}年?{_W}|{_NEXT}{_W})?"
    rf"(?:第{_W}(?P<q1>{_Q})|(?P<q2>[一二三四]|[1-4](?={_W}季度))|[Qq](?P<q3>[1-4])(?!\d))"
    # 「第三、四季度」「第二至三季度」, not the item number of 「一、第一季度：」
    rf"(?:{_W}(?:、|(?:至|到|-|~|—){_W}第?)(?P<qe>{_Q}))?(?(q3)|{_W}季度)(?P<part>末|底)?"
)
_HALF = re.compile(rf"(?:(?P<y1>\d{{4}}){_W}年{_W}|{_NEXT}{_W})?(?P<h>[上下])半年(?:末|底)?")
_YEAR = re.compile(
    rf"(?<!\d)(?P<y1>\d{{4}}){_W}年(?!{_W}\d+{_W}月)"  # 「2021年123月」 is no year-only date
    rf"(?P<part>度内|度|内|底|末|{_EARLY}|{_MID})?"
)
# 「年底前」「年内」「本年度」「当年」: the year last named. Not 「三年内」「两年底」「每年初」.
_YEAR_WORD = re.compile(
    r"(?<![\d一二三四五六七八九十两百千今明去前后每上下个近半多几同该次翌])"
    rf"(?:(?P<this>本|当)年度?(?P<part1>内|底|末|初|{_MID})?"
    rf"|年度?(?P<part2>内|底|末|{_EARLY}|{_MID}))"
)
# 「今年」「明年」「去年」 count from the day the plan was written, which the text does not say
# (a plan for 2027 is often written in 2026): a date they name is never guessed.
_WRITER_YEAR = re.compile(r"(?:今年|明年|去年|后年|前年|来年)")
_MONTH_DAY = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}
_YEAR_END = {"初": (3, 31), "中": (6, 30)}
_QUARTERS = "一二三四"
PLAUSIBLE_YEARS = 30  # a plan date further than this from the project year is a typo


@dataclass(frozen=True)
class When:
    """A start (for a phase written as a span) and a due date."""

    start: date | None
    due: date


def first_date(norm: str) -> re.Match[str] | None:
    """The leftmost date expression; at one position the most specific pattern wins. A month
    that counts a span from a milestone (「质保期满1月内」「验收后2月内」) is no date."""
    found = [m for pattern in _BUILDERS if (m := _first(pattern, norm))]
    return min(found, key=lambda m: m.start(), default=None)


def _first(pattern: re.Pattern[str], norm: str) -> re.Match[str] | None:
    for match in pattern.finditer(norm):
        if pattern is not _MONTH or not _is_span(match, norm):
            return match
    return None


# 「满1月内」「后2月内」「起3月」: a number of months after a milestone, as 「1个月」 is.
_SPAN_BEFORE = re.compile(rf"(?:满|后|之后|以后|起){_W}(?:的{_W})?$")
_SPAN_AFTER = re.compile(rf"{_W}(?:内|以内|之内|后|之后|以后)")


def _is_span(match: re.Match[str], norm: str) -> bool:
    if match["y1"] or match["next1"] or match["part"]:
        return False
    before = norm[max(0, match.start() - 6) : match.start()]
    return bool(_SPAN_BEFORE.search(before) and _SPAN_AFTER.match(norm, match.end()))


def when(match: re.Match[str], context_year: int, year: int) -> When:
    """The dates a matched expression means; ValueError for an impossible or implausible one."""
    start, due = _BUILDERS[match.re](match.groupdict(), context_year)
    if any(abs(d.year - year) > PLAUSIBLE_YEARS for d in (start, due) if d):
        raise ValueError(match[0])
    if start and start > due:
        raise ValueError(match[0])
    return When(start=start, due=due)


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])  # 「13月」 raises ValueError


def _year_of(g: dict[str, str | None], context_year: int) -> int:
    if g.get("y1"):
        return int(g["y1"])
    return context_year + 1 if g.get("next1") else context_year


def _range(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    """「2021年1到3月」「2020年8月-2020年11月」「11月-2月」 (a range runs forward)."""
    m1, m2 = int(g["m1"]), int(g["m2"])
    named = g["y1"] or g.get("next1")
    y1 = _year_of(g, context_year) if named else None
    y2 = int(g["y2"]) if g["y2"] else None
    if y1 is None:
        y1 = context_year if y2 is None else y2 - (m1 > m2)
    if y2 is None:
        y2 = y1 + (m2 < m1)
    end = date(y2, m2, int(g["d2"])) if g.get("d2") else _last_day(y2, m2)
    return date(y1, m1, int(g.get("d1") or 1)), end


def _year_range(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    return date(int(g["y1"]), 1, 1), date(int(g["y2"]), 12, 31)


def _full_date(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    return None, date(_year_of(g, context_year), int(g["m"]), int(g["d"]))


def _month(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    """「2021年12月」 -> 12-31; 「3月上旬」 -> 03-10; 「3月中旬」 -> 03-20."""
    y, m = _year_of(g, context_year), int(g["m"])
    day = _MONTH_DAY.get(g.get("part") or "")
    return None, date(y, m, day) if day else _last_day(y, m)


def _quarter_number(text: str) -> int:
    return int(text) if text.isdigit() else _QUARTERS.index(text) + 1


def _quarter(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    """「第一季度」「一季度末」「Q1」 -> 03-31; 「第三、四季度」 -> 07-01 … 12-31."""
    y = _year_of(g, context_year)
    first = _quarter_number(g["q1"] or g["q2"] or g["q3"])
    if not g["qe"]:
        return None, _last_day(y, 3 * first)
    last = _quarter_number(g["qe"])
    if last <= first:
        raise ValueError(g["qe"])
    return date(y, 3 * first - 2, 1), _last_day(y, 3 * last)


def _half(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    """「上半年」 -> 06-30; 「下半年」 -> 12-31."""
    y = _year_of(g, context_year)
    return None, date(y, 6, 30) if g["h"] == "上" else date(y, 12, 31)


def _year(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    """「2020年度」「2020年底」 -> 12-31; 「年初」 -> end of Q1; 「年中」 -> 06-30."""
    y, part = int(g["y1"]), g["part"] or ""
    return None, date(y, *_YEAR_END.get(part, (12, 31)))


def _year_word(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    """「年底前」「年内」「本年度」 -> 12-31 of the year last named; 「年初」 -> 03-31."""
    part = g["part1"] or g["part2"] or ""
    return None, date(context_year, *_YEAR_END.get(part, (12, 31)))


def _writer_year(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    raise ValueError("今年/明年: the year the plan was written in is not known")


_BUILDERS = {  # order matters: at one position the first pattern listed wins
    _WRITER_YEAR: _writer_year,
    _RANGE: _range,
    _YEAR_RANGE: _year_range,
    _DOTTED_RANGE: _range,
    _DOTTED_FULL: _full_date,
    _FULL: _full_date,
    _DOTTED_MONTH: _month,
    _MONTH: _month,
    _QUARTER: _quarter,
    _HALF: _half,
    _YEAR: _year,
    _YEAR_WORD: _year_word,
}
