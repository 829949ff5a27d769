"""The milestones form: rows of text as people type them ⇄ `Milestone` objects.

The posted format (stable: the page, the tests and any script post the same) is one
``milestones-<i>-<field>`` per cell, rows i = 0, 1, 2 … in the order the page shows them. A row's
number is its place in that order, counting from 1: the 序号 column shows it, every message names
it (「第7行（终验）…」), and an anchor points at it. The fields of a row (ROW_FIELDS):

- ``kind``: a key of KIND_LABELS; ``title``; ``planned_start`` and ``due``: dates as typed;
- ``anchor``: the number of the row whose actual date this row's due is counted from (a 质保金
  「终验 之后 3 年」), blank when the row has a date of its own;
- ``offset`` and ``offset_unit``: how long after the anchor: a whole number of ``years``,
  ``months``, ``days`` or ``workdays`` (年 / 个月 / 天 / 个工作日, on China's calendar; ``years``
  when the unit is missing), or a span written out (「1年6个月」「10个工作日」), whose own units
  win; blank is the anchor's own day;
- ``percentage``: the payment share in %; ``amount``: 万元. A payment share without an amount
  gets the amount it implies (`AmountBasis`).

The older form's ``offset_years``, ``offset_months`` and ``offset_days`` boxes are still read
(LEGACY_OFFSET_FIELDS), added to ``offset``. A row where nothing is typed or chosen but the unit
is blank, and dropped; anything else is kept (a row with only its kind chosen is saved, and
confirming it asks for its name), so nothing typed is lost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from workflow.errors import Problem
from workflow.milestones.models import KIND_LABELS, Milestone
from workflow.milestones.plan import contract_amount
from workflow.numbers import NumberError, parse_date, parse_percent, parse_wan, show_wan
from workflow.text import CELL_MAX, clean, one_line

ROW_FIELDS = ("kind", "title", "planned_start", "due", "anchor", "offset", "offset_unit",
              "percentage", "amount")  # fmt: skip
LEGACY_OFFSET_FIELDS = ("offset_years", "offset_months", "offset_days")
OFFSET_UNITS = {"years": "年", "months": "个月", "days": "天", "workdays": "个工作日"}
# What makes a row more than blank: anything but the unit, which a select always sends.
_TYPED = ("kind", "title", "planned_start", "due", "anchor", "offset", "percentage", "amount",
          *LEGACY_OFFSET_FIELDS)  # fmt: skip
MAX_ROWS = 100
MAX_OFFSET_DAYS = 100 * 366  # a due at most about a century after its anchor
CENT = Decimal("0.01")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_SPAN = re.compile(
    r"(?:(?P<years>\d{1,5})年)?(?:(?P<months>\d{1,5})个?月)?(?:(?P<days>\d{1,6})[天日])?"
    r"(?:(?P<workdays>\d{1,6})个?工作日)?"
)


@dataclass(frozen=True)
class AmountBasis:
    """What a payment share (支付比例) is a share of: the contract amount (合同金额) when the
    项目实施计划 names one, else the project's 申报金额 (its budget)."""

    amount: Decimal | None
    label: str

    def share(self, percentage: Decimal | None) -> Decimal | None:
        """`percentage` % of the basis, rounded half up to 0.01 万元: the precision every page
        shows, so the amount shown is the amount stored (to the 分, type it). None without a
        share or a basis."""
        if percentage is None or not self.amount:
            return None
        return (self.amount * percentage / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def basis_of(budget: Decimal | None, plan: str) -> AmountBasis:
    """The contract amount the plan names (「合同金额1435万元」), else the 申报金额 `budget`."""
    contract = contract_amount(plan)
    if contract is not None:
        return AmountBasis(contract, "项目实施计划所写合同金额")
    return AmountBasis(budget or None, "项目申报金额")


def row_label(number: int, title: str) -> str:
    """「第7行（终验）」: how every message names a row (a long title cut short)."""
    title = one_line(title)
    if not title:
        return f"第{number}行"
    return f"第{number}行（{title if len(title) <= 20 else title[:20] + '…'}）"


def _rows_text(numbers: Sequence[int]) -> str:
    return "第" + "、".join(str(n) for n in numbers) + "行"


def _field(number: int, name: str) -> str:
    return f"milestones-{number - 1}-{name}"


# --- milestones -> rows -------------------------------------------------------------------


def to_rows(milestones: Sequence[Milestone], basis: AmountBasis | None = None) -> list[dict]:
    """Milestones as the form's rows (strings; the anchor as its row number). With `basis`, an
    amount that is exactly its share's is left blank: it follows the share (shown beside it),
    so a changed share changes it."""
    numbers = {id(m): n for n, m in enumerate(milestones, 1)}
    rows = []
    for m in milestones:
        offset, unit = _offset_text(m)
        share = basis.share(m.percentage) if basis else None
        follows = share is not None and m.amount == share
        rows.append({
            "kind": m.kind, "title": m.title, "planned_start": _date(m.planned_start),
            "due": _date(m.due), "anchor": str(numbers.get(id(m.anchor), "")) if m.anchor else "",
            "offset": offset, "offset_unit": unit, "percentage": show_wan(m.percentage),
            "amount": "" if follows else show_wan(m.amount),
        })  # fmt: skip
    return rows


def _date(value) -> str:
    return "" if value is None else value.isoformat()


def _offset_text(m: Milestone) -> tuple[str, str]:
    """One number and its unit where one unit says it (18 个月 for 1年6个月); else the span."""
    years, months, days = m.offset_years or 0, m.offset_months or 0, m.offset_days or 0
    workdays = m.offset_workdays or 0
    if not m.anchor_id and m.anchor is None:
        return "", "years"
    if workdays and (years or months or days):
        return m.offset_label, "years"
    if workdays:
        return str(workdays), "workdays"
    if days and (years or months):
        return m.offset_label, "years"
    if days:
        return str(days), "days"
    if months:
        return str(years * 12 + months), "months"
    return (str(years), "years") if years else ("0", "days")  # 「验收 之后 0 天」: that day


# --- rows -> milestones -------------------------------------------------------------------


@dataclass
class ReadRows:
    """What the rows say: the milestones of the rows not blank, each one's row number, and
    every problem (in the order of the form)."""

    milestones: list[Milestone]
    numbers: list[int]
    problems: list[Problem]
    anchored: set[int]  # the rows that chose an anchor, linked or refused

    def confirm_problems(self) -> list[Problem]:
        """What keeps the rows from being confirmed as well as read, each cause once: a field
        that could not be read is not also called missing, nor is a row whose anchor was
        refused told that it has no date."""
        told = {p.field for p in self.problems}
        told |= {_field(n, "due") for n in self.anchored}  # its anchor stands for its date
        missing = [p for p in check_milestones(self.milestones, self.numbers)
                   if p.field not in told]  # fmt: skip
        return in_form_order([*self.problems, *missing])


def is_blank(row: Mapping[str, Any]) -> bool:
    return not any(clean(row.get(f)) for f in _TYPED)


def read_rows(rows: Sequence[Mapping[str, Any]], basis: AmountBasis) -> ReadRows:
    """Read every row; nothing is dropped but blank rows, and nothing raises."""
    rows = list(rows)
    problems: list[Problem] = []
    kept = [(n, row) for n, row in enumerate(rows, 1) if not is_blank(row)]
    if len(kept) > MAX_ROWS:
        problems.append(Problem("milestones", f"里程碑最多{MAX_ROWS}个，现有{len(kept)}个"))
    by_number = {n: _read_row(n, row, basis, problems) for n, row in kept}
    _link_anchors(kept, by_number, len(rows), problems)
    anchored = {n for n, row in kept if clean(row.get("anchor"))}
    return ReadRows(list(by_number.values()), list(by_number), in_form_order(problems), anchored)


def _row_number(p: Problem) -> int:
    parts = p.field.split("-")
    return int(parts[1]) + 1 if len(parts) == 3 and parts[1].isdigit() else 0


def _read_row(number: int, row: Mapping[str, Any], basis: AmountBasis,
              problems: list[Problem]) -> Milestone:  # fmt: skip
    title = clean(row.get("title"))
    label = row_label(number, title)

    def read(name, parse, what):
        try:
            return parse(str(row.get(name) or ""), f"{label}·{what}")
        except NumberError as exc:
            problems.append(Problem(_field(number, name), exc.message))
            return None

    if len(title) > CELL_MAX:
        problems.append(Problem(_field(number, "title"), f"{label}名称过长（最多{CELL_MAX}字）"))
    kind = str(row.get("kind") or "")
    if kind not in KIND_LABELS:
        problems.append(Problem(_field(number, "kind"), f"{label}未选择类别"))
    m = Milestone(
        kind=kind, title=title, planned_start=read("planned_start", parse_date, "开始日期"),
        due=read("due", parse_date, "计划完成日期"),
        percentage=read("percentage", parse_percent, "支付比例"),
        amount=read("amount", parse_wan, "金额"), **_read_offset(number, label, row, problems),
    )  # fmt: skip
    if m.amount is None and not clean(row.get("amount")):
        m.amount = basis.share(m.percentage)
    offsets = (m.offset_years, m.offset_months, m.offset_days, m.offset_workdays)
    if not clean(row.get("anchor")) and any(offsets):
        problems.append(Problem(_field(number, "anchor"),
                                f"{label}填写了间隔，请选择从哪个节点之后起算"))  # fmt: skip
    return m


def _read_offset(number: int, label: str, row: Mapping[str, Any],
                 problems: list[Problem]) -> dict[str, int]:  # fmt: skip
    """offset_years/months/days from 「3」+「年」, 「1年6个月」, and the older three boxes."""
    offsets = dict.fromkeys(("years", "months", "days", "workdays"), 0)
    text = clean(row.get("offset")).translate(_FULL_WIDTH).replace(" ", "")
    unit = str(row.get("offset_unit") or "years")
    span = _SPAN.fullmatch(text)
    if text.isascii() and text.isdigit() and len(text) <= 6 and unit in OFFSET_UNITS:
        offsets[unit] = int(text)
    elif text and span and any(span.groupdict().values()):
        offsets = {k: int(v or 0) for k, v in span.groupdict().items()}
    elif text:
        problems.append(Problem(_field(number, "offset"), f"{label}的间隔应为整数，"
                                f"如「终验 之后 3 年」的 3，现为“{text[:20]}”"))  # fmt: skip
    for name in LEGACY_OFFSET_FIELDS:
        extra = clean(row.get(name)).translate(_FULL_WIDTH)
        if extra.isascii() and extra.isdigit() and len(extra) <= 6:
            offsets[name.removeprefix("offset_")] += int(extra)
        elif extra:
            problems.append(Problem(_field(number, "offset"), f"{label}的间隔应为整数"))
    span_days = (offsets["years"] * 366 + offsets["months"] * 31 + offsets["days"]
                 + offsets["workdays"] * 2)  # fmt: skip
    if span_days > MAX_OFFSET_DAYS:
        problems.append(Problem(_field(number, "offset"), f"{label}的间隔不能超过100年"))
        offsets = dict.fromkeys(offsets, 0)
    return {f"offset_{k}": v for k, v in offsets.items()}


def _link_anchors(kept: list[tuple[int, Mapping[str, Any]]], by_number: dict[int, Milestone],
                  total: int, problems: list[Problem]) -> None:  # fmt: skip
    """Point each row at its anchor; one message per cause: a row cleared that others count
    from names them all, a ring of rows counted from each other is named once."""
    cleared: dict[int, list[int]] = {}
    for number, row in kept:
        text = clean(row.get("anchor"))
        if not text:
            continue
        target = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 0
        label = row_label(number, by_number[number].title)
        if not 1 <= target <= total or target == number:
            problems.append(Problem(_field(number, "anchor"), f"{label}的起算节点无效，请重新选择"))
        elif target not in by_number:
            cleared.setdefault(target, []).append(number)
        elif by_number[number].due is not None:
            problems.append(Problem(_field(number, "due"), f"{label}既填了计划完成日期，"
                                    "又选了起算节点：请只留其一"))  # fmt: skip
        else:
            by_number[number].anchor = by_number[target]
    for target, numbers in cleared.items():
        problems.append(Problem(_field(numbers[0], "anchor"),
                                f"第{target}行已清空，{_rows_text(numbers)}从它之后起算："
                                f"请另选起算节点，或恢复第{target}行"))  # fmt: skip
    for ring in _rings(by_number):
        problems.append(Problem(_field(ring[0], "anchor"),
                                f"{_rows_text(ring)}互为起算节点，到期日无法确定："
                                "请为其中一行填写计划完成日期"))  # fmt: skip


def _rings(by_number: dict[int, Milestone]) -> list[list[int]]:
    """Each ring of anchors once, as its row numbers in order."""
    number_of = {id(m): n for n, m in by_number.items()}
    rings, seen = [], set()
    for start in by_number:
        path, m = [], by_number[start]
        while m is not None and number_of[id(m)] not in seen and number_of[id(m)] not in path:
            path.append(number_of[id(m)])
            m = m.anchor
        if m is not None and number_of[id(m)] in path:
            rings.append(sorted(path[path.index(number_of[id(m)]) :]))
        seen.update(path)
    return rings


# --- what keeps milestones from being confirmed -------------------------------------------


def check_milestones(milestones: Sequence[Milestone],
                     numbers: Sequence[int] | None = None) -> list[Problem]:  # fmt: skip
    """What keeps a set of milestones from being confirmed; `numbers` are their rows on the
    form (1, 2, 3 … when not given)."""
    if not milestones:
        return [Problem("milestones", "尚无里程碑：请至少填写一个实施节点")]
    numbers = list(numbers) if numbers is not None else list(range(1, len(milestones) + 1))
    problems = []
    for number, m in zip(numbers, milestones, strict=True):
        label = row_label(number, m.title)
        if not m.title.strip():
            problems.append(Problem(_field(number, "title"), f"{label}未填写名称"))
        if m.due is None and m.anchor is None:
            problems.append(Problem(_field(number, "due"),
                                    f"{label}未填写计划完成日期，也未选择起算节点"))  # fmt: skip
        if m.planned_start and m.due and m.planned_start > m.due:
            problems.append(Problem(_field(number, "planned_start"),
                                    f"{label}的开始日期晚于计划完成日期"))  # fmt: skip
    return problems


def in_form_order(problems: Sequence[Problem]) -> list[Problem]:
    """Top to bottom as the form shows them (the whole form first), each message once."""
    order = {f: n for n, f in enumerate(ROW_FIELDS)}

    def key(p: Problem) -> tuple[int, int]:
        return _row_number(p), order.get(p.field.rsplit("-", 1)[-1], len(order))

    unique = {(p.field, p.message): p for p in problems}
    return sorted(unique.values(), key=key)


# --- what the form shows beside the rows --------------------------------------------------


def anchor_choices(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The rows a due may be counted from, as (row number, name) for the 「[终验 ▾] 之后」
    lists: every row with a name (a name used twice says its row), and any row already chosen
    as an anchor, so that a choice is never lost from view."""
    titles = [one_line(clean(r.get("title"))) for r in rows]
    chosen = {clean(r.get("anchor")) for r in rows}
    choices = []
    for number, title in enumerate(titles, 1):
        if not title and str(number) not in chosen:
            continue
        if not title:
            label = f"第{number}行（未命名）"
        elif titles.count(title) > 1:
            label = f"{title[:20]}（第{number}行）"
        else:
            label = title if len(title) <= 20 else title[:20] + "…"
        choices.append((str(number), label))
    return choices


def computed_amount(row: Mapping[str, Any], basis: AmountBasis) -> Decimal | None:
    """The amount a row's share implies when its amount is left blank (None otherwise)."""
    if clean(row.get("amount")):
        return None
    try:
        return basis.share(parse_percent(str(row.get("percentage") or ""), "支付比例"))
    except NumberError:
        return None
