"""The 绩效自评表 scoring engine: computes every indicator's score from the template's rules.

The unit's own 自评分 is kept beside the computed score and flagged when the two differ: the
engine never silently trusts a claim nor silently overwrites it (seed 003 claims 4 for a 预算执行率
that earns 3). Targets and actuals are read with the declaration's `parse_target`, so a 目标值
means the same thing here as in the checks. Pure: Decimal arithmetic, no I/O beyond the template.

Completion is the actual as a percent of the target. For a lower-is-better target (≤, <, 及以下)
it mirrors around the target: 100 % at or under it, one point less for every percent the actual
exceeds it (200 % − actual ÷ target), floored at 0 — so "5 % per point above" (Suzhou) and
"linear to 0 at twice the target" (national) are both a plain rule on the same figure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from workflow.declaration.targets import (
    WORDS,
    Direction,
    Kind,
    Target,
    TargetError,
    known_wording,
    parse_target,
)
from workflow.evaluation.templates import (
    BUDGET_EXECUTION,
    NOT_SCORED,
    Category,
    Rule,
    ScoringTemplate,
    load_template,
)

__all__ = [
    "IndicatorInput",
    "IndicatorScore",
    "ScoreSheet",
    "ScoringTemplate",
    "claimed_total",
    "display",
    "load_template",
    "score",
]

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
CLAIM_TOLERANCE = Decimal("0.005")
# Words that say the target itself was reached, whatever its kind ("=100%" with actual 完成).
COMPLETION_WORDS = frozenset(("完成", "达标", "合格", "通过", "到位"))
# Qualitative words that answer one another (a 「规范」 answers 「合规」); a word answers a
# qualitative target only if it is the target's word, one of its group, or says it was reached:
# 「稳定」 does not answer 「合规」.
_ANSWERS = (
    {"合规", "规范", "规范化"}, {"健全", "完善", "完备", "齐全", "完整"},
    {"明确", "资产明确", "清晰"}, {"建立", "落实", "到位"}, {"有效", "高效"},
    {"及时", "顺利"}, {"提升", "提高", "改善", "明显", "显著"},
    {"稳定", "正常", "可靠", "安全"}, {"现代化", "标准化"},
)  # fmt: skip
_WORD = re.compile("|".join(sorted(WORDS, key=len, reverse=True)))


@dataclass(frozen=True)
class IndicatorInput:
    category: str
    name: str
    target: str
    actual: str
    explanation: str = ""
    claimed: Decimal | None = None
    direction: str = ""  # the form's 方向: "higher", "lower", or "" to read it from the target


@dataclass(frozen=True)
class IndicatorScore:
    input: IndicatorInput
    weight: Decimal
    completion: Decimal | None  # percent; None when the actual is not a number
    score: Decimal
    claimed: Decimal | None
    differs: bool
    reason: str
    category: str  # the template's category name ("投入" for a typed "投入目标")
    # False for an indicator the template does not score (its 类别 mapped to none, or unknown
    # to it): weight and score 0, a blank claim is no gap, a claimed score differs.
    scored: bool = True
    # True where the rules could not read the actual against the target ("由审核人判定").
    needs_judgement: bool = False
    # How the engine read the actual, for a reviewer to check at a glance beside the score:
    # 「读作 92%，目标 ≥90%，满分」; empty when nothing was filled in.
    reading: str = ""


@dataclass(frozen=True)
class ScoreSheet:
    rows: list[IndicatorScore]
    subtotals: dict[str, Decimal]
    total: Decimal
    points: Decimal
    grade: str
    claimed_total: Decimal | None


@dataclass(frozen=True)
class _Outcome:
    share: Decimal  # of the weight, before clamping to [0, 1]
    completion: Decimal | None
    reason: str
    judge: bool = False  # the rules cannot decide: the reviewer must
    read: str = ""  # what the actual was read as (「92%」「“规范”」); empty: nothing could be
    target: str = ""  # the target as read, when it was


def display(value: Decimal | None, places: int = 2) -> str:
    """A score for people: rounded half up to `places`; the dataclasses keep the exact value."""
    if value is None:
        return ""
    return str(_rounded(value, places))


def _rounded(value: Decimal, places: int) -> Decimal:
    # Precision enough for every digit: a typed actual of 40 digits (completion 10^40 %) would
    # overflow the default 28 and raise InvalidOperation instead of being shown.
    context = Context(prec=max(28, value.adjusted() + places + 2))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=context)


def score(
    template: ScoringTemplate,
    indicators: Sequence[IndicatorInput],
    *,
    budget_execution: tuple[Decimal, Decimal] | None = None,
) -> ScoreSheet:
    """Score every indicator; `budget_execution` is (全年执行数, 全年预算数) for templates with a
    budget-execution category (national) and is ignored by the others."""
    categories = [_category_of(template, item) for item in indicators]
    weights = _weights(template, indicators, categories)
    rows = [
        _row(template, cat, weight, item) if cat else not_scored(item, template.not_scored_reason)
        for item, cat, weight in zip(indicators, categories, weights, strict=True)
    ]
    rows += [_budget_row(c, budget_execution) for c in template.categories if _is_budget(c)]
    subtotals = {c.name: ZERO for c in template.categories}
    for row in rows:
        if row.scored:
            subtotals[row.category] += row.score
    total = sum((row.score for row in rows), ZERO)
    grade = template.grade(total, template.total)
    claimed = claimed_total(rows[: len(indicators)])
    return ScoreSheet(rows, subtotals, total, template.total, grade, claimed)


def claimed_total(rows: Sequence[IndicatorScore]) -> Decimal | None:
    """The unit's claimed total: None unless every scored indicator carries a claim (a row the
    template does not score needs none; a claim on it still counts, and is flagged)."""
    claims = [row.claimed for row in rows if row.scored or row.claimed is not None]
    return None if not claims or None in claims else sum(claims, ZERO)


def not_scored(item: IndicatorInput, reason: str) -> IndicatorScore:
    """A row the template lists but does not score: weight and score 0, `reason` says why."""
    claimed = item.claimed
    differs = claimed is not None and abs(claimed) > CLAIM_TOLERANCE
    category = item.category.strip()
    return IndicatorScore(item, ZERO, None, ZERO, claimed, differs, reason, category, False)


def _category_of(template: ScoringTemplate, item: IndicatorInput) -> Category | None:
    """The template category the indicator counts in; None when the template lists it unscored
    (mapped to none). A 类别 the template has no place for is refused."""
    placement = template.placement(item.category, item.name)
    if placement is None:
        known = "、".join(c.name for c in template.categories if not _is_budget(c))
        raise ValueError(f"指标“{item.name}”的类别“{item.category}”不在模板中（{known}）")
    return None if placement == NOT_SCORED else template.category(placement)


def _is_budget(category: Category) -> bool:
    return category.source == BUDGET_EXECUTION


def _weights(template: ScoringTemplate, items, categories: list[Category | None]) -> list[Decimal]:
    """Standard weights where the template has them; the rest share what is left equally.
    An indicator the template does not score weighs nothing."""
    used = [c for c in categories if c is not None]
    points = _category_points(template, used)
    names = [item.name.strip() for item in items]
    pairs = list(zip(names, categories, strict=True))
    shares = {}
    for category in {c.name: c for c in used}.values():
        members = [n for n, c in pairs if c is not None and c.name == category.name]
        listed = [category.weights[n] for n in members if n in category.weights]
        others = len(members) - len(listed)
        left = max(ZERO, points[category.name] - sum(listed, ZERO))
        shares[category.name] = left / others if others else ZERO
    return [c.weights.get(n, shares[c.name]) if c else ZERO for n, c in pairs]


def _category_points(template: ScoringTemplate, used: list[Category]) -> dict[str, Decimal]:
    """Each category's points, after moving those of empty categories if the template says so."""
    points = {c.name: c.points for c in template.categories}
    indicator_cats = [c for c in template.categories if not _is_budget(c)]
    used_names = {c.name for c in used}
    empty = [c for c in indicator_cats if c.name not in used_names]
    filled = [c for c in indicator_cats if c.name in used_names]
    base = sum((c.points for c in filled), ZERO)
    if template.redistribute_empty and empty and base:
        spare = sum((c.points for c in empty), ZERO)
        for c in filled:
            points[c.name] += spare * c.points / base
    return points


def _row(template, category: Category, weight: Decimal, item: IndicatorInput) -> IndicatorScore:
    outcome = _assess(template, category, item)
    value = min(weight, max(ZERO, weight * outcome.share))
    claimed = item.claimed
    differs = claimed is not None and abs(claimed - value) > CLAIM_TOLERANCE
    reason = outcome.reason
    if template.category(item.category) is not category:  # placed by the template's maps
        reason += f"；按本模板计入「{category.name}」"
    return IndicatorScore(
        item, weight, outcome.completion, value, claimed, differs, reason, category.name,
        needs_judgement=outcome.judge, reading=_reading(outcome, value, weight, item),
    )  # fmt: skip


def _reading(outcome: _Outcome, value: Decimal, weight: Decimal, item: IndicatorInput) -> str:
    """「读作 92%，目标 ≥90%，满分」: the engine's reading of one row, in a line."""
    if not (item.actual or "").strip():
        return ""
    parts = [f"读作 {outcome.read}" if outcome.read else "未能读出"]
    if outcome.target:
        parts.append(f"目标 {outcome.target}")
    if outcome.judge:
        parts.append("由审核人判定")
    elif weight and value >= weight:
        parts.append("满分")
    else:
        parts.append(f"得{_fmt(value)}分")
    return "，".join(parts)


def _assess(template: ScoringTemplate, category: Category, item: IndicatorInput) -> _Outcome:
    actual = (item.actual or "").strip()
    explained = bool((item.explanation or "").strip())
    if not actual:
        if explained:
            return _Outcome(
                ZERO, None, "未填实际完成值，但有说明，暂得0分，由审核人判定", judge=True
            )
        return _Outcome(ZERO, None, "未填实际完成值且无说明，得0分")
    grade = template.qualitative_grades.get(actual)
    if grade is not None:
        return _Outcome(
            grade / HUNDRED, None, f"实际“{actual}”，按等级得权重的{_fmt(grade)}%",
            read=f"等级“{actual}”",
        )  # fmt: skip
    try:
        target = parse_target(item.target, item.name, item.direction)
    except TargetError as error:
        judged = "" if "由审核人判定" in error.message else "，由审核人判定"
        return _Outcome(ZERO, None, f"{error.message}，得0分{judged}", judge=True)
    if target.is_qualitative and actual == target.word:  # 「全覆盖」 for 「全覆盖」
        return _qualitative(target, actual)
    said = _said(actual)
    if said is not None:
        return _answer(target, actual, *said)
    try:
        reading = parse_target(actual)
    except TargetError:
        reading = None
    if reading is None or reading.kind is not Kind.numeric and not known_wording(reading.word):
        return _Outcome(
            ZERO, None, f"实际完成值“{actual}”无法识别，得0分，由审核人判定", judge=True,
            target=str(target),
        )  # fmt: skip
    if target.kind is Kind.change:
        return _Outcome(
            ZERO, None, f"目标“{item.target}”是相对基数的变化，实际{actual}由审核人判定", True,
            read=_shown(reading), target=str(target),
        )  # fmt: skip
    if reading.is_qualitative:
        return _qualitative(target, reading.word)
    return _quantitative(template, category, target, reading, explained)


# What an actual in words says of the target, as a person reads it: done (「完成」「已完成」,
# and 「全部完成」 which says all of it), partly done (「基本完成」「基本规范」), or not done.
_DONE = "完成|达标|合格|通过|到位|实现|落实|达到"
_SAID = re.compile(
    rf"(?:已经|已|均已|均|全部已|已全部)?(?P<how>全部|全面|圆满|如期|按时|按期|顺利|100%)?"
    rf"(?P<done>{_DONE})(?:目标|验收)?"
)
_PARTLY = re.compile(r"(?:已经|已|均已)?(?P<how>基本|大部分|部分|初步|大致|总体)(?P<rest>.+)")
_NOT = re.compile(rf"(?:未|没有|尚未|不|未能)(?:{_DONE}|全部完成|规范|合规|健全|完善)")


def _said(actual: str) -> tuple[str, str] | None:
    """(done / all / partly / not, the word) for an actual that says how far it got; None for
    any other actual (a number, a grade, a quality word such as 「规范」)."""
    text = actual.rstrip("。.")
    if _NOT.fullmatch(text):
        return "not", text
    if found := _SAID.fullmatch(text):
        return ("all" if found["how"] in ("全部", "全面", "100%") else "done"), found["done"]
    if found := _PARTLY.fullmatch(text):
        return "partly", found["how"]
    return None


def _answer(target: Target, actual: str, said: str, word: str) -> _Outcome:
    shown = str(target)
    if said == "not":
        return _Outcome(
            ZERO, None, f"实际“{actual}”，未达到目标“{shown}”，得0分", read=f"“{actual}”",
            target=shown,
        )  # fmt: skip
    if said == "partly":
        return _Outcome(
            ZERO, None, f"实际“{actual}”为{word}达到，程度需核实，暂得0分，由审核人判定",
            judge=True, read=f"“{actual}”（{word}达到）", target=shown,
        )  # fmt: skip
    if target.is_qualitative or target.kind is Kind.change and target.value is None:
        return _qualitative(target, word if target.is_qualitative else actual, actual)
    if said == "all" and target.unit == "%" and target.threshold() == HUNDRED:
        # 「全部完成」 of a 100 % target (完成率 =100%) is 100 %: what a person reads it as.
        return _Outcome(
            ONE, HUNDRED, f"实际“{actual}”，读作100%，达到目标“{shown}”，得满分", read="100%",
            target=shown,
        )  # fmt: skip
    return _Outcome(
        ZERO, None,
        f"目标“{shown}”为数值，实际“{actual}”未给出数值，请填写实际完成的数值，"
        "暂得0分，由审核人判定",
        judge=True, read=f"“{actual}”（无数值）", target=shown,
    )  # fmt: skip


def _qualitative(target: Target, word: str, actual: str | None = None) -> _Outcome:
    actual = actual or word
    shown = str(target)
    read = f"“{actual}”"
    if not target.is_qualitative:
        return _Outcome(
            ZERO, None, f"目标“{shown}”为数值，实际“{actual}”未给出数值，由审核人判定",
            judge=True, read=read, target=shown,
        )  # fmt: skip
    if word in COMPLETION_WORDS or word == target.word or _answers(word, target.word):
        return _Outcome(
            ONE, None, f"实际“{actual}”，达到定性目标“{shown}”", read=read, target=shown
        )
    return _Outcome(
        ZERO, None, f"定性目标“{shown}”，实际“{actual}”未回应该目标，暂得0分，由审核人判定",
        judge=True, read=read, target=shown,
    )  # fmt: skip


def _shown(reading: Target) -> str:
    if reading.is_qualitative:
        return f"“{reading.word}”"
    return f"{_fmt(reading.value)}{reading.unit}"


def _answers(actual: str, target: str) -> bool:
    """Whether every word of a qualitative target is answered by a word of the actual (the
    same word or one of its group); a target of words the engine does not know is answered
    only by its own wording."""
    wanted, given = _WORD.findall(target or ""), set(_WORD.findall(actual or ""))
    if not wanted:
        return (actual or "").strip() == (target or "").strip()
    near = {w: set().union(*(g for g in _ANSWERS if w in g)) | {w} for w in wanted}
    return all(near[w] & given for w in wanted)


def _quantitative(template, category: Category, target: Target, reading: Target, explained):
    shown = _shown(reading)
    if target.is_qualitative:
        return _Outcome(
            ZERO, None, f"定性目标“{target}”应填写等级或定性结论，实际{shown}由审核人判定", True,
            read=shown, target=str(target),
        )  # fmt: skip
    if reading.unit and target.unit and reading.unit != target.unit:
        return _Outcome(
            ZERO, None, f"实际{shown}与目标“{target}”单位不一致，由审核人判定", judge=True,
            read=shown, target=str(target),
        )  # fmt: skip
    lower = target.direction is Direction.lower
    bound = target.threshold()  # a range's bound on the side that matters (90%-95% → 90)
    completion = _completion(bound, reading.value, lower)
    rule = (category.lower_rule or category.rule) if lower else category.rule
    share, tail = _apply(rule, completion)
    over = "超过目标上限，折算" if lower and reading.value > bound else ""
    reason = f"实际{shown}，{over}完成率{_fmt(completion)}%，{tail}"
    if _needs_explanation(template.explain_above, target, reading, explained):
        reason += f"；超过目标{_fmt(template.explain_above)}%，需说明偏差原因"
    return _Outcome(share, completion, reason, read=shown, target=str(target))


def _needs_explanation(limit, target: Target, reading: Target, explained: bool) -> bool:
    """National rule: an actual at or above 130 % of a higher-is-better target must be explained."""
    if limit is None or explained or not target.value or target.direction is Direction.lower:
        return False
    return reading.value / target.value * HUNDRED >= limit


def _completion(target: Decimal, actual: Decimal, lower: bool) -> Decimal:
    if lower:
        if actual <= target:
            return HUNDRED
        # A zero ceiling (安全事故 ≤0次) is missed entirely by any actual above it.
        return max(ZERO, 2 * HUNDRED - actual / target * HUNDRED) if target else ZERO
    if not target:
        return HUNDRED  # every actual meets a target of 0
    return actual / target * HUNDRED


def _apply(rule: Rule, completion: Decimal) -> tuple[Decimal, str]:
    """The share of the weight a completion earns under `rule`, and why, in Chinese."""
    if completion < rule.full_from:
        gap = rule.full_from - completion
        if rule.below is None:
            return completion / rule.full_from, f"低于目标{_fmt(gap)}个百分点，按完成比例得分"
        cut = min(HUNDRED, gap * rule.below)
        return ONE - cut / HUNDRED, f"低于目标{_fmt(gap)}个百分点，扣减{_fmt(cut)}%"
    if rule.full_to is not None and completion > rule.full_to:
        over = completion - rule.full_to
        cut = min(HUNDRED, over * rule.above)
        return (
            ONE - cut / HUNDRED,
            f"超过{_fmt(rule.full_to)}%{_fmt(over)}个百分点，扣减{_fmt(cut)}%",
        )
    return ONE, "达到目标，得满分"


def _budget_row(category: Category, figures: tuple[Decimal, Decimal] | None) -> IndicatorScore:
    """预算执行率 as a row of its own: 执行数 ÷ 预算数 × the category's points, at most those."""
    points = category.points
    completion, value = None, ZERO
    if figures is None:
        actual, reason = "", "未提供全年执行数与预算数，得0分"
    elif figures[1] <= 0 or figures[0] < 0:
        actual, reason = "", f"执行数{_fmt(figures[0])}、预算数{_fmt(figures[1])}无效，得0分"
    else:
        executed, budget = figures
        completion = executed / budget * HUNDRED
        value = min(points, points * executed / budget)
        actual = f"{_fmt(completion)}%"
        reason = f"执行数{_fmt(executed)} ÷ 预算数{_fmt(budget)} = {actual}，得{_fmt(value)}分"
    item = IndicatorInput(category.name, category.name, "=100%", actual)
    return IndicatorScore(item, points, completion, value, None, False, reason, category.name)


def _fmt(value: Decimal) -> str:
    """Up to two decimals, trailing zeros dropped, for reasons ("6.67", "50", "33.33")."""
    text = f"{_rounded(value, 2):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
