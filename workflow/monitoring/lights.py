"""绩效运行监控's warning lights, by rules kept as data (workflow/monitoring/lights/*.yaml).

Three readings, each a light and the words that explain it:
- the budget: 执行率 (executed ÷ the year's budget) against the share of the year elapsed at the
  data cut-off;
- each indicator: its 全年预计完成值 against the 年度目标值 (basis `forecast`), or its 截至监控时点
  实际完成值 against the target prorated to the cut-off (basis `progress`), read with the targets
  parser, direction included; and the unit's own 完成目标可能性, the worse of the two;
- the project: the worst light of all.

A rule file gives each reading's bands (from low to high, each up to `below`, the last open),
the light of each 完成目标可能性, and the lights that need a 偏差原因 and 纠偏措施 before a 监控表
can be submitted. Files are validated at load, every fault named in Chinese.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from workflow.declaration.targets import Direction, Kind, read_target
from workflow.rulefiles import (
    Fault,
    listing,
    mapping,
    number,
    read_file,
    shipped_names,
    shipped_path,
    text,
)

RULES_DIR = Path(__file__).parent / "lights"
DEFAULT_RULES = "national"
KIND = "预警规则"
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


class Light(StrEnum):
    green = "green"
    blue = "blue"  # above the target by the file's margin: was the target set too low?
    yellow = "yellow"
    red = "red"


LIGHT_LABELS = {Light.green: "绿灯", Light.blue: "蓝灯", Light.yellow: "黄灯", Light.red: "红灯"}
#: How bad each light is, for 「the project's light is the worst of them」.
SEVERITY = {Light.green: 0, Light.blue: 1, Light.yellow: 2, Light.red: 3}
#: 完成目标可能性, as the 监控表 offers it.
LIKELIHOODS = ("确定能", "有可能", "完全不可能")
BASES = {
    "forecast": "全年预计完成值对照年度目标值",
    "progress": "实际完成值对照按时间进度折算的目标",
}


@dataclass(frozen=True)
class Band:
    light: Light
    below: Decimal | None  # None: no upper bound (the last band)


@dataclass(frozen=True)
class LightRules:
    key: str
    label: str
    budget: tuple[Band, ...]
    indicator: tuple[Band, ...]
    basis: str  # "forecast" or "progress"
    likelihood: Mapping[str, Light]
    explain: frozenset[Light]

    def needs_explanation(self, light: Light | None) -> bool:
        return light is not None and light in self.explain


@dataclass(frozen=True)
class Reading:
    """A light (None: nothing to compare yet) with the figure it came from and why."""

    light: Light | None
    percent: Decimal | None  # the compared ratio, in percent
    reason: str

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self.light] if self.light else "未评"


def worst(lights: Iterable[Light | None]) -> Light | None:
    """The project's light: the worst of its readings (None when none could be made)."""
    found = [light for light in lights if light is not None]
    return max(found, key=SEVERITY.__getitem__) if found else None


def time_share(cutoff: dt.date) -> Decimal:
    """The share of the cut-off's year elapsed at the end of that day, in percent: whole months
    and the part of the current one (31 July: 7 ÷ 12 = 58.33 %)."""
    days = calendar.monthrange(cutoff.year, cutoff.month)[1]
    months = Decimal(cutoff.month - 1) + Decimal(cutoff.day) / Decimal(days)
    return months / 12 * HUNDRED


def _band(bands: tuple[Band, ...], percent: Decimal) -> Light:
    return next(b.light for b in bands if b.below is None or percent < b.below)


def _pct(value: Decimal) -> str:
    return f"{value.quantize(TWO_PLACES):f}%"


def budget_light(
    rules: LightRules, budget: Decimal | None, executed: Decimal | None, cutoff: dt.date
) -> Reading:
    """执行率 against the time elapsed: the budget's light."""
    if not budget:
        return Reading(None, None, "无年度预算数，不评预算执行")
    if executed is None:
        return Reading(None, None, "未填截至监控时点执行数")
    rate = executed / budget * HUNDRED
    share = time_share(cutoff)
    ratio = rate / share * HUNDRED
    light = _band(rules.budget, ratio)
    reason = (f"执行率 {_pct(rate)}，时间进度 {_pct(share)}，"
              f"执行进度为时间进度的 {_pct(ratio)}，{LIGHT_LABELS[light]}")  # fmt: skip
    return Reading(light, ratio, reason)


def indicator_light(
    rules: LightRules, *, name: str, target: str, direction: str | None, actual: str,
    forecast: str, likelihood: str, cutoff: dt.date,
) -> Reading:  # fmt: skip
    """One indicator's light: the figure the rules compare, and the unit's likelihood; the
    worse of the two. A qualitative target is read from the likelihood alone."""
    said = rules.likelihood.get((likelihood or "").strip())
    figure = _figure(rules, name, target, direction, actual, forecast, cutoff)
    if figure is None:
        if said is None:
            return Reading(None, None, "目标或完成值不是可比较的数值，请选择完成目标可能性")
        return Reading(said, None, f"完成目标可能性“{likelihood}”，{LIGHT_LABELS[said]}")
    percent, reason = figure
    light = _band(rules.indicator, percent)
    if said is not None and SEVERITY[said] > SEVERITY[light]:
        reason += f"；完成目标可能性“{likelihood}”，{LIGHT_LABELS[said]}"
        light = said
    else:
        reason += f"，{LIGHT_LABELS[light]}"
    return Reading(light, percent, reason)


def _figure(rules, name, target, direction, actual, forecast, cutoff):
    """(percent compared, words) or None when the target or the value is not a number."""
    goal = read_target(target, name, direction)
    if not goal.readable or goal.kind not in (Kind.numeric, Kind.range) or goal.value is None:
        return None
    progress = rules.basis == "progress" and goal.direction is Direction.higher
    typed = actual if progress else forecast
    value = read_target(typed) if (typed or "").strip() else None
    if value is None or value.kind is not Kind.numeric or value.value is None:
        return None
    if value.unit and goal.unit and value.unit != goal.unit:
        return None
    bound = goal.threshold()
    if goal.direction is Direction.lower:
        if value.value <= bound:
            return HUNDRED, f"预计{_num(value)}，不超过目标“{goal}”，完成进度 100.00%"
        percent = max(Decimal(0), 2 * HUNDRED - value.value / bound * HUNDRED) if bound else \
            Decimal(0)  # fmt: skip
        return percent, f"预计{_num(value)}，超出目标“{goal}”，完成进度 {_pct(percent)}"
    if progress:
        share = time_share(cutoff)
        due = bound * share / HUNDRED
        percent = value.value / due * HUNDRED if due else HUNDRED
        return percent, (f"实际完成{_num(value)}，按时间进度 {_pct(share)} 应完成"
                         f"{_num_of(due, goal.unit)}，完成进度 {_pct(percent)}")  # fmt: skip
    percent = value.value / bound * HUNDRED if bound else HUNDRED
    return percent, f"全年预计{_num(value)}，目标“{goal}”，预计完成 {_pct(percent)}"


def _num(target) -> str:
    return _num_of(target.value, target.unit)


def _num_of(value: Decimal, unit: str) -> str:
    shown = value.quantize(TWO_PLACES).normalize()
    return f"{shown:f}{unit}"


# ---- the rule files ----


@functools.cache
def load_rules(name: str = DEFAULT_RULES) -> LightRules:
    """A rule file of workflow/monitoring/lights/ by its stem, read once per process."""
    return load_rules_file(shipped_path(RULES_DIR, name, KIND))


def available_rules() -> list[LightRules]:
    """Every rule file shipped, the default first."""
    return [load_rules(n) for n in shipped_names(RULES_DIR, DEFAULT_RULES)]


def load_rules_file(path: Path) -> LightRules:
    return read_file(path, KIND, _rules)


_KEYS = {"name", "budget", "indicator", "likelihood", "explain"}


def _rules(key: str, data: object) -> LightRules:
    data = mapping(data, "规则", _KEYS, required={"name", "budget", "indicator"})
    budget = mapping(data["budget"], "budget", {"bands"}, required={"bands"})
    indicator = mapping(data["indicator"], "indicator", {"bands", "basis"}, required={"bands"})
    basis = indicator.get("basis", "forecast")
    if basis not in BASES:
        raise Fault(f"indicator.basis 应为 {' 或 '.join(BASES)}，而不是“{basis}”")
    likely = {}
    for word, light in mapping(data.get("likelihood", {}), "likelihood").items():
        if word not in LIKELIHOODS:
            choices = "、".join(LIKELIHOODS)
            raise Fault(f"likelihood 中的“{word}”不是完成目标可能性（可选：{choices}）")
        likely[word] = _light(light, f"likelihood.{word}")
    explain = frozenset(_light(x, "explain") for x in listing(data.get("explain", []), "explain"))
    return LightRules(
        key=key, label=text(data["name"], "name"), budget=_bands(budget["bands"], "budget"),
        indicator=_bands(indicator["bands"], "indicator"), basis=basis,
        likelihood=MappingProxyType(likely), explain=explain,
    )  # fmt: skip


def _light(value: object, where: str) -> Light:
    try:
        return Light(value)
    except ValueError:
        choices = "、".join(f"{light.value}（{label}）" for light, label in LIGHT_LABELS.items())
        raise Fault(f"{where} 的灯“{value}”无效（可选：{choices}）") from None


def _bands(data: object, where: str) -> tuple[Band, ...]:
    bands = []
    for n, item in enumerate(listing(data, f"{where}.bands"), start=1):
        item = mapping(item, f"{where}.bands 第{n}档", {"light", "below"}, required={"light"})
        below = item.get("below")
        limit = None if below is None else number(below, f"{where}.bands 第{n}档的 below")
        bands.append(Band(_light(item["light"], f"{where}.bands 第{n}档"), limit))
    if not bands:
        raise Fault(f"{where}.bands 不能为空")
    if bands[-1].below is not None or any(b.below is None for b in bands[:-1]):
        raise Fault(f"{where}.bands 只有最后一档不写 below（无上限），其余各档都要写")
    limits = [b.below for b in bands[:-1]]
    if limits != sorted(set(limits)):
        raise Fault(f"{where}.bands 的 below 必须从低到高排列且不重复")
    return tuple(bands)
