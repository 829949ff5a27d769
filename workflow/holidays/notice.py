"""国务院办公厅关于××××年部分节假日安排的通知 → the 放假 and 调休上班 days it names.

A notice has one line per holiday, in a formula kept since 2008:
「二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。」
Each line is read sentence by sentence and clause by clause: a clause with 放假 or 补休 names
days off (single days, ranges 「1月1日至3日」, lists with 「、」), one with 上班 names make-up
working days; other clauses with a date (「鼓励……安排职工在除夕（2月9日）休息」) are not taken,
and are listed so that the admin sees it. What the notice says about itself is checked: a
weekday written next to a date (「（星期六）」「（周日）」) must be that date's, a make-up day
must fall on a weekend, and 「共N天」 must count the days off. A date without a year is in the
notice's year, except where 元旦 reaches back into December (「12月31日至1月2日」).

Text is accepted as pasted from a web page or a document: full-width or half-width digits and
punctuation, 星期 or 周, 「一、」 or 「（一）」 headings, the traditional characters of a Hong
Kong or Taiwan copy. What cannot be read is named by its line, in Chinese (InvalidInput)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from workflow.errors import InvalidInput, Problem
from workflow.holidays.models import HOLIDAY, NAME_MAX, WORKDAY
from workflow.text import NARRATIVE_MAX, clean, one_line

NOTICE_MAX = NARRATIVE_MAX  # a notice is under 1,000 characters; a whole page pasted is more
WEEKDAYS = "一二三四五六日"
HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
_TRADITIONAL = str.maketrans("節勞動國慶補週與調連農曆關於鬥", "节劳动国庆补周与调连农历关于斗")
_FULL_WIDTH = str.maketrans("(),:;", "（），：；")  # back, for what is shown
_NUMERALS = {c: n for n, c in enumerate("零一二三四五六七八九十", start=0)}

# 「2018年12月30日」「2月4日（星期日）」「3日」: year, month, day, the note in brackets
_DATE = (
    r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日"
    r"(?:\((?P<{p}n>[^)]*)\))?"
)
_DATES = re.compile(
    _DATE.format(p="a") + r"(?:\s*(?:至|到|-|~|—|–)\s*" + _DATE.format(p="b") + ")?"
)
_ANY_DATE = re.compile(r"\d{1,2}月\d{1,2}日")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[、.]|——|[-•·])\s*"
)
_NAMED = re.compile(r"^(?P<name>[^:]{1,40}?)\s*:\s*(?P<body>.*)$")
_KEYWORD = re.compile(r"放假|补休|上班")
_WEEKDAY = re.compile(r"(?:星期|周|礼拜)([一二三四五六日天])")
_TOTAL = re.compile(r"(?:共|放假)([\d一二三四五六七八九十]{1,3})天")
_YEAR = re.compile(
    r"(\d{4})年(?:部分)?(?:节假日|" + "|".join(h.rstrip("节") for h in HOLIDAY_NAMES) + ")"
)


@dataclass(frozen=True)
class NoticeDay:
    """One day the notice names: off (`holiday`) or a make-up working day (`workday`)."""

    day: dt.date
    kind: str
    name: str
    line: int  # the line of the pasted text it was read from (1 = the first)


@dataclass(frozen=True)
class Notice:
    """What a notice says: its year, its days in date order, and what it says that was not
    taken (a sentence with a date that names no day off or working day)."""

    year: int
    days: tuple[NoticeDay, ...]
    not_taken: tuple[str, ...]


def parse_notice(text: str, year: int | None = None) -> Notice:
    """Read the days of a notice; `year` is the year being entered (a notice of another year
    is refused). InvalidInput with every line that cannot be read, named in Chinese."""
    text = clean(text)
    if not text:
        raise InvalidInput([Problem("text", "请粘贴国务院办公厅关于部分节假日安排的通知正文")])
    if len(text) > NOTICE_MAX:
        message = f"粘贴的文字超过{NOTICE_MAX}字，请只粘贴通知正文（通知全文通常不足1000字）"
        raise InvalidInput([Problem("text", message)])
    pasted = text.split("\n")
    lines = [_normalized(line) for line in pasted]
    year = _notice_year(lines, year)
    reader = _Reader(year, pasted)
    for number, line in enumerate(lines, start=1):
        reader.read_line(number, line)
    if not reader.problems and not reader.days:
        reader.problems.append(
            "未能从粘贴的文字中识别出放假安排。请粘贴国务院办公厅通知的正文，"
            "每个节日一行，形如「一、元旦：1月1日放假，共1天。」"
        )
    if reader.problems:
        raise InvalidInput([Problem("text", message) for message in reader.problems])
    days = tuple(sorted(reader.days.values(), key=lambda d: d.day))
    return Notice(year, days, tuple(reader.not_taken))


def _normalized(line: str) -> str:
    """Half-width digits and punctuation (NFKC), simplified characters, no inner spaces."""
    line = unicodedata.normalize("NFKC", line).translate(_TRADITIONAL)
    line = line.replace("〔", "[").replace("〕", "]").replace("【", "[").replace("】", "]")
    return re.sub(r"\s+", "", line)


def _notice_year(lines: list[str], year: int | None) -> int:
    said = next((int(m.group(1)) for line in lines if (m := _YEAR.search(line))), None)
    if year is not None and said is not None and said != year:
        message = f"粘贴的是{said}年的节假日安排通知，当前录入的是{year}年，请核对"
        raise InvalidInput([Problem("text", message)])
    if year is None and said is None:
        message = (
            "未能从通知中看出年份：请粘贴包括标题"
            "（国务院办公厅关于××××年部分节假日安排的通知）的全文"
        )
        raise InvalidInput([Problem("text", message)])
    return year if year is not None else said


def _excerpt(line: str) -> str:
    line = one_line(line)
    return line if len(line) <= 24 else line[:24] + "……"


def _md(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class _Reader:
    """Reads line after line, gathering the days and the problems."""

    def __init__(self, year: int, pasted: list[str]) -> None:
        self.year, self.pasted = year, pasted  # problems quote the line as pasted
        self.days: dict[dt.date, NoticeDay] = {}
        self.problems: list[str] = []
        self.not_taken: list[str] = []
        self.hint = ""  # the holiday a line without a name is about

    def read_line(self, number: int, line: str) -> None:
        if not _ANY_DATE.search(line) or not _KEYWORD.search(line):
            named = _NAMED.match(_HEADING.sub("", line))
            if named and _KEYWORD.search(named.group("body")):
                self.problem(number, line, "未能识别其中的日期（应形如「2月10日至17日」）")
            mentioned = _mentioned(line)
            if len(mentioned) == 1:  # 「2019年劳动节放假调休安排调整如下：」 names the next line
                self.hint = mentioned[0]
            return  # the title, the greeting, the closing, the date signed
        name, body = _name_and_body(line, self.hint)
        for sentence in re.split(r"[。;]", body):
            if _ANY_DATE.search(sentence):
                self.read_sentence(number, line, name, sentence)

    def read_sentence(self, number: int, line: str, name: str, sentence: str) -> None:
        # A comma inside a note (「（农历正月初九，星期日）」) does not end a clause.
        sentence = re.sub(r"\([^)]*\)", lambda m: m.group(0).replace(",", "、"), sentence)
        off: list[dt.date] = []
        for clause in sentence.split(","):
            if not _ANY_DATE.search(clause):
                continue
            if "上班" in clause and "起" not in clause:
                kind = WORKDAY
            elif "放假" in clause or "补休" in clause:
                kind = HOLIDAY
            else:  # 「安排职工在除夕（2月9日）休息」, 「2月3日起正常上班」
                self.not_taken.append(f"第{number}行：{clause.translate(_FULL_WIDTH)}")
                continue
            days = self.dates(number, line, name, clause)
            if days is None:
                return
            for day in days:
                self.add(number, line, NoticeDay(day, kind, name, number))
            if kind == HOLIDAY:
                off += days
        total = _TOTAL.search(sentence)
        if total and off and _number(total.group(1)) != len(set(off)):
            self.problem(
                number, line,
                f"所列放假日期共{len(set(off))}天，与通知所写的「共{total.group(1)}天」不符，请核对",
            )  # fmt: skip

    def dates(self, number: int, line: str, name: str, clause: str) -> list[dt.date] | None:
        """Every date of a clause, ranges expanded; None (and a problem) if one is not a date."""
        found: list[dt.date] = []
        month: int | None = None
        for match in _DATES.finditer(clause):
            parts = match.groupdict()
            start = self.date(parts["ay"], parts["am"] or month, parts["ad"], name)
            if start is None:
                return self.bad_date(number, line, match.group(0))
            month = start.month
            end = start
            if parts["bd"] is not None:
                end = self.date(parts["by"], parts["bm"] or month, parts["bd"], name)
                if end is None:
                    return self.bad_date(number, line, match.group(0))
                start, end = self.across_the_new_year(parts, start, end)
                month = end.month
            if not self.weekday_matches(number, line, start, parts["an"]):
                return None
            if not self.weekday_matches(number, line, end, parts["bn"]):
                return None
            if end < start or (end - start).days > 31:
                return self.bad_date(number, line, match.group(0))
            found += [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        if re.search(r"(?:至|到)(?!\d)", _DATES.sub("", clause)):
            self.problem(number, line, "「至」后缺少日期")
            return None
        return found

    def date(
        self, year: str | None, month: str | int | None, day: str, name: str
    ) -> dt.date | None:
        """A date of the notice; in the 元旦 line a December without a year is the December
        before (「12月29日（星期六）上班」)."""
        if month is None:
            return None
        if not year:
            year = self.year - 1 if "元旦" in name and int(month) == 12 else self.year
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            return None

    def across_the_new_year(self, parts, start: dt.date, end: dt.date):
        """「12月31日至1月2日」: the start is in the year before the end."""
        if end < start and parts["ay"] is None:
            start = start.replace(year=end.year - 1)
        if end < start and parts["by"] is None:
            end = end.replace(year=start.year + 1)
        return start, end

    def weekday_matches(self, number: int, line: str, day: dt.date, note: str | None) -> bool:
        said = _WEEKDAY.search(note or "")
        if said is None:
            return True
        written = said.group(1).replace("天", "日")
        actual = WEEKDAYS[day.weekday()]
        if written == actual:
            return True
        self.problem(
            number, line,
            f"{_md(day)}是星期{actual}，通知所写为「星期{written}」，请核对年份和日期",
        )  # fmt: skip
        return False

    def add(self, number: int, line: str, entry: NoticeDay) -> None:
        if entry.day.year not in (self.year - 1, self.year):
            self.problem(number, line, f"{_md(entry.day)}不在{self.year}年的节假日安排之内")
            return
        if entry.kind == WORKDAY and entry.day.weekday() < 5:
            weekday = WEEKDAYS[entry.day.weekday()]
            self.problem(number, line, f"{_md(entry.day)}是星期{weekday}，本来就是工作日，"
                                       "不是调休上班日，请核对")  # fmt: skip
            return
        known = self.days.get(entry.day)
        if known is not None and known.kind != entry.kind:
            self.problem(number, line, f"{_md(entry.day)}既是放假日又是上班日，请核对")
            return
        self.days.setdefault(entry.day, entry)

    def bad_date(self, number: int, line: str, written: str) -> None:
        self.problem(number, line, f"「{written}」不是有效的日期")

    def problem(self, number: int, line: str, message: str) -> None:
        self.problems.append(f"第{number}行「{_excerpt(self.pasted[number - 1])}」：{message}")


def _name_and_body(line: str, hint: str) -> tuple[str, str]:
    """The holiday a line is about and what it says: 「二、春节：……」 → 春节, ……; a line
    without a name before a colon is named by the holidays it mentions, else by `hint`."""
    named = _NAMED.match(_HEADING.sub("", line))
    if named and not _ANY_DATE.search(named.group("name")):
        return named.group("name")[:NAME_MAX], named.group("body")
    return ("、".join(_mentioned(line)) or hint)[:NAME_MAX], line


def _mentioned(line: str) -> list[str]:
    return [h for h in HOLIDAY_NAMES if h.rstrip("节") in line]


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + _NUMERALS.get(text[1:], 0) if len(text) > 1 else 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _NUMERALS[tens] * 10 + _NUMERALS.get(ones, 0)
    return _NUMERALS.get(text, -1)


@dataclass(frozen=True)
class HolidayLine:
    """A holiday as a notice states it, for the preview: 「春节 放假 2月5日（周五）至13日（周六），
    共9天；上班 2月14日（周日）、2月20日（周六）」."""

    name: str
    off: str
    off_days: int
    work: str


def holiday_lines(days: tuple[NoticeDay, ...] | list[NoticeDay], year: int) -> list[HolidayLine]:
    """The days grouped by holiday, in the order of the notice, ranges written as ranges."""
    names: dict[str, list[NoticeDay]] = {}
    for entry in sorted(days, key=lambda d: (d.line, d.day)):
        names.setdefault(entry.name, []).append(entry)
    return [
        HolidayLine(
            name or "（未注明节日）",
            _ranges([d.day for d in entries if d.kind == HOLIDAY], year),
            sum(d.kind == HOLIDAY for d in entries),
            "、".join(_label(d.day, year) for d in entries if d.kind == WORKDAY),
        )
        for name, entries in names.items()
    ]


def _ranges(days: list[dt.date], year: int) -> str:
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + dt.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            parts.append(_label(first, year))
        else:
            same_month = (first.year, first.month) == (last.year, last.month)
            end = _label(last, year)
            if same_month:
                end = f"{last.day}日（周{WEEKDAYS[last.weekday()]}）"
            parts.append(f"{_label(first, year)}至{end}")
    return "、".join(parts)


def _label(day: dt.date, year: int) -> str:
    prefix = f"{day.year}年" if day.year != year else ""
    return f"{prefix}{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"
