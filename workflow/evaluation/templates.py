"""Scoring templates: the rules of a 绩效自评表 as data, read from YAML and validated strictly.

A template says how many points each category carries, which indicators have standard weights,
what a qualitative grade earns, how completion turns into a share of the weight (one `Rule` per
category, another for lower-is-better indicators) and how the total is graded. The engine in
`scoring.py` reads every number from here, so a region's rule change is a YAML edit.

Projects are declared on Suzhou's form (类别 投入 / 产出 / 结果 / 影响力). A template with other
categories says where the form's indicators go: `name_map` (an indicator whose name contains a
key goes to its category, checked first) and `category_map` (the form's 类别 → a category of the
template). Either may send an indicator to `none`: listed on the sheet, not scored by indicators
(the national template scores the money through 预算执行率 instead), with `not_scored_reason`.

YAML numbers are read as `Decimal` straight from their text: a float never exists in between.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from workflow.rulefiles import Fault as _Fault
from workflow.rulefiles import listing as _list
from workflow.rulefiles import mapping as _mapping
from workflow.rulefiles import number as _number
from workflow.rulefiles import read_file, shipped_names, shipped_path
from workflow.rulefiles import text as _text

TEMPLATE_DIR = Path(__file__).parent / "templates"
DEFAULT_TEMPLATE = "suzhou"
KIND = "评分模板"
INDICATORS = "indicators"
BUDGET_EXECUTION = "budget_execution"
PROPORTIONAL = "proportional"
NOT_SCORED = "none"
# Users write "投入目标" or "产出类指标" where the template says "投入" / "产出".
_CATEGORY_SUFFIXES = ("类指标", "指标", "目标", "类")

_TEMPLATE_KEYS = {"name", "total", "qualitative_grades", "rules", "lower_is_better_rule"}
_TEMPLATE_KEYS |= {"empty_category", "explain_above", "categories", "total_grades"}
_TEMPLATE_KEYS |= {"category_map", "name_map", "not_scored_reason", "form_title"}
_RULE_KEYS = {"full_from", "full_to", "below", "above"}
_CATEGORY_KEYS = {"name", "points", "rule", "lower_rule", "weights", "source"}
_BAND_KEYS = {"grade", "min_percent"}


@dataclass(frozen=True)
class Rule:
    """Completion (percent of target) → share of the weight.

    Full weight from `full_from` up to `full_to` (None: no upper limit). Below `full_from` each
    point deducts `below` % of the weight, or, when `below` is None, the score is proportional
    (completion ÷ full_from). Above `full_to` each point deducts `above` % of the weight.
    """

    name: str
    full_from: Decimal
    full_to: Decimal | None
    below: Decimal | None
    above: Decimal


@dataclass(frozen=True)
class Category:
    name: str
    points: Decimal
    source: str
    rule: Rule | None
    lower_rule: Rule | None
    weights: Mapping[str, Decimal]


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min_percent: Decimal


@dataclass(frozen=True)
class ScoringTemplate:
    key: str
    label: str
    total: Decimal
    categories: tuple[Category, ...]
    qualitative_grades: Mapping[str, Decimal]
    total_grades: tuple[GradeBand, ...]
    redistribute_empty: bool
    explain_above: Decimal | None
    category_map: Mapping[str, str]  # the form's 类别 → a category here, or NOT_SCORED
    name_map: tuple[tuple[str, str], ...]  # (part of an indicator name, category), in order
    not_scored_reason: str
    form_title: str  # the 自评表's heading on paper, XLSX and PDF

    def category(self, name: str) -> Category | None:
        """The category a typed 类别 means ("投入目标" → 投入), or None."""
        by_name = {c.name: c for c in self.categories}
        return next((by_name[c] for c in _spellings(name) if c in by_name), None)

    def placement(self, category: str, name: str) -> str | None:
        """Where an indicator of the form counts: the name of one of this template's indicator
        categories, NOT_SCORED, or None when the template has no place for it. The name map is
        checked first, then the 类别 itself, then the category map."""
        text = (name or "").strip()
        for part, target in self.name_map:
            if part in text:
                return target
        own = self.category(category)
        if own is not None:
            # 预算执行率 is scored from the budget figures, never from an indicator.
            return own.name if own.source == INDICATORS else None
        mapped = (self.category_map[c] for c in _spellings(category) if c in self.category_map)
        return next(mapped, None)

    def grade(self, total: Decimal, points: Decimal) -> str:
        percent = total / points * 100 if points else Decimal(0)
        return next(b.grade for b in self.total_grades if percent >= b.min_percent)


def _spellings(category: str) -> list[str]:
    """A typed 类别 and what it means without a suffix users add ("投入目标" → 投入)."""
    text = category.strip()
    return [text] + [text[: -len(s)] for s in _CATEGORY_SUFFIXES if text.endswith(s)]


@functools.cache
def load_template(name: str = DEFAULT_TEMPLATE) -> ScoringTemplate:
    """A template shipped in workflow/evaluation/templates/ by its file stem ("suzhou"), read
    once per process like states.yaml (restart after editing a template)."""
    return load_template_file(shipped_path(TEMPLATE_DIR, name, KIND))


def available_templates() -> list[ScoringTemplate]:
    """Every template shipped in workflow/evaluation/templates/, the default first: what the
    admin may choose from. A file that does not load is an error, as at start-up."""
    return [load_template(n) for n in shipped_names(TEMPLATE_DIR, DEFAULT_TEMPLATE)]


def load_template_file(path: Path) -> ScoringTemplate:
    return read_file(path, KIND, _template)


def _template(key: str, data: object) -> ScoringTemplate:
    data = _mapping(data, "模板", _TEMPLATE_KEYS, required={"name", "total", "categories"})
    rules = {n: _rule(n, r) for n, r in _mapping(data.get("rules", {}), "rules").items()}
    lower = _rule_ref(rules, data.get("lower_is_better_rule"), "lower_is_better_rule")
    categories = tuple(_category(c, rules, lower) for c in _list(data["categories"], "categories"))
    total = _number(data["total"], "total")
    _check_categories(categories, total)
    empty = data.get("empty_category", "forfeit")
    if empty not in ("forfeit", "redistribute"):
        raise _Fault(f"empty_category 应为 forfeit 或 redistribute，而不是“{empty}”")
    explain = data.get("explain_above")
    scored = [c.name for c in categories if c.source == INDICATORS]
    return ScoringTemplate(
        key=key,
        label=_text(data["name"], "name"),
        total=total,
        categories=categories,
        qualitative_grades=_grades(data.get("qualitative_grades", {})),
        total_grades=_bands(data.get("total_grades")),
        redistribute_empty=empty == "redistribute",
        explain_above=None if explain is None else _number(explain, "explain_above"),
        category_map=MappingProxyType(_category_map(data.get("category_map", {}), categories)),
        name_map=tuple(_map(data.get("name_map", {}), "name_map", scored).items()),
        not_scored_reason=_text(data.get("not_scored_reason", "本模板不按指标计分"),
                                "not_scored_reason"),
        form_title=_text(data.get("form_title", "项目支出绩效自评表"), "form_title"),
    )  # fmt: skip


def _rule(name: str, data: object) -> Rule:
    where = f"rules.{name}"
    data = _mapping(data, where, _RULE_KEYS, required={"full_from", "below"})
    full_from = _number(data["full_from"], f"{where}.full_from")
    if full_from <= 0:
        raise _Fault(f"{where}.full_from 必须大于0")
    full_to = data.get("full_to")
    full_to = None if full_to is None else _number(full_to, f"{where}.full_to")
    if full_to is not None and full_to < full_from:
        raise _Fault(f"{where}.full_to 不能小于 full_from")
    if (full_to is None) != ("above" not in data):
        raise _Fault(f"{where}：full_to 与 above 必须同时给出")
    below = data["below"]
    below = None if below == PROPORTIONAL else _number(below, f"{where}.below")
    above = _number(data.get("above", 0), f"{where}.above")
    return Rule(name, full_from, full_to, below, above)


def _rule_ref(rules: dict[str, Rule], name: object, where: str) -> Rule | None:
    if name is None:
        return None
    if name not in rules:
        raise _Fault(f"{where} 引用了未定义的规则“{name}”（已定义：{'、'.join(rules) or '无'}）")
    return rules[name]


def _category(data: object, rules: dict[str, Rule], lower: Rule | None) -> Category:
    data = _mapping(data, "categories 条目", _CATEGORY_KEYS, required={"name", "points"})
    name = _text(data["name"], "categories.name")
    where = f"类别“{name}”"
    source = data.get("source", INDICATORS)
    if source not in (INDICATORS, BUDGET_EXECUTION):
        raise _Fault(f"{where} 的 source 应为 {INDICATORS} 或 {BUDGET_EXECUTION}")
    rule = _rule_ref(rules, data.get("rule"), f"{where} 的 rule")
    if source == INDICATORS and rule is None:
        raise _Fault(f"{where} 缺少 rule")
    if data.get("lower_rule") is not None:
        lower = _rule_ref(rules, data["lower_rule"], f"{where} 的 lower_rule")
    weights = {
        _text(k, f"{where} 的指标名"): _number(v, f"{where} 的权重“{k}”")
        for k, v in _mapping(data.get("weights", {}), f"{where} 的 weights").items()
    }
    points = _number(data["points"], f"{where} 的 points")
    if sum(weights.values(), Decimal(0)) > points:
        raise _Fault(f"{where} 的标准权重合计超过该类分值 {points}")
    return Category(name, points, source, rule, lower, MappingProxyType(weights))


def _check_categories(categories: tuple[Category, ...], total: Decimal) -> None:
    names = [c.name for c in categories]
    if not names or len(set(names)) != len(names):
        raise _Fault("categories 不能为空，类别名称不能重复")
    if not any(c.source == INDICATORS for c in categories):
        raise _Fault("至少需要一个指标类别")
    points = sum((c.points for c in categories), Decimal(0))
    if points != total:
        raise _Fault(f"各类别分值合计 {points} 与 total {total} 不一致")


def _category_map(data: object, categories: tuple[Category, ...]) -> dict[str, str]:
    """The form's 类别 → this template's: a category the template has means itself."""
    mapping = _map(data, "category_map", [c.name for c in categories if c.source == INDICATORS])
    own = {c.name for c in categories}
    if clash := [k for k in mapping if own.intersection(_spellings(k))]:
        raise _Fault(f"category_map 的“{clash[0]}”是本模板自己的类别，不能再映射")
    return mapping


def _map(data: object, where: str, categories: list[str]) -> dict[str, str]:
    """Keys (the form's 类别, or part of an indicator name) → a template category or none."""
    targets = [*categories, NOT_SCORED]
    mapping = {}
    for key, value in _mapping(data, where).items():
        key = _text(key, f"{where} 的键")
        if value is None:
            raise _Fault(f"{where} 中“{key}”缺少目标类别（不计分请写 {NOT_SCORED}）")
        if value not in targets:
            raise _Fault(
                f"{where} 中“{key}”的目标类别“{value}”不是本模板的指标类别"
                f"（可选：{'、'.join(targets)}）"
            )
        mapping[key] = value
    return mapping


def _grades(data: object) -> Mapping[str, Decimal]:
    grades = {
        _text(k, "qualitative_grades"): _number(v, f"qualitative_grades.{k}")
        for k, v in _mapping(data, "qualitative_grades").items()
    }
    if any(v > 100 for v in grades.values()):
        raise _Fault("qualitative_grades 的百分比不能超过100")
    return MappingProxyType(grades)


def _bands(data: object) -> tuple[GradeBand, ...]:
    bands = []
    for item in _list(data, "total_grades"):
        item = _mapping(item, "total_grades 条目", _BAND_KEYS, required=_BAND_KEYS)
        grade = _text(item["grade"], "total_grades.grade")
        bands.append(GradeBand(grade, _number(item["min_percent"], f"等级“{grade}”的 min_percent")))
    minima = [b.min_percent for b in bands]
    # Descending and ending at 0, so that every total finds exactly one grade.
    if not bands or minima != sorted(minima, reverse=True) or minima[-1] != 0:
        raise _Fault("total_grades 必须按 min_percent 从高到低排列，且最后一档为0")
    return tuple(bands)
