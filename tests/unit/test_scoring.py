"""The scoring engine (workflow/evaluation/scoring.py) against seed 003 and both templates."""

from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import COMPLETE_DECLARATION
from workflow.evaluation.scoring import IndicatorInput, display, load_template, score
from workflow.evaluation.templates import NOT_SCORED, TEMPLATE_DIR, load_template_file

D = Decimal
SUZHOU = load_template("suzhou")
NATIONAL = load_template("national")

# Seed 003 (姑苏区公安网格联动系统, 2020) as printed:
# 类别, 指标名称, 目标值, 权重, 实际完成值, 自评分.
SEED_003 = [
    ("投入", "资金使用合规性", "合规", 3, "好", 3),
    ("投入", "财务制度健全性", "健全", 3, "好", 3),
    ("投入", "资产产权明确性", "资产明确", 1, "好", 1),
    ("投入", "各级财政应承担资金到位率", "=100%", 1, "=100%", 1),
    ("投入", "预算执行率", "=100%", 6, "=90%", 4),
    ("投入", "专款专用率", "=100%", 3, "=100%", 3),
    ("投入", "资金节约率", "15%及以下", 1, "≤15%", 1),
    ("投入", "配套设施到位率", "=100%", 1, "=100%", 1),
    ("投入", "实际风险事件有效控制率", "=100%", 1, "=100%", 1),
    ("投入", "政府采购规范性", "规范", 2, "规范", 2),
    ("投入", "可行研究充分性", "充分", 1, "好", 1),
    ("投入", "工程变更合规性", "合规", 1, "好", 1),
    ("投入", "与预期质量计划差距定期检查率", "=100%", 1, "=100%", 1),
    ("投入", "业务运维体系健全性", "健全", 1, "好", 1),
    ("产出", "实现抽取标准地址数据功能模块", "完成", 4, "完成", 4),
    ("产出", "实现抽取实有人口数据功能模块", "完成", 4, "完成", 4),
    ("产出", "实现抽取实有房屋数据功能模块", "完成", 4, "完成", 4),
    ("产出", "实现抽取实有单位数据功能模块", "完成", 4, "完成", 4),
    ("产出", "与公安一标三实工作平台对接", "完成", 4, "完成", 4),
    ("产出", "实现地址、人、房、单位上图功能", "完成", 4, "完成", 4),
    ("结果", "基层所队系统使用满意度", ">80%", 11, "=82%", 11),
    ("结果", "项目整体验收合格率", "=100%", 11, "=100%", 11),
    ("影响力", "提高社区基础信息采集率", ">10%", 4, "=10%", 4),
    ("影响力", "资源共享整合度", "=100%", 4, "完成", 4),
]


@pytest.fixture
def seed_003() -> list[IndicatorInput]:
    return [
        IndicatorInput(cat, name, target, actual, claimed=D(claimed))
        for cat, name, target, _, actual, claimed in SEED_003
    ]


def one(template, category, target, actual, name="指标", explanation=""):
    """The single row of a sheet scoring one indicator."""
    sheet = score(template, [IndicatorInput(category, name, target, actual, explanation)])
    return sheet.rows[0]


# --- seed 003 ---------------------------------------------------------------------------------


def test_seed_weights_are_the_forms(seed_003):
    sheet = score(SUZHOU, seed_003)
    assert [row.weight for row in sheet.rows] == [D(w) for *_, w, _, _ in SEED_003]


def test_seed_budget_execution_scores_3_where_the_form_claims_4(seed_003):
    row = next(r for r in score(SUZHOU, seed_003).rows if r.input.name == "预算执行率")
    assert (row.weight, display(row.score), row.claimed, row.differs) == (6, "3.00", 4, True)
    assert row.completion == 90
    assert "低于目标10个百分点" in row.reason and "扣减50%" in row.reason


def test_seed_done_against_a_numeric_target_asks_for_the_figure(seed_003):
    # 资源共享整合度 =100% with 「完成」: the form claims 4, but 「完成」 is no figure (issue 15).
    row = next(r for r in score(SUZHOU, seed_003).rows if r.input.name == "资源共享整合度")
    assert (row.score, row.claimed, row.differs, row.needs_judgement) == (0, 4, True, True)
    assert "请填写实际完成的数值" in row.reason and "由审核人判定" in row.reason
    assert row.reading == "读作 “完成”（无数值），目标 =100%，由审核人判定"


def test_seed_every_other_row_scores_its_claim(seed_003):
    asked = ("预算执行率", "资源共享整合度")
    rows = [r for r in score(SUZHOU, seed_003).rows if r.input.name not in asked]
    assert [(r.input.name, r.score) for r in rows] == [(r.input.name, r.claimed) for r in rows]
    assert not any(r.differs or r.needs_judgement for r in rows)


def test_seed_total_is_73_where_the_form_claims_78(seed_003):
    sheet = score(SUZHOU, seed_003)
    assert (sheet.total, sheet.claimed_total, sheet.points) == (73, 78, 80)
    assert sheet.subtotals == {"投入": 23, "产出": 24, "结果": 22, "影响力": 4}
    assert sheet.grade == "优"  # 73 / 80 = 91.25 %


def test_suzhou_grade_bands_are_percent_of_80_points():
    grades = [SUZHOU.grade(D(t), D(80)) for t in (72, "71.99", 64, "63.99", 48, "47.99", 0)]
    assert grades == ["优", "良", "良", "中", "中", "差", "差"]


# --- Suzhou rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "share"),
    [("100", "1"), ("130", "1"), ("131", "0.99"), ("95", "0.75"), ("80", "0"), ("10", "0")],
)
def test_output_band(actual, share):
    row = one(SUZHOU, "产出", "=200人", f"{D(actual) * 2}人")  # completion = actual %
    assert row.weight == 24 and row.score == 24 * D(share)


@pytest.mark.parametrize(("actual", "share"), [("120%", "1"), ("100%", "1"), ("90%", "0.5")])
def test_result_has_no_upper_limit(actual, share):
    assert one(SUZHOU, "结果", "=100%", actual).score == 22 * D(share)


def test_influence_is_scored_like_result():
    assert one(SUZHOU, "影响力", "≥10%", "20%").score == 8
    assert one(SUZHOU, "影响力", "≥10%", "9%").score == 4  # 90 % → 10 points → 50 %


def test_lower_is_better_saving_rate():
    full = one(SUZHOU, "投入", "15%及以下", "10%", name="资金节约率")
    over = one(SUZHOU, "投入", "15%及以下", "16%", name="资金节约率")
    assert full.score == 1 and full.completion == 100
    # 16 % is 6.67 % above the ceiling: completion 93.33 %, 33.33 % of the weight deducted.
    assert 0 < over.score < 1 and display(over.score) == "0.67"
    assert "扣减33.33%" in over.reason


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("合规", "较好", "0.8"),
        ("合规", "一般", "0.6"),
        ("合规", "差", "0.2"),
        ("合规", "合规", "1"),
        ("健全", "完成", "1"),
        ("健全", "已完成", "1"),
        ("=100%", "完成", "0"),  # 「完成」 is no figure: the row asks for it
        ("=100%", "已完成", "0"),
        ("=100%", "全部完成", "1"),  # all of a 100 % target is 100 %
        ("≥100%", "100%完成", "1"),
        ("≥95%", "全部完成", "0"),  # but not a figure for any other target
        ("=200人", "完成", "0"),
        ("=100%", "合规", "0"),  # a number was asked for
        ("合规", "不合规", "0"),
        ("合规", "95%", "0"),
    ],
)
def test_qualitative_actuals(target, actual, expected):
    assert one(SUZHOU, "产出", target, actual).score == 24 * D(expected)


@pytest.mark.parametrize(
    ("target", "actual", "share", "reading"),
    [
        # read as a person reads them, and the reading shown beside the score
        ("≥90%", "92%", "1", "读作 92%，目标 ≥90%，满分"),
        ("≥90%", "满意度92%", "1", "读作 92%，目标 ≥90%，满分"),
        ("≥90%", "满意度为92%", "1", "读作 92%，目标 ≥90%，满分"),
        ("≥90%", "九成", "1", "读作 90%，目标 ≥90%，满分"),
        ("≥90%", "百分之九十五", "1", "读作 95%，目标 ≥90%，满分"),
        ("≥200人", "一百人", "0", "读作 100人，目标 ≥200人，得0分"),
        ("≥200人", "二百一十人", "1", "读作 210人，目标 ≥200人，满分"),
        ("=100%", "全部完成", "1", "读作 100%，目标 =100%，满分"),
        ("合规", "规范", "1", "读作 “规范”，目标 合规，满分"),
        ("全覆盖", "全覆盖", "1", "读作 “全覆盖”，目标 全覆盖，满分"),
        ("按时完成", "已完成", "1", "读作 “已完成”，目标 按时完成，满分"),
        ("合规", "较好", "0.8", "读作 等级“较好”，得17.6分"),
        # sent to the reviewer with the reason, never silently 0
        ("合规", "基本规范", "0", "读作 “基本规范”（基本达到），目标 合规，由审核人判定"),
        ("=100%", "基本完成", "0", "读作 “基本完成”（基本达到），目标 =100%，由审核人判定"),
        ("合规", "稳定", "0", "读作 “稳定”，目标 合规，由审核人判定"),
        ("≥90%", "好评如潮", "0", "未能读出，目标 ≥90%，由审核人判定"),
        # a plain no
        ("=100%", "未完成", "0", "读作 “未完成”，目标 =100%，得0分"),
        ("合规", "不合规", "0", "读作 “不合规”，目标 合规，得0分"),
    ],
)
def test_actuals_read_as_a_person_reads_them(target, actual, share, reading):
    row = one(SUZHOU, "结果", target, actual)
    assert row.score == row.weight * D(share)
    assert row.reading == reading
    judged = "由审核人判定" in reading
    assert row.needs_judgement is judged and ("由审核人判定" in row.reason) is judged


def test_nothing_typed_reads_as_nothing():
    assert one(SUZHOU, "结果", "≥90%", "").reading == ""


def test_the_forms_direction_is_kept_in_scoring():
    # 「12次」 of a target 「=10次」: more is better unless the unit chose 越低越好 on the form.
    higher = score(SUZHOU, [IndicatorInput("结果", "巡查次数", "=10次", "12次")]).rows[0]
    item = IndicatorInput("结果", "巡查次数", "=10次", "12次", direction="lower")
    lower = score(SUZHOU, [item]).rows[0]
    assert higher.score == higher.weight
    assert lower.score < lower.weight and "超过目标上限" in lower.reason


def test_missing_actual_scores_zero_and_says_whether_it_is_explained():
    bare = one(SUZHOU, "产出", "=1套", "")
    explained = one(SUZHOU, "产出", "=1套", " ", explanation="疫情影响，延至次年验收")
    assert bare.score == explained.score == 0
    assert "无说明" in bare.reason and "有说明" in explained.reason and "审核人" in explained.reason


def test_units_must_agree():
    assert one(SUZHOU, "产出", "=200人", "200次").score == 0
    assert one(SUZHOU, "产出", "=200人", "200").score == 24


def test_input_category_may_carry_its_suffix_and_unknown_ones_are_refused():
    assert one(SUZHOU, "投入目标", "=100%", "100%", name="专款专用率").weight == 3
    with pytest.raises(ValueError, match="效益"):
        one(SUZHOU, "效益", "=100%", "100%")


def test_a_claim_differs_only_beyond_half_a_cent():
    def row(claimed):
        item = IndicatorInput("结果", "a", "=3个", "2.9个", claimed=D(claimed))
        return score(SUZHOU, [item]).rows[0]  # 96.67 % → 16.67 % off 22 = 18.3333…

    assert display(row("18.33").score) == "18.33"
    assert not row("18.33").differs and row("18.34").differs


@pytest.mark.parametrize("template", [SUZHOU, NATIONAL])
def test_an_actual_of_forty_digits_is_scored_not_a_crash(template):
    # 10^40 % completion overflows Decimal's default 28 digits when rounded for the reason.
    row = one(template, "产出", "=200人", "9" * 40 + "人")
    assert "完成率5" + "0" * 39 + "%" in row.reason
    assert row.score == (0 if template is SUZHOU else row.weight)  # band ceiling vs none
    assert display(D("1e40")) == "1" + "0" * 40 + ".00"


def test_display_rounds_half_up_and_keeps_two_places():
    assert [display(D(x)) for x in ("3", "0.665", "18.3333")] == ["3.00", "0.67", "18.33"]
    assert display(None) == ""


# --- national template ------------------------------------------------------------------------


def national_project() -> list[IndicatorInput]:
    return [
        IndicatorInput("产出", "开发功能模块数", "=100个", "100个"),  # met
        IndicatorInput("产出", "培训场次", "≥10次", "8次"),  # 80 % of the weight
        IndicatorInput("产出", "故障率", "≤5%", "7.5%"),  # 1.5 × target: half way to 0
        IndicatorInput("效益", "数据共享合规性", "合规", "好"),  # full
        IndicatorInput("效益", "业务办理效率提升", ">90%", "81%"),  # 90 % of the weight
    ]


def test_national_redistributes_satisfaction_and_scores_budget_execution():
    sheet = score(NATIONAL, national_project(), budget_execution=(D(90), D(100)))
    # 满意度's 10 points go pro rata: 产出 50 + 6.25 = 56.25 (3 × 18.75), 效益 30 + 3.75 = 33.75.
    assert [r.weight for r in sheet.rows] == [D("18.75")] * 3 + [D("16.875")] * 2 + [10]
    assert [r.score for r in sheet.rows] == [
        D("18.75"), D(15), D("9.375"), D("16.875"), D("15.1875"), D(9)
    ]  # fmt: skip
    assert sheet.subtotals == {
        "产出": D("43.125"),
        "效益": D("32.0625"),
        "满意度": 0,
        "预算执行率": 9,
    }
    assert (sheet.total, sheet.points, sheet.grade) == (D("84.1875"), 100, "良")
    assert sheet.claimed_total is None


def test_national_lower_is_better_reaches_zero_at_twice_the_target():
    weights_50 = [IndicatorInput("效益", "x", "=1个", "1个")]
    row = score(NATIONAL, [IndicatorInput("产出", "投诉率", "≤5%", "10%"), *weights_50]).rows[0]
    assert row.score == 0 and row.completion == 0


def test_national_budget_execution_is_capped_and_optional():
    items = national_project()
    assert score(NATIONAL, items, budget_execution=(D(120), D(100))).subtotals["预算执行率"] == 10
    missing = score(NATIONAL, items).rows[-1]
    assert missing.score == 0 and "未提供" in missing.reason


def test_national_asks_for_an_explanation_above_130_percent():
    assert "需说明偏差原因" in one(NATIONAL, "产出", "=10次", "13次").reason
    assert "偏差" not in one(NATIONAL, "产出", "=10次", "13次", explanation="需求增加").reason


def test_national_grades():
    bands = [NATIONAL.grade(D(t), D(100)) for t in (90, "89.99", 80, 60, "59.99")]
    assert bands == ["优", "良", "良", "中", "差"]


# --- the national template on projects declared on Suzhou's form ------------------------------

NOT_SCORED_REASON = "本模板不按指标计分（预算执行率单独计分）"
# Actuals for the 4 indicators of COMPLETE_DECLARATION (投入 预算执行率 =100%, 产出 培训参与人数
# =200人, 结果 隐患推送率 ≥95%, 影响力 群众满意度 ≥90%).
ACTUALS = {"预算执行率": "100%", "培训参与人数": "160人", "隐患推送率": "76%", "群众满意度": "81%"}


def declared(*, without=(), claims=None) -> list[IndicatorInput]:
    claims = claims or {}
    return [
        IndicatorInput(i["category"], i["name"], i["target"], ACTUALS[i["name"]],
                       claimed=claims.get(i["name"]))
        for i in COMPLETE_DECLARATION["indicators"]
        if i["name"] not in without
    ]  # fmt: skip


def test_national_scores_a_project_declared_on_suzhous_form():
    sheet = score(NATIONAL, declared(), budget_execution=(D("332.5"), D(350)))
    # 投入   预算执行率 → none: listed, weight 0, score 0 (the money is the 预算执行率 row)
    # 产出   培训参与人数 160 of 200人 = 80 %               → 50 × 0.80 = 40
    # 结果   隐患推送率 → 效益, 76 of 95 % = 80 %           → 30 × 0.80 = 24
    # 影响力 群众满意度 → 满意度 (by name), 81 of 90 % = 90 % → 10 × 0.90 = 9
    # 预算执行率 332.5 ÷ 350 = 95 %                         → 10 × 0.95 = 9.5
    # total 40 + 24 + 9 + 9.5 = 82.5 of 100 → 良 (80 ≤ 82.5 < 90)
    assert [(r.input.name, r.category, r.weight, r.score, r.scored) for r in sheet.rows] == [
        ("预算执行率", "投入", 0, 0, False),
        ("培训参与人数", "产出", 50, 40, True),
        ("隐患推送率", "效益", 30, 24, True),
        ("群众满意度", "满意度", 10, 9, True),
        ("预算执行率", "预算执行率", 10, D("9.5"), True),
    ]
    assert sheet.subtotals == {"产出": 40, "效益": 24, "满意度": 9, "预算执行率": D("9.5")}
    assert (sheet.total, sheet.points, sheet.grade) == (D("82.5"), 100, "良")
    assert sheet.rows[0].reason == NOT_SCORED_REASON
    assert sheet.rows[2].reason.endswith("；按本模板计入「效益」")
    assert sheet.rows[3].reason.endswith("；按本模板计入「满意度」")


def test_national_without_satisfaction_indicator_redistributes_its_points():
    sheet = score(NATIONAL, declared(without={"群众满意度"}), budget_execution=(D("332.5"), D(350)))
    # 满意度 is empty; 投入 (none) is not an empty category and takes nothing. 满意度's 10 points
    # go pro rata: 产出 50 + 10 × 50/80 = 56.25, 效益 30 + 10 × 30/80 = 33.75.
    # 产出 56.25 × 0.8 = 45, 效益 33.75 × 0.8 = 27, 预算执行率 9.5: total 81.5 → 良.
    assert [r.weight for r in sheet.rows] == [0, D("56.25"), D("33.75"), 10]
    assert sheet.subtotals == {"产出": 45, "效益": 27, "满意度": 0, "预算执行率": D("9.5")}
    assert (sheet.total, sheet.grade) == (D("81.5"), "良")


def test_national_with_only_input_and_output_gives_output_the_indicator_points():
    items = declared(without={"隐患推送率", "群众满意度"})
    sheet = score(NATIONAL, items, budget_execution=(D(350), D(350)))
    # 产出 50 + 效益 30 + 满意度 10 = 90 on 培训参与人数 (80 %): 72; 预算执行率 10: total 82.
    assert [(r.category, r.weight, r.score) for r in sheet.rows] == [
        ("投入", 0, 0), ("产出", 90, 72), ("预算执行率", 10, 10)
    ]  # fmt: skip
    assert (sheet.total, sheet.grade) == (82, "良")


@pytest.mark.parametrize(
    ("category", "name", "placed"),
    [
        ("投入", "预算执行率", NOT_SCORED),
        ("投入目标", "专款专用率", NOT_SCORED),
        ("产出", "培训参与人数", "产出"),
        ("产出类指标", "培训参与人数", "产出"),
        ("结果目标", "隐患推送率", "效益"),
        ("影响力", "提高社区基础信息采集率", "效益"),
        ("结果", "基层所队系统使用满意度", "满意度"),  # seed 003: the name is checked first
        ("影响力指标", "群众满意度", "满意度"),
        ("效益", "隐患整改率", "效益"),  # the template's own categories mean themselves
        ("满意度", "服务对象满意度", "满意度"),
        ("其他", "隐患整改率", None),
        ("预算执行率", "全年执行率", None),  # scored from the budget figures, never an indicator
    ],
)
def test_national_places_the_forms_indicators(category, name, placed):
    assert NATIONAL.placement(category, name) == placed


def test_suzhou_needs_no_map():
    assert (dict(SUZHOU.category_map), SUZHOU.name_map) == ({}, ())
    assert SUZHOU.placement("影响力", "群众满意度") == "影响力"
    assert SUZHOU.placement("投入目标", "预算执行率") == "投入"


def test_a_category_the_national_template_cannot_place_is_refused():
    with pytest.raises(ValueError, match="类别“其他”不在模板中"):
        one(NATIONAL, "其他", "=1个", "1个")


def test_claims_on_rows_the_template_does_not_score():
    claims = {"培训参与人数": D(40), "隐患推送率": D(24), "群众满意度": D(9)}
    sheet = score(NATIONAL, declared(claims=claims), budget_execution=(D(350), D(350)))
    # A blank claim on the 投入 row is no gap: the unit claims 73 for what is scored.
    assert sheet.claimed_total == 73 and not any(r.differs for r in sheet.rows)
    claimed = score(NATIONAL, declared(claims=claims | {"预算执行率": D(6)})).rows[0]
    # Six points claimed for a row the template does not score: flagged, counted in the claim.
    assert (claimed.score, claimed.claimed, claimed.differs) == (0, 6, True)
    with_claim = score(NATIONAL, declared(claims=claims | {"预算执行率": D(6)}))
    assert with_claim.claimed_total == 79


# --- properties -------------------------------------------------------------------------------

UNITS = st.sampled_from(["%", "人", "次", "个", ""])
VALUES = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
TARGETS = st.one_of(
    st.builds(
        lambda op, v, u: f"{op}{v}{u}", st.sampled_from(["=", "≥", ">", "≤", "<"]), VALUES, UNITS
    ),
    st.sampled_from(["合规", "健全", "完成", "15%及以下", "bogus"]),
)
ACTUAL_VALUES = st.one_of(
    st.builds(lambda op, v, u: f"{op}{v}{u}", st.sampled_from(["", "=", "≤"]), VALUES, UNITS),
    st.sampled_from(["好", "较好", "一般", "较差", "差", "完成", "合规", "", "未完成", "??",
                     "满意度92%", "九成", "八成五", "百分之九十五", "一百人", "基本规范",
                     "全部完成", "已完成", "100%完成", "不合规", "满意度为", "百分之", "十成十"]),
    st.text(max_size=20),
)  # fmt: skip


def indicators(template):
    """The template's own categories, the form's ones its map places, and typed suffixes."""
    own = [c.name for c in template.categories if c.source == "indicators"]
    categories = [*own, *template.category_map, *(f"{c}目标" for c in own)]
    names = st.sampled_from(["资金节约率", "甲", "乙", "群众满意度"])
    item = st.builds(IndicatorInput, st.sampled_from(categories), names, TARGETS, ACTUAL_VALUES,
                     direction=st.sampled_from(["", "higher", "lower"]))  # fmt: skip
    return st.lists(item, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([SUZHOU, NATIONAL]).flatmap(lambda t: st.tuples(st.just(t), indicators(t))))
def test_scores_stay_within_their_weight_and_add_up(case):
    template, items = case
    sheet = score(template, items, budget_execution=(D(95), D(100)))
    assert all(0 <= row.score <= row.weight for row in sheet.rows)
    assert sheet.total == sum((row.score for row in sheet.rows), D(0))
    for row in sheet.rows[: len(items)]:  # every reading shown, none for a blank actual
        if row.scored:
            assert bool(row.reading) is bool((row.input.actual or "").strip())
    for name, subtotal in sheet.subtotals.items():
        assert subtotal == sum((r.score for r in sheet.rows if r.category == name), D(0))


@settings(max_examples=200, deadline=None)
@given(indicators(NATIONAL))
def test_rows_the_national_template_does_not_score_change_nothing(items):
    sheet = score(NATIONAL, items, budget_execution=(D(95), D(100)))
    assert all(r.weight == r.score == 0 for r in sheet.rows if not r.scored)
    kept = [item for item, row in zip(items, sheet.rows, strict=False) if row.scored]
    without = score(NATIONAL, kept, budget_execution=(D(95), D(100)))
    assert (without.total, without.subtotals) == (sheet.total, sheet.subtotals)
    assert [r.weight for r in without.rows] == [r.weight for r in sheet.rows if r.scored]
    # With any scored indicator, redistribution hands out all 100 points.
    if kept:
        assert abs(sum((r.weight for r in sheet.rows), D(0)) - 100) < D("1e-20")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        [
            (SUZHOU, "产出"),
            (SUZHOU, "投入"),
            (SUZHOU, "结果"),
            (NATIONAL, "产出"),
            (NATIONAL, "结果"),
        ]
    ),
    st.decimals(min_value="0.01", max_value=1000, places=2),
    st.decimals(min_value=100, max_value=130, places=2),
    st.decimals(min_value=0, max_value="99.99", places=2),
)
def test_meeting_the_target_never_scores_less_than_missing_it(case, target, inside, below):
    template, category = case
    met = one(template, category, f"≥{target}个", f"{target * inside / 100}个")
    missed = one(template, category, f"≥{target}个", f"{target * below / 100}个")
    assert met.score == met.weight
    assert met.score >= missed.score


# --- broken templates -------------------------------------------------------------------------


def broken(tmp_path, change, source="suzhou"):
    data = yaml.safe_load((TEMPLATE_DIR / f"{source}.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rules"]["band"].update(penalty=3), "rules.band 含有未知的键：penalty"),
        (lambda d: d.update(colour="red"), "未知的键：colour"),
        (lambda d: d["categories"][1].update(points=25), "合计 81 与 total 80 不一致"),
        (lambda d: d["categories"][0]["weights"].update(预算执行率=-6), "预算执行率.*负数"),
        (lambda d: d["categories"][2].update(rule="steep"), "未定义的规则“steep”"),
        (lambda d: d["total_grades"].reverse(), "total_grades"),
        (lambda d: d["rules"]["band"].update(full_from="x"), "full_from 应为数值"),
    ],
)
def test_a_broken_template_names_file_and_fault(tmp_path, change, message):
    with pytest.raises(ValueError, match=message) as error:
        load_template_file(broken(tmp_path, change))
    assert "broken.yaml" in str(error.value)


TARGETS_ZH = "（可选：产出、效益、满意度、none）"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["category_map"].update(结果="效果"),
         f"category_map 中“结果”的目标类别“效果”不是本模板的指标类别{TARGETS_ZH}"),
        (lambda d: d["category_map"].update(投入="预算执行率"),
         f"category_map 中“投入”的目标类别“预算执行率”不是本模板的指标类别{TARGETS_ZH}"),
        (lambda d: d["category_map"].update(投入=None),
         "category_map 中“投入”缺少目标类别（不计分请写 none）"),
        (lambda d: d["category_map"].update(产出目标="效益"),
         "category_map 的“产出目标”是本模板自己的类别，不能再映射"),
        (lambda d: d["name_map"].update(满意度="满意"),
         f"name_map 中“满意度”的目标类别“满意”不是本模板的指标类别{TARGETS_ZH}"),
        (lambda d: d.update(category_map=["投入", "none"]), "category_map 应为键值表"),
        (lambda d: d["name_map"].update({" ": "效益"}), "name_map 的键 应为非空文字"),
        (lambda d: d.update(not_scored_reason=""), "not_scored_reason 应为非空文字"),
        (lambda d: d.update(category_maps={}), "模板 含有未知的键：category_maps"),
    ],
)  # fmt: skip
def test_a_broken_category_map_names_file_and_fault(tmp_path, change, message):
    with pytest.raises(ValueError) as error:
        load_template_file(broken(tmp_path, change, source="national"))
    assert str(error.value) == f"评分模板 broken.yaml：{message}"


def test_a_category_map_is_read_from_the_template(tmp_path):
    def score_influence(d):
        d["category_map"].update(影响力="none")

    template = load_template_file(broken(tmp_path, score_influence, source="national"))
    row = one(template, "影响力", "≥10%", "20%", name="提高社区基础信息采集率")
    assert (row.scored, row.score, row.reason) == (False, 0, NOT_SCORED_REASON)


def test_template_names_are_checked():
    assert load_template().key == "suzhou"
    with pytest.raises(ValueError, match="无效"):
        load_template("../secrets")
    with pytest.raises(ValueError, match="不存在"):
        load_template("atlantis")


def test_rules_are_read_from_the_template(tmp_path):
    path = broken(tmp_path, lambda d: d["rules"]["band"].update(below=10))
    assert one(load_template_file(path), "产出", "=100%", "95%").score == 12  # 5 points × 10 %


@pytest.mark.parametrize(
    ("target", "actual", "answered"),
    [
        ("合规", "稳定", False),  # issue 15: a quality word that is not the target's
        ("合规", "规范", True),
        ("健全", "完善", True),
        ("健全有效", "健全", False),  # 有效 is not answered
        ("健全有效", "完善、有效", True),
        ("资产明确", "明确", True),
        ("安全", "提升", False),
        ("按时完成", "完成", True),  # says it was reached
    ],
)
def test_a_qualitative_actual_must_answer_its_target(target, actual, answered):
    row = one(SUZHOU, "产出", target, actual)
    assert (row.score == 24) is answered, row.reason
    assert row.needs_judgement is not answered
    if not answered:
        assert "未回应该目标" in row.reason and "由审核人判定" in row.reason
