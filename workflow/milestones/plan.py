"""项目实施计划 prose -> proposed milestones (DOMAIN.md, "项目实施计划 → milestones").

Users write the plan as free text. This reads the dates and kinds a person would read in it and
proposes milestones for the 填报人 to confirm or correct; it never decides anything itself. Nothing
is dropped: every piece of text that yields no milestone comes back verbatim in `notes`, and any
input, however broken, gives a `PlanProposal`. Standard library only, no I/O, no clock: the project
year is a parameter.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum


class MilestoneKind(StrEnum):
    """里程碑类别. Member names equal values (transitions looks enum states up by name)."""

    phase = "phase"
    procurement = "procurement"
    acceptance = "acceptance"
    payment = "payment"
    warranty_release = "warranty_release"


@dataclass(frozen=True)
class RelativeDue:
    """A deadline counted from a milestone whose date is not known yet (质保金: 终验 + 3 年)."""

    anchor: str
    years: int = 0
    months: int = 0
    days: int = 0


@dataclass(frozen=True)
class ProposedMilestone:
    """One milestone read from the plan, for the 填报人 to confirm."""

    kind: MilestoneKind
    title: str
    start: date | None
    due: date | None
    relative: RelativeDue | None
    percentage: Decimal | None
    source: str


@dataclass(frozen=True)
class PlanProposal:
    """The proposed milestones, and every piece of the plan that gave none (verbatim)."""

    milestones: list[ProposedMilestone]
    notes: list[str]


@dataclass(frozen=True)
class _When:
    start: date | None
    due: date


# Matching runs on a copy with full-width digits and punctuation made ASCII; the mapping is one
# character to one character, so positions in the copy are positions in the user's text.
_NORM = str.maketrans("０１２３４５６７８９％－～：；，．（）", "0123456789%-~:;,.()")
_W = r"[ \t\u3000]{0,2}"  # bounded: unbounded \s* next to each other backtracks on long blanks
_SEP = rf"{_W}(?:到|至|[-—–~]{{1,2}}){_W}"
_EARLY = r"初(?!步|验(?!收))"  # 年初/月初, but not 初步验收 or 初验
_MID = r"中(?![国央共华标心期])"  # 年中, but not 2021年中国…, 中标
_YEAR_OF = rf"(?<!\d)(?:(?P<y1>\d{{4}}){_W}年{_W})?"
_RANGE = re.compile(
    rf"{_YEAR_OF}(?P<m1>\d{{1,2}}){_W}(?:月{_W})?(?:(?P<d1>\d{{1,2}}){_W}[日号]{_W})?{_SEP}"
    rf"(?:(?P<y2>\d{{4}}){_W}年{_W})?(?P<m2>\d{{1,2}}){_W}月(?:{_W}(?P<d2>\d{{1,2}}){_W}[日号])?"
    r"(?:份|底|末)?"
)
_YEAR_RANGE = re.compile(rf"(?<!\d)(?P<y1>\d{{4}}){_W}年?度?{_SEP}(?P<y2>\d{{4}}){_W}年度?")
_FULL = re.compile(rf"{_YEAR_OF}(?P<m>\d{{1,2}}){_W}月{_W}(?P<d>\d{{1,2}}){_W}[日号]")
_MONTH = re.compile(
    rf"{_YEAR_OF}(?P<m>\d{{1,2}}){_W}月份?(?P<part>上旬|中旬|下旬|底|末|{_EARLY}|{_MID})?"
)
_YEAR = re.compile(
    rf"(?<!\d)(?P<y1>\d{{4}}){_W}年(?!{_W}\d+{_W}月)"  # 「2021年123月」 is no year-only date
    rf"(?P<part>度|上半年|下半年|第?[一二三四1-4]季度|底|末|{_EARLY}|{_MID})?"
)
_MONTH_DAY = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}
_YEAR_END = {"初": (3, 31), "中": (6, 30), "上半年": (6, 30)}
_QUARTERS = "一二三四"
_PLAUSIBLE_YEARS = 30  # a plan date further than this from the project year is a typo

_PAREN_MARKER = r"[(（]\s?(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s?[)）]"
_MARKER = (
    rf"(?:{_PAREN_MARKER}|\d{{1,2}}\s?(?:、|[.．](?!\d))|[一二三四五六七八九十]{{1,3}}\s?、|[①-⑳])"
)
_LEAD = re.compile(r"^(?:\s|<[^<>]{0,200}>)+")
_MARKER_AT_START = re.compile(rf"^(?:\s|<[^<>]{{0,200}}>)*{_MARKER}\s?")
# Where a line ends: a newline, an HTML line end (the tag stays with its line), an item number
# after punctuation (「；2、」), or a 「(2)」 anywhere: each starts the next numbered item.
_BREAK = re.compile(
    r"\n|<br\s?/?>|</(?:p|li|div|tr|td|h\d)>"
    rf"|(?<=[。;；,，:：\s])(?={_MARKER})|(?<![A-Za-z0-9])(?={_PAREN_MARKER})",
    re.IGNORECASE,
)
_HTML_LINE_END = re.compile(r"(?:<br\s?/?>|</(?:p|li|div|tr|td|h\d)>)\Z", re.IGNORECASE)
_LABEL = re.compile(
    r"(?P<label>阶段目标|建设时间|实施时间|完成时间|计划时间|时间安排|建设内容|实施内容|工作内容"
    r"|主要内容|时间|内容|目标)[ \t\u3000]?[：:\s]"
)
_TERMINAL = "。;；!！?？"
# A sentence keeps the closing quote or tag after its 。: 「…完成。</p>」.
_SENTENCE_END = re.compile(rf"[{_TERMINAL}]+(?:\s?(?:</[^<>]{{1,20}}>|<br\s?/?>|[”’」』)）]))*")
_COMMA = re.compile(r"[，,]")

_PAY_WORDS = re.compile(r"支付|付款|尾款|启动款|进度款")
_WARRANTY_WORDS = re.compile(r"质保金|质保期|保修金|保修期|质量保证金|缺陷责任期")
_KIND_WORDS = (
    (MilestoneKind.warranty_release, _WARRANTY_WORDS),
    (MilestoneKind.payment, _PAY_WORDS),
    (MilestoneKind.acceptance, re.compile(r"验收|初验|终验")),
    (MilestoneKind.procurement, re.compile(r"招标|采购|中标")),
)
_KIND_ORDER = [kind for kind, _ in _KIND_WORDS] + [MilestoneKind.phase]
_MONEY_KINDS = (MilestoneKind.payment, MilestoneKind.warranty_release)
_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,2})?)\s?%")
_ANCHOR = r"(?P<anchor>最终验收|竣工验收|初步验收|上线验收|终验|初验|验收|上线|交付)"
_ANCHOR_RE = re.compile(_ANCHOR)
_AMOUNT = r"(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s?(?P<unit>个月|年|天|日|周)"
_REL_OFFSET = re.compile(rf"{_ANCHOR}(?:合格|通过|完成)?(?:之日)?(?:起算|起|后)?\s?{_AMOUNT}")
# Not before a number the offset pattern could not read (「终验起算99999年」): no silent zero.
_REL_ZERO = re.compile(rf"{_ANCHOR}(?:合格|通过|完成)?(?:之日)?(?:后|起)(?!算?\s?\d)")
_WARRANTY_TERM = re.compile(rf"(?:质保期|保修期|缺陷责任期)(?:为|是)?\s?{_AMOUNT}")
_UNITS = {"年": "years", "个月": "months", "天": "days", "日": "days", "周": "days"}
_CN_DIGITS = dict(zip("一二两三四五六七八九", (1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_ACCEPTED_THEN = re.compile(r"(?:验收|初验|终验)(?:合格|通过|完成)?(?P<after>之?后)")

_TAGS = re.compile(r"<[^<>]{0,200}>")
_PUNCT = " \t\r\n\u3000：:，,、；;。.！!？?…"
_PREP_BEFORE = re.compile(r"(?:计划|预计|拟|将)?(?:于|在)\s?$")
_AFTER_DATE = re.compile(r"^\s?(?:之前|以前|前(?![期端置台])|之内|以内|为止)")
_BOILERPLATE = re.compile(r"^(?:根据|按照|依据|按)[^，,；;。]{0,12}?(?:约定|流程|规定|要求)(?:的)?")
_EMPTY_BRACKETS = re.compile(r"[（(]\s?[)）]|【\s?】|\[\s?\]")
_TITLE_MAX = 40  # long titles are cut at their first comma; the whole text stays in `source`
_TITLE_CUT = re.compile(r"[，,；;]")


def propose_milestones(text: str, *, year: int) -> PlanProposal:
    """Read a 项目实施计划 and propose its milestones; what yields none goes to `notes`."""
    milestones: list[ProposedMilestone] = []
    notes: list[str] = []
    context_year = year  # a month written without a year takes the year of the last date
    for source, lines in _items(text if isinstance(text, str) else ""):
        found, unread, context_year = _read_item(source, lines, context_year, year)
        milestones += found
        notes += unread
    return PlanProposal(milestones=milestones, notes=notes)


# --- items: numbered blocks, dated lines and wrapped paragraphs -----------------------------


def _cut(text: str, ends: Iterable[int]) -> list[tuple[int, int] | None]:
    """`text` cut after each position in `ends`: stripped (start, end) spans, None when blank."""
    cuts = sorted({0, len(text), *ends})
    spans: list[tuple[int, int] | None] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        part = text[a:b]
        if part.strip():
            spans.append((a + len(part) - len(part.lstrip()), a + len(part.rstrip())))
        else:
            spans.append(None)
    return spans


def _parts(pattern: re.Pattern[str], text: str) -> list[str]:
    """The non-blank parts of `text`, cut after each match of `pattern`."""
    return [text[s[0] : s[1]] for s in _cut(text, (m.end() for m in pattern.finditer(text))) if s]


def _items(text: str) -> list[tuple[str, list[str]]]:
    """Group lines into items: (the item's exact text, its lines)."""
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] | None = None
    dated = False
    for span in _cut(text, (m.end() for m in _BREAK.finditer(text))):
        if span is None:  # a blank line ends the item
            current = None
            continue
        line = text[span[0] : span[1]]
        line_dated = _first_date(line.translate(_NORM)) is not None
        if current is None or _starts_item(line, text, current, dated and line_dated):
            current, dated = [], False
            groups.append(current)
        current.append(span)
        dated = dated or line_dated
    return [(text[g[0][0] : g[-1][1]], [text[a:b] for a, b in g]) for g in groups]


def _starts_item(line: str, text: str, current: list[tuple[int, int]], both_dated: bool) -> bool:
    """Whether `line` begins a new item rather than continuing the current one."""
    if _MARKER_AT_START.match(line):
        return True
    head = _LEAD.sub("", line)
    if _LABEL.match(head):  # 阶段目标/建设时间/建设内容 belong to their numbered block
        return False
    if both_dated:  # two dated lines are two steps
        return True
    first = text[current[0][0] : current[0][1]]
    if _MARKER_AT_START.match(first):  # a numbered item runs until the next number
        return False
    previous = text[current[-1][0] : current[-1][1]]
    if _HTML_LINE_END.search(previous[-8:]):  # 「</p>」 ends a paragraph, never a wrapped line
        return True
    if _TAGS.sub("", previous).rstrip().endswith(tuple(_TERMINAL)):
        return True
    match = _first_date(head.translate(_NORM))
    return match is not None and match.start() == 0  # otherwise a line the PDF wrapped


def _read_item(
    source: str, lines: list[str], context_year: int, year: int
) -> tuple[list[ProposedMilestone], list[str], int]:
    """Milestones of one item, its unread pieces, and the year later months inherit."""
    if len(lines) > 1 and any(_LABEL.match(_LEAD.sub("", line)) for line in lines[1:]):
        pieces = [(source, lines)]
    else:
        pieces = [(c, None) for s in _parts(_SENTENCE_END, source) for c in _clauses(s)]
    found: list[ProposedMilestone] = []
    unread: list[str] = []
    for piece, block_lines in pieces:
        try:
            if block_lines:
                got, context_year = _read_block(piece, block_lines, context_year, year)
            else:
                got, context_year = _read_clause(piece, context_year, year)
        except (ValueError, OverflowError):  # an impossible date: show the text, never guess
            got = []
        found += got
        unread += [] if got else [piece]
    return found, (unread if found else [source]), context_year  # keep an unread item whole


def _clauses(sentence: str) -> list[str]:
    """Cut a sentence at the commas where a new step begins."""
    spans: list[list[int]] = []
    content, kind = False, MilestoneKind.phase  # of the clause being built
    for a, b in filter(None, _cut(sentence, (m.end() for m in _COMMA.finditer(sentence)))):
        part = sentence[a:b]
        norm = part.translate(_NORM)
        match = _first_date(norm)
        part_kind = _kind(norm)
        if spans and content and _opens_step(norm, match, part_kind, kind):
            spans.append([a, b])
            content, kind = False, MilestoneKind.phase
        elif spans:
            spans[-1][1] = b
        else:
            spans.append([a, b])
        content = content or bool(_body(part, match).strip(_PUNCT))
        kind = min(kind, part_kind, key=_KIND_ORDER.index)
    return [sentence[a:b] for a, b in spans]


def _opens_step(
    norm: str, match: re.Match[str] | None, kind: MilestoneKind, current: MilestoneKind
) -> bool:
    """Whether a comma-clause starts a step of its own rather than going on with the last one."""
    if match is not None and not norm[: match.start()].strip(_PUNCT):
        return True  # 「…，2020年初根据合同约定支付项目启动款」
    # 「…，剩余5%质保金于终验起算3年后支付」: another kind of step, with its own due or share;
    # 「2021年3月完成开发，同时完成验收」 stays one step, dated by its first half.
    own_due = match or any(
        p.search(norm) for p in (_PERCENT, _REL_OFFSET, _REL_ZERO, _WARRANTY_TERM)
    )
    return kind is not MilestoneKind.phase and kind is not current and bool(own_due)


# --- reading one piece --------------------------------------------------------------------


def _read_clause(piece: str, context_year: int, year: int) -> tuple[list[ProposedMilestone], int]:
    """One clause: at most an acceptance and the payment that follows it."""
    norm = piece.translate(_NORM)
    match = _first_date(norm)
    when = _when(match, context_year, year) if match else None
    body = _body(piece, match)
    kind = _kind(norm)
    if when and kind is MilestoneKind.payment and (pair := _accept_then_pay(body, when, piece)):
        return pair, when.due.year
    milestone = _milestone(kind, _title(body), when, norm, piece)
    return ([milestone] if milestone else []), (when.due.year if when else context_year)


def _read_block(
    source: str, lines: list[str], context_year: int, year: int
) -> tuple[list[ProposedMilestone], int]:
    """A numbered block with 阶段目标/建设时间/建设内容 lines: one milestone."""
    # 建设内容 describes the work, not the step: it names neither the date nor the kind.
    heads = [line for line in lines if not _label(line).endswith("内容")]
    timed = [line for line in heads if "时间" in _label(line)] + heads
    match = next((m for line in timed if (m := _first_date(line.translate(_NORM)))), None)
    when = _when(match, context_year, year) if match else None
    titles = [lines[0]] if not _label(lines[0]) else []
    titles += [
        _LABEL.sub("", _LEAD.sub("", line), count=1) for line in heads if "目标" in _label(line)
    ]
    title = next((t for t in map(_clause_title, titles) if t), "")
    norm = "\n".join(heads).translate(_NORM)
    milestone = _milestone(_kind(norm), title, when, norm, source)
    return ([milestone] if milestone else []), (when.due.year if when else context_year)


def _label(line: str) -> str:
    match = _LABEL.match(_LEAD.sub("", line))
    return match["label"] if match else ""


def _clause_title(text: str) -> str:
    return _title(_body(text, _first_date(text.translate(_NORM))))


def _accept_then_pay(body: str, when: _When, source: str) -> list[ProposedMilestone] | None:
    """「项目完成初步验收后支付剩余合同款项」 is two milestones: the acceptance and the payment."""
    match = _ACCEPTED_THEN.search(body)
    if not match or not _PAY_WORDS.search(body, match.end()):
        return None
    accepted, paid = body[: match.start("after")], body[match.end() :]
    acceptance = _milestone(MilestoneKind.acceptance, _title(accepted), when, "", source)
    paid_norm = paid.translate(_NORM)
    payment = _milestone(
        MilestoneKind.payment, _title(paid), replace(when, start=None), paid_norm, source
    )
    return [acceptance, payment] if acceptance and payment else None


def _milestone(
    kind: MilestoneKind, title: str, when: _When | None, norm: str, source: str
) -> ProposedMilestone | None:
    """The milestone, or None when there is nothing to date it by or nothing to call it."""
    # A phase needs a date; an acceptance or payment may hang on another milestone instead.
    relative = _relative(norm, kind) if not when and kind is not MilestoneKind.phase else None
    percentage = _percent(norm) if kind in _MONEY_KINDS else None
    if not title or not (when or relative or percentage is not None):
        return None
    return ProposedMilestone(
        kind=kind,
        title=title,
        start=when.start if when else None,
        due=when.due if when else None,
        relative=relative,
        percentage=percentage,
        source=source.strip(),
    )


def _kind(norm: str) -> MilestoneKind:
    """The first kind whose words appear: 质保金 before 支付 before 验收 before 招标."""
    return next((kind for kind, words in _KIND_WORDS if words.search(norm)), MilestoneKind.phase)


def _percent(norm: str) -> Decimal | None:
    match = _PERCENT.search(norm)
    if not match:
        return None
    value = Decimal(match[1])
    if not 0 < value <= 100:  # 「支付合同金额的300%」 is a typo the 填报人 must see
        raise ValueError(value)
    return value


def _relative(norm: str, kind: MilestoneKind) -> RelativeDue | None:
    """「终验起算3年后」 -> RelativeDue("终验", years=3); 「验收合格后」 -> RelativeDue("验收")."""
    if match := _REL_OFFSET.search(norm):
        return _offset(match["anchor"], match)
    if kind is MilestoneKind.warranty_release and (match := _WARRANTY_TERM.search(norm)):
        # 「质保期3年」 names no anchor: a warranty period runs from acceptance.
        anchor = _ANCHOR_RE.search(norm)
        return _offset(anchor["anchor"] if anchor else "验收", match)
    if match := _REL_ZERO.search(norm):
        return RelativeDue(anchor=match["anchor"])
    return None


def _offset(anchor: str, match: re.Match[str]) -> RelativeDue:
    factor = 7 if match["unit"] == "周" else 1
    return RelativeDue(anchor=anchor, **{_UNITS[match["unit"]]: _number(match["n"]) * factor})


def _number(text: str) -> int:
    """「3」「三」「十」「十二」「二十」 -> int; ValueError for anything else."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        if text not in _CN_DIGITS:
            raise ValueError(text)
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or not set(tens + ones) <= _CN_DIGITS.keys():
        raise ValueError(text)
    return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)


# --- dates --------------------------------------------------------------------------------


def _first_date(norm: str) -> re.Match[str] | None:
    """The leftmost date expression; at one position the most specific pattern wins."""
    found = [m for pattern in _DATE_BUILDERS if (m := pattern.search(norm))]
    return min(found, key=lambda m: m.start(), default=None)


def _when(match: re.Match[str], context_year: int, year: int) -> _When:
    """The dates a matched expression means; ValueError for an impossible or implausible one."""
    start, due = _DATE_BUILDERS[match.re](match.groupdict(), context_year)
    if any(abs(d.year - year) > _PLAUSIBLE_YEARS for d in (start, due) if d):
        raise ValueError(match[0])
    if start and start > due:
        raise ValueError(match[0])
    return _When(start=start, due=due)


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])  # 「13月」 raises ValueError


def _range(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    """「2021年1到3月」「2020年8月-2020年11月」「11月-2月」 (a range runs forward)."""
    m1, m2 = int(g["m1"]), int(g["m2"])
    y1 = int(g["y1"]) if g["y1"] else None
    y2 = int(g["y2"]) if g["y2"] else None
    if y1 is None:
        y1 = context_year if y2 is None else y2 - (m1 > m2)
    if y2 is None:
        y2 = y1 + (m2 < m1)
    end = date(y2, m2, int(g["d2"])) if g["d2"] else _last_day(y2, m2)
    return date(y1, m1, int(g["d1"] or 1)), end


def _year_range(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    return date(int(g["y1"]), 1, 1), date(int(g["y2"]), 12, 31)


def _full_date(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    return None, date(int(g["y1"] or context_year), int(g["m"]), int(g["d"]))


def _month(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    """「2021年12月」 -> 12-31; 「3月上旬」 -> 03-10; 「3月中旬」 -> 03-20."""
    y, m = int(g["y1"] or context_year), int(g["m"])
    day = _MONTH_DAY.get(g["part"] or "")
    return None, date(y, m, day) if day else _last_day(y, m)


def _year(g: dict[str, str | None], context_year: int) -> tuple[date | None, date]:
    """「2020年度」「2020年底」 -> 12-31; 「年初」 -> end of Q1; 「年中」 -> 06-30."""
    y, part = int(g["y1"]), g["part"] or ""
    if part.endswith("季度"):
        quarter = part[-3]
        q = int(quarter) if quarter.isdigit() else _QUARTERS.index(quarter) + 1
        return None, _last_day(y, 3 * q)
    return None, date(y, *_YEAR_END.get(part, (12, 31)))


_DATE_BUILDERS = {  # order matters: at one position the first pattern listed wins
    _RANGE: _range,
    _YEAR_RANGE: _year_range,
    _FULL: _full_date,
    _MONTH: _month,
    _YEAR: _year,
}


# --- titles -------------------------------------------------------------------------------


def _body(piece: str, match: re.Match[str] | None) -> str:
    """The piece without its item number and its date (「于2021年3月前完成」 -> 「完成」)."""
    if match is None:
        return _MARKER_AT_START.sub("", piece, count=1)
    before = _MARKER_AT_START.sub("", piece[: match.start()], count=1)
    after = piece[match.end() :]
    return _PREP_BEFORE.sub("", before, count=1) + _AFTER_DATE.sub("", after, count=1)


def _title(body: str) -> str:
    """A short title from the text: tags, wraps, boilerplate and edge punctuation removed."""
    title = _TAGS.sub("", body)
    title = "".join(line.strip() for line in title.split("\n"))  # no space at a PDF wrap
    title = re.sub(r"\s+", " ", title)
    title = _EMPTY_BRACKETS.sub("", title).strip(_PUNCT)
    title = _BOILERPLATE.sub("", title, count=1).strip(_PUNCT)  # 「根据合同约定」支付尾款
    if len(title) > _TITLE_MAX:
        title = _TITLE_CUT.split(title, maxsplit=1)[0][:_TITLE_MAX].strip(_PUNCT)
    return title


# --- the contract amount ------------------------------------------------------------------

_CONTRACT = re.compile(
    r"合同总?(?:金额|价款|总价|价格|价|额)(?:为|是|约|共计|合计|:|\s){0,3}"
    r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d{1,6})?|\d{1,12}(?:\.\d{1,6})?)\s?(?P<unit>万元|万|元)"
)
_MAX_CONTRACT = Decimal(10) ** 9  # 万元: as `workflow.db.MAX_WAN`, far above any project


def contract_amount(text: str) -> Decimal | None:
    """The contract amount (合同金额) the plan names, in 万元: 「合同金额1435万元」「合同总价为
    2,157.53万元」「合同价款1,435,000元」. None when it names none, or names different ones (a
    person must then say which one a share is counted from)."""
    norm = text.translate(_NORM) if isinstance(text, str) else ""
    found: dict[Decimal, Decimal] = {}  # 1435 and 1435.00 are one amount
    for match in _CONTRACT.finditer(norm):
        value = Decimal(match["n"].replace(",", ""))
        if match["unit"] == "元":
            value = (value / 10_000).quantize(Decimal("0.000001"))
        if 0 < value <= _MAX_CONTRACT:
            found.setdefault(value.normalize(), value)
    return next(iter(found.values())) if len(found) == 1 else None
