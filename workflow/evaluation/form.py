"""The 自评表 as posted: every field read and checked in one pass, so a refused save lists every
problem at once, never one layer per save.

Refuse and keep on the page. The 申报表 stores a number it cannot read verbatim
(`Declaration.unparsed`) and saves the rest; the 自评表 does not: its figures and claims feed the
score and the 待核实事项 the moment they are saved, so a half-read form would be scored as if the
refused fields were blank, and keeping unreadable text would need columns the schema does not
have. When anything cannot be read, nothing is saved: `InvalidInput` carries every problem, each
on the field it concerns, and the page (422) shows back every value as typed.

自评分 (`claimed`) is typed as on the paper form, in points out of the row's 权重 (「4」 of 权重 6),
never as a percentage. It is stored as points, two decimals (integer hundredths in its column),
as it always was: scoring has always compared it with the points the rules give, so no stored
value changes meaning. A claim below 0, with a % sign, above the row's 权重 as the form shows it
(two decimals), or on a row the template does not score (权重 0, left blank or 0) is refused.

Messages name the row number shown on the form (「绩效指标第2行」) and quote a field name once;
one cause touching several rows is one message naming them all (see `checks.grouped`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workflow.errors import InvalidInput, Problem
from workflow.evaluation.checks import FUND_ROWS, INDICATOR_ROWS, RowFault, grouped
from workflow.evaluation.models import BUDGET_FIELDS, EVALUATION_FIELDS
from workflow.evaluation.scoring import display
from workflow.numbers import NumberError, parse_wan
from workflow.text import CELL_MAX, NARRATIVE_MAX, clean

MAX_TEXT = NARRATIVE_MAX  # characters in one narrative field (workflow/text.py)
MAX_ACTUAL = 200  # the 实际完成值 column
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－％", "0123456789.-%")
_POINTS = re.compile(r"\d{1,6}(\.\d{1,2})?")


@dataclass(frozen=True)
class RowWeight:
    """What a 绩效指标 row may claim: its 权重, and whether the template scores it at all."""

    weight: Decimal
    scored: bool = True


@dataclass(frozen=True)
class IndicatorValues:
    actual: str
    explanation: str
    claimed: Decimal | None


@dataclass(frozen=True)
class EvaluationInput:
    """Every value of the 自评表, read: the narrative by attribute, the budget figures by
    BUDGET_FIELDS key, the 子项目 实际金额 and the 绩效指标 rows in the form's order."""

    texts: dict[str, str]
    budget: dict[str, Decimal | None]
    budget_notes: str
    fund_items: list[Decimal | None]
    indicators: list[IndicatorValues]


def read_evaluation(
    data: Mapping[str, Any], *, weights: Sequence[RowWeight], item_count: int
) -> EvaluationInput:
    """The posted form read as values; InvalidInput with every problem, in the order of the
    page (budget, 资金构成, 差异说明, 绩效指标, narrative), when any field cannot be taken."""
    problems: list[Problem] = []
    budget = {key: _amount(data.get(key), label, key, problems) for key, label in BUDGET_FIELDS}
    faults: list[RowFault] = []
    items = [_item_amount(data.get(f"fund_items-{n}-actual"), n, faults) for n in range(item_count)]
    problems += grouped(faults)
    notes = _text(data, "budget_notes", "差异说明", problems)
    faults = []
    rows = [_indicator(data, n, w, faults) for n, w in enumerate(weights)]
    problems += grouped(faults)
    texts = {f.name: _text(data, f.name, f.label, problems) for f in EVALUATION_FIELDS}
    if problems:
        raise InvalidInput(problems, "自评表未保存：有内容需要更正")
    return EvaluationInput(texts, budget, notes, items, rows)


def _text(data, key: str, label: str, problems: list[Problem]) -> str:
    value = clean(data.get(key))
    if len(value) > MAX_TEXT:
        message = f"「{label}」内容过长：现有 {len(value)} 字，最多 {MAX_TEXT} 字"
        problems.append(Problem(key, message))
    return value


def _amount(raw, label: str, key: str, problems: list[Problem]) -> Decimal | None:
    try:
        return parse_wan(raw, label)
    except NumberError as exc:
        problems.append(Problem(key, exc.message))
        return None


def _item_amount(raw, n: int, faults: list[RowFault]) -> Decimal | None:
    try:
        return parse_wan(raw, "实际金额")
    except NumberError as exc:
        # The same reason and the same typed value on several rows is one message.
        message = f"{FUND_ROWS}{{rows}}{exc.message}"
        faults.append(RowFault(n, f"fund_items-{n}-actual", f"amount:{exc.message}", message))
        return None


def _indicator(data, n: int, weight: RowWeight, faults: list[RowFault]) -> IndicatorValues:
    key = f"indicators-{n}-"
    actual, explanation = clean(data.get(key + "actual")), clean(data.get(key + "explanation"))
    row = f"{INDICATOR_ROWS}{{rows}}"
    if len(actual) > MAX_ACTUAL:
        message = f"{row}的实际完成值过长（最多 {MAX_ACTUAL} 字），详细情况请写在「说明」中"
        faults.append(RowFault(n, key + "actual", "actual_long", message))
    if len(explanation) > CELL_MAX:
        message = f"{row}的说明过长（最多 {CELL_MAX} 字）"
        faults.append(RowFault(n, key + "explanation", "explanation_long", message))
    claimed = _claim(data.get(key + "claimed"), n, weight, faults)
    return IndicatorValues(actual, explanation, claimed)


def _claim(raw, n: int, w: RowWeight, faults: list[RowFault]) -> Decimal | None:
    """自评分 in points: blank → None; refused with a RowFault when it is not a claim this row
    can carry (the value stays on the page, so the message need not repeat it)."""
    text = clean(raw).translate(_FULL_WIDTH).replace(" ", "").removesuffix("分")
    if not text:
        return None
    field, row = f"indicators-{n}-claimed", f"{INDICATOR_ROWS}{{rows}}的自评分"
    most = display(w.weight) if w.scored else "0"
    fault = None
    if "%" in text:
        message = f"{row}按得分填写，不是百分数：最高为该行权重（如权重 6 的行填 0–6）"
        fault = ("claim_percent", message)
    elif text.startswith("-"):
        fault = ("claim_negative", f"{row}不能为负数")
    elif not _POINTS.fullmatch(text):
        fault = ("claim_format", f"{row}应为数字（按得分填写，如 4 或 4.5，最多两位小数）")
    elif not w.scored and Decimal(text) > 0:
        fault = ("claim_unscored", f"{row}应留空：该指标按本评分模板不计分")
    elif Decimal(text) > Decimal(most):
        one = f"{row} {Decimal(text)} 超过该行权重 {most}，应在 0 到 {most} 之间"
        many = f"{row}超过该行权重：自评分按得分填写，最高为该行权重"
        faults.append(RowFault(n, field, "claim_over", many, one))
        return None
    if fault:
        faults.append(RowFault(n, field, *fault))
        return None
    return Decimal(text)
