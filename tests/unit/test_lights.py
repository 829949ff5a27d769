"""绩效运行监控's warning lights (issue 17): the rules are data, validated at load with faults in
Chinese; the lights follow from execution and time shares as a finance officer reads them,
checked as properties over many figures, for the national default and a stricter local file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.monitoring.lights import (
    SEVERITY,
    Light,
    available_rules,
    budget_light,
    indicator_light,
    load_rules,
    load_rules_file,
    time_share,
    worst,
)

NATIONAL, STRICT = load_rules("national"), load_rules("strict")
RULES = [NATIONAL, STRICT]
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))
years = st.integers(2024, 2030)
days = st.integers(0, 364)  # a day of the year, from 1 January (31 December of a common year)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)
shares = st.decimals(min_value=0, max_value=Decimal(2), places=4)


def test_the_shipped_files_load_the_default_first():
    assert [r.key for r in available_rules()] == ["national", "strict"]
    assert NATIONAL.label == "全国通用预警规则" and NATIONAL.basis == "forecast"
    assert STRICT.basis == "progress" and Light.blue in STRICT.explain


def test_time_share_counts_whole_months_and_the_part_of_the_current_one():
    assert time_share(dt.date(2027, 7, 31)) == Decimal(7) / 12 * 100
    assert time_share(dt.date(2027, 12, 31)) == 100
    assert time_share(dt.date(2027, 1, 31)).quantize(Decimal("0.01")) == Decimal("8.33")


def _day(year: int, day: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=day)


@given(years, days, days)
def test_time_share_grows_with_the_date_within_a_year(year, a, b):
    a, b = sorted((a, b))
    assert 0 < time_share(_day(year, a)) <= time_share(_day(year, b)) <= 100


@pytest.mark.parametrize("rules", RULES, ids=lambda r: r.key)
@given(budget=money, low=shares, high=shares, cutoff=dates)
def test_more_execution_never_gives_a_worse_budget_light(rules, budget, low, high, cutoff):
    low, high = sorted((low, high))
    worse = budget_light(rules, budget, budget * low, cutoff).light
    better = budget_light(rules, budget, budget * high, cutoff).light
    assert SEVERITY[better] <= SEVERITY[worse]


@pytest.mark.parametrize("rules", RULES, ids=lambda r: r.key)
@given(budget=money, share=shares, year=years, early=days, late=days)
def test_the_same_execution_later_in_the_year_is_never_a_better_light(
    rules, budget, share, year, early, late
):
    early, late = sorted((early, late))
    sooner = budget_light(rules, budget, budget * share, _day(year, early)).light
    later = budget_light(rules, budget, budget * share, _day(year, late)).light
    assert SEVERITY[later] >= SEVERITY[sooner]


@pytest.mark.parametrize("rules", RULES, ids=lambda r: r.key)
@given(budget=money, cutoff=dates)
def test_execution_on_time_is_green_and_half_of_it_is_red(rules, budget, cutoff):
    on_time = budget * time_share(cutoff) / 100
    assert budget_light(rules, budget, on_time, cutoff).light is Light.green
    assert budget_light(rules, budget, on_time / 2, cutoff).light is Light.red


def test_the_budget_light_names_its_figures():
    reading = budget_light(NATIONAL, Decimal(200), Decimal(80), dt.date(2027, 7, 31))
    assert reading.light is Light.yellow
    assert reading.reason == "执行率 40.00%，时间进度 58.33%，执行进度为时间进度的 68.57%，黄灯"
    assert budget_light(NATIONAL, Decimal(0), Decimal(5), dt.date(2027, 7, 31)).light is None
    assert budget_light(NATIONAL, Decimal(9), None, dt.date(2027, 7, 31)).reason == (
        "未填截至监控时点执行数")  # fmt: skip


def _indicator(rules, target, forecast="", actual="", likelihood="", name="指标"):
    return indicator_light(rules, name=name, target=target, direction=None, actual=actual,
                           forecast=forecast, likelihood=likelihood,
                           cutoff=dt.date(2027, 7, 31))  # fmt: skip


@given(target=st.integers(1, 100000), forecast=st.integers(0, 300000))
def test_a_forecast_against_its_target_national(target, forecast):
    light = _indicator(NATIONAL, f"≥{target}人", f"{forecast}人").light
    percent = Decimal(forecast) / target * 100
    expected = (Light.red if percent < 60 else Light.yellow if percent < 80
                else Light.green if percent < 120 else Light.blue)  # fmt: skip
    assert light is expected


@given(target=st.integers(1, 1000), forecast=st.integers(0, 3000))
def test_lower_is_better_never_blue_and_within_the_ceiling_green(target, forecast):
    light = _indicator(NATIONAL, f"≤{target}万元", f"{forecast}万元", name="单位成本").light
    assert light is not Light.blue
    if forecast <= target:
        assert light is Light.green
    if forecast >= 2 * target:
        assert light is Light.red


@pytest.mark.parametrize("rules", RULES, ids=lambda r: r.key)
@given(forecast=st.integers(0, 300), actual=st.integers(0, 300),
       likelihood=st.sampled_from(["", "确定能", "有可能", "完全不可能"]))  # fmt: skip
def test_the_likelihood_never_makes_a_light_better(rules, forecast, actual, likelihood):
    alone = _indicator(rules, "≥100套", f"{forecast}套", f"{actual}套").light
    said = _indicator(rules, "≥100套", f"{forecast}套", f"{actual}套", likelihood).light
    assert SEVERITY[said] >= SEVERITY[alone]
    if likelihood == "完全不可能":
        assert said is Light.red


def test_the_strict_file_prorates_the_target_to_the_cut_off():
    reading = _indicator(STRICT, "≥150人", forecast="150人", actual="80人")
    assert reading.light is Light.green
    assert reading.reason == (
        "实际完成80人，按时间进度 58.33% 应完成87.5人，完成进度 91.43%，绿灯")  # fmt: skip
    assert _indicator(STRICT, "≥150人", actual="50人").light is Light.red  # 57 %
    assert _indicator(NATIONAL, "≥150人", forecast="150人", actual="50人").light is Light.green


def test_what_cannot_be_compared_is_read_from_the_likelihood():
    assert _indicator(NATIONAL, "规范", likelihood="有可能").light is Light.yellow
    assert _indicator(NATIONAL, "≥90%", forecast="基本完成").light is None
    assert _indicator(NATIONAL, "≥150人", forecast="150套").light is None  # another unit
    none = _indicator(NATIONAL, "规范")
    assert none.light is None and none.label == "未评"
    assert "请选择完成目标可能性" in none.reason


@given(st.lists(st.sampled_from([*Light, None]), max_size=6))
def test_the_project_light_is_the_worst(lights):
    found = worst(lights)
    real = [x for x in lights if x is not None]
    if not real:
        assert found is None
    else:
        assert found in real and all(SEVERITY[found] >= SEVERITY[x] for x in real)


GOOD = """name: 测试规则
budget:
  bands:
    - {light: red, below: 60}
    - {light: green}
indicator:
  bands:
    - {light: red, below: 60}
    - {light: green}
"""


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        (("name: 测试规则", "name: ''"), "name 应为非空文字"),
        (("budget:", "colour: red\nbudget:"), "规则 含有未知的键：colour"),
        (("    - {light: red, below: 60}\n    - {light: green}\nindicator",
          "    - {light: red, below: 60}\nindicator"),
         "budget.bands 只有最后一档不写 below（无上限），其余各档都要写"),
        (("{light: red, below: 60}\n    - {light: green}\nindicator",
          "{light: red, below: 60}\n    - {light: yellow, below: 50}\n    - {light: green}\n"
          "indicator"), "budget.bands 的 below 必须从低到高排列且不重复"),
        (("- {light: green}\nindicator", "- {light: purple}\nindicator"),
         "budget.bands 第2档 的灯“purple”无效（可选：green（绿灯）、blue（蓝灯）、yellow（黄灯）、"
         "red（红灯））"),
        (("{light: red, below: 60}\n    - {light: green}\nindicator",
          "{light: red, below: -5}\n    - {light: green}\nindicator"),
         "budget.bands 第1档的 below 不能为负数或非有限值（-5）"),
        (("indicator:\n", "indicator:\n  basis: monthly\n"),
         "indicator.basis 应为 forecast 或 progress，而不是“monthly”"),
        (("indicator:", "likelihood: {一定能: green}\nindicator:"),
         "likelihood 中的“一定能”不是完成目标可能性（可选：确定能、有可能、完全不可能）"),
        (("indicator:", "explain: red\nindicator:"), "explain 应为列表"),
    ],
)  # fmt: skip
def test_a_faulty_rule_file_is_refused_naming_the_fault(tmp_path, change, fault):
    path = tmp_path / "local.yaml"
    assert change[0] in GOOD
    path.write_text(GOOD.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_rules_file(path)
    assert str(error.value) == f"预警规则 local.yaml：{fault}"


def test_a_good_file_and_bad_names(tmp_path):
    path = tmp_path / "local.yaml"
    path.write_text(GOOD, encoding="utf-8")
    rules = load_rules_file(path)
    assert rules.key == "local" and rules.explain == frozenset()
    with pytest.raises(ValueError, match="预警规则名称“../x”无效"):
        load_rules("../x")
    with pytest.raises(ValueError, match="预警规则“nowhere”不存在"):
        load_rules("nowhere")
    path.write_text("name: [", encoding="utf-8")
    with pytest.raises(ValueError, match="预警规则 local.yaml：YAML 格式错误"):
        load_rules_file(path)
