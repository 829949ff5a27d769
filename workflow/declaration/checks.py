"""What a careful reviewer checks on a declaration: completeness and arithmetic, as problems
named by the form field they concern (so the page can show each one next to its field)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from workflow.declaration.models import (
    CATEGORIES,
    DECLARATION_TEXTS,
    FUND_COLUMNS,
    FUND_SOURCES,
    LAST_YEAR_AMOUNTS,
    LAST_YEAR_RATES,
    Declaration,
)
from workflow.declaration.targets import Direction, Kind, read_target
from workflow.errors import Problem
from workflow.numbers import NumberError, parse_date, parse_percent, parse_wan, show_wan
from workflow.projects.models import Project
from workflow.text import rows_label

MIN_YEAR, MAX_YEAR = 2000, 2100
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,5})?")
_PHONE_CANDIDATE = re.compile(r"\d[\d-]*\d")
_LABELS = {
    "fund_items_total": "资金构成合计",
    "filled_on": "填报日期",
    "year": "项目年度",
    **dict(LAST_YEAR_AMOUNTS),
    **dict(LAST_YEAR_RATES),
}
_COLUMN_LABELS = dict(FUND_COLUMNS)
_SOURCE_LABELS = {**dict(FUND_SOURCES), "total": "合计"}


def phone_problems(text: str) -> list[str]:
    """Messages for each implausible number in a phone field such as 「李明：13404236559」."""
    numbers = _PHONE_CANDIDATE.findall(text)
    if not numbers:
        return ["未填写有效的联系电话"]
    return [
        f"电话号码「{n}」格式不正确（手机号11位，或带区号的固定电话）"
        for n in numbers
        if not (_MOBILE.fullmatch(n) or _LANDLINE.fullmatch(n))
    ]


def declaration_problems(project: Project, d: Declaration) -> list[Problem]:
    """Every problem that keeps this declaration from being submitted, in form order."""
    return [
        *_header(project, d),
        *_people(d),
        *_texts(d),
        *_unparsed(d),
        *_last_year(d),
        *_fund_items(project, d),
        *_fund_sources(d),
        *_indicators(project, d),
    ]


def declaration_warnings(d: Declaration | None) -> list[Problem]:
    """待核实事项 that do not block submission: each 目标值 the reader cannot place is kept as
    typed and judged by the 财政审核人 (issue 15); only an empty 目标值 blocks (see _indicator)."""
    return target_notes(d)[1]


def target_notes(d: Declaration | None) -> tuple[list[str], list[Problem]]:
    """Each 目标值 read once: what the read-only 申报表 says under it, row by row, and the
    warnings. Under a target: 「越低越好」 where it is read so (「（单位选定）」 when the unit chose
    it on the form), 「越高越好（单位选定）」 where the unit overrode a reading, and
    「无法识别，由审核人判定」 for one the reader cannot place (also a warning); nothing under a
    plain one."""
    notes: list[str] = []
    warnings: list[Problem] = []
    for i, indicator in enumerate(d.indicators if d is not None else []):
        target = read_target(indicator.target, indicator.name, indicator.direction)
        chosen = "（单位选定）" if indicator.direction else ""
        if target.kind is Kind.unreadable:
            notes.append("无法识别，由审核人判定")
            warnings.append(
                Problem(f"indicators-{i}-target", f"分解目标第{i + 1}行：{target.message}")
            )
        elif not target.readable:
            notes.append("")
        elif target.direction is Direction.lower:
            notes.append(f"越低越好{chosen}")
        else:
            notes.append(f"越高越好{chosen}" if chosen else "")
    return notes, warnings


def _header(project: Project, d: Declaration) -> list[Problem]:
    problems = []
    if not project.name.strip():
        problems.append(Problem("name", "「项目名称」未填写"))
    if not MIN_YEAR <= project.year <= MAX_YEAR:
        problems.append(Problem("year", f"「项目年度」应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份"))
    for key, label in (("project_type", "项目类型"), ("project_attribute", "项目属性")):
        if not getattr(d, key):
            problems.append(Problem(key, f"「{label}」未选择"))
    for key, label in (
        ("government_procurement", "是否政府采购"),
        ("government_service_purchase", "是否政府购买服务"),
    ):
        if getattr(d, key) is None:
            problems.append(Problem(key, f"「{label}」未选择"))
    return problems


def _people(d: Declaration) -> list[Problem]:
    problems = []
    if not d.leaders:
        problems.append(Problem("leaders-0-name", "「项目负责人」未填写"))
    if not d.contacts:
        problems.append(Problem("contacts-0-name", "「联系人」未填写"))
    for i, person in enumerate(d.contacts):
        if not person.name:
            problems.append(Problem(f"contacts-{i}-name", f"第{i + 1}位联系人未填写姓名"))
        if not person.phone:
            problems.append(Problem(f"contacts-{i}-phone", f"联系人{person.name}未填写联系电话"))
        else:
            problems += [Problem(f"contacts-{i}-phone", m) for m in phone_problems(person.phone)]
    return problems


def _texts(d: Declaration) -> list[Problem]:
    return [
        Problem(f.name, f"「{f.label}」未填写")
        for f in DECLARATION_TEXTS
        if f.required and not getattr(d, f.name).strip()
    ]


def _unparsed(d: Declaration) -> list[Problem]:
    return [Problem(path, _unparsed_message(path, raw))
            for path, raw in json.loads(d.unparsed or "{}").items()]  # fmt: skip


def _unparsed_message(path: str, raw: str) -> str:
    """The reader's own message (「…」应在0–100之间), or a general one."""
    label = _path_label(path)
    parse = {"filled_on": parse_date, **dict.fromkeys(dict(LAST_YEAR_RATES), parse_percent)}
    try:
        parse.get(path, parse_wan)(raw, label)
    except NumberError as exc:
        if path != "year":
            return exc.message
    return f"「{label}」“{raw[:30]}”无法识别，请更正"


def _path_label(path: str) -> str:
    parts = path.split("-")
    if parts[0] == "fund_items":
        return f"资金构成第{int(parts[1]) + 1}行预算金额"
    if parts[0] == "fund_sources":
        return f"资金来源·{_SOURCE_LABELS.get(parts[1], parts[1])}·{_COLUMN_LABELS[parts[2]]}"
    return _LABELS.get(path, path)


def _last_year(d: Declaration) -> list[Problem]:
    # Rates are read as 0–100 at input; here only what the arithmetic says.
    if d.ly_appropriated is not None and d.ly_spent is not None and d.ly_spent > d.ly_appropriated:
        return [Problem("ly_spent", "上年度「实际支出资金」大于「财政拨付资金」，请核对")]
    return []


def _grouped(table: str, found: list[tuple[int, str, str, str]]) -> list[Problem]:
    """One message per cause, naming every row it touches: (row index, field, cause key,
    message with {rows}) → a problem on each row's field, all with the same message."""
    rows_of: dict[str, list[int]] = {}
    for i, _, key, _ in found:
        rows_of.setdefault(key, []).append(i + 1)
    return [
        Problem(f"{table}-{i}-{field}", message.format(rows=rows_label(rows_of[key])))
        for i, field, key, message in found
    ]


def _fund_items(project: Project, d: Declaration) -> list[Problem]:
    if not d.fund_items:
        return [Problem("fund_items-0-name", "「项目资金构成」至少填写一个子项目")]
    found = []
    for i, item in enumerate(d.fund_items):
        if not item.name.strip():
            found.append((i, "name", "name", "资金构成{rows}未填写子项目名称"))
        if item.amount is not None and item.amount <= 0:
            found.append((i, "amount", "positive", "资金构成{rows}预算金额应大于0"))
        elif item.amount is None and f"fund_items-{i}-amount" not in d.unparsed:
            found.append((i, "amount", "amount", "资金构成{rows}未填写预算金额"))
    problems = _grouped("fund_items", found)
    total = fund_items_sum(d)
    if d.fund_items_total is not None and d.fund_items_total != total:
        problems.append(
            Problem(
                "fund_items_total",
                f"资金构成合计 {show_wan(d.fund_items_total)} "
                f"与各子项目之和 {show_wan(total)} 不一致",
            )
        )
    return problems


def fund_items_sum(d: Declaration) -> Decimal:
    return sum((i.amount for i in d.fund_items if i.amount is not None), Decimal(0))


def source_column_sums(d: Declaration) -> dict[str, Decimal]:
    """Each 资金来源 column summed over the six source rows (the written 合计 row left out)."""
    rows = [s for s in d.fund_sources if s.source != "total"]
    return {col: sum((getattr(s, col) or 0 for s in rows), Decimal(0)) for col, _ in FUND_COLUMNS}


def _fund_sources(d: Declaration) -> list[Problem]:
    problems = []
    written = next((s for s in d.fund_sources if s.source == "total"), None)
    sums = source_column_sums(d)
    for col, label in FUND_COLUMNS:
        column_sum = sums[col]
        stated = getattr(written, col, None)
        if stated is not None and stated != column_sum:
            problems.append(
                Problem(
                    f"fund_sources-total-{col}",
                    f"资金来源「{label}」合计 {show_wan(stated)} "
                    f"与各来源之和 {show_wan(column_sum)} 不一致",
                )
            )
    planned = sums["this_year"]
    if planned != fund_items_sum(d):
        problems.append(
            Problem(
                "fund_sources-total-this_year",
                f"资金来源「本年度计划数」合计 {show_wan(planned)} "
                f"与资金构成合计 {show_wan(fund_items_sum(d))} 不一致",
            )
        )
    return problems


def _indicators(project: Project, d: Declaration) -> list[Problem]:
    problems = []
    present = {i.category for i in d.indicators}
    for category in CATEGORIES:
        if category not in present:
            problems.append(Problem("indicators", f"分解目标中缺少「{category}」类指标"))
    # An indicator may also name the project itself (seed 000 has one 子项目 of the same name).
    names = {f.name.strip() for f in d.fund_items} | {project.name.strip()}
    found = [
        entry
        for i, indicator in enumerate(d.indicators)
        for entry in _indicator(i, indicator, names, len(d.fund_items))
    ]
    return problems + _grouped("indicators", found)


def _indicator(i: int, indicator, fund_item_names: set[str], item_count: int) -> list[tuple]:
    """(row, field, cause, message with {rows}) for each problem of one 分解目标 row."""
    found = []
    if indicator.category not in CATEGORIES:
        found.append((i, "category", "category", "分解目标{rows}未选择类别"))
    if not indicator.name.strip():
        found.append((i, "name", "name", "分解目标{rows}未填写指标名称"))
    if not (indicator.target or "").strip():
        # Only an empty 目标值 blocks; an unreadable one is a warning (declaration_warnings).
        found.append((i, "target", "target", "分解目标{rows}未填写目标值"))
    if indicator.category in CATEGORIES[1:]:
        named = json.loads(indicator.sub_projects)
        unknown = [n for n in named if n not in fund_item_names]
        if unknown:
            missing = "、".join(unknown).replace("{", "{{").replace("}", "}}")
            found.append((i, "sub_projects", f"unknown:{missing}",
                          f"分解目标{{rows}}的对应子项目「{missing}」不在资金构成中"))  # fmt: skip
        elif not named and item_count > 1:
            found.append((i, "sub_projects", "sub_projects", "分解目标{rows}未填写对应子项目"))
    return found
