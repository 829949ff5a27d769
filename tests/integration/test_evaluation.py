"""The self-evaluation: indicators frozen at approval, actuals required, scores by the rules with
the unit's own claim (points out of the row's 权重) kept beside them; a save takes the whole form
or nothing, and a refused one names every problem at once, by the row numbers of the form."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from tests.conftest import COMPLETE_DECLARATION
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.errors import GuardFailed, InvalidInput
from workflow.evaluation import operations as ops
from workflow.evaluation.checks import one_per_cause
from workflow.evaluation.models import SelfEvaluation
from workflow.lifecycle.operations import fire
from workflow.org.models import Role
from workflow.uow import UnitOfWork


@pytest.fixture
def evaluating(make):
    return make.evaluating()


def test_targets_are_frozen_at_approval(session, evaluating):
    project, _ = evaluating
    declaration = session.get(Declaration, project.id)
    changed = copy.deepcopy(COMPLETE_DECLARATION)
    changed["indicators"][1]["target"] = "=500人"
    apply_form(declaration, changed)  # however the declaration changes later…
    session.commit()
    targets = [i.target for i in ops.indicators_of(session, project)]
    assert targets == ["=100%", "=200人", "≥95%", "≥90%"]  # …the yardstick does not


def test_the_forms_direction_is_frozen_with_the_target(make, session, clock):
    # 培训参与人数 =200人 chosen 越低越好 on the form: the 自评 scores 300人 as over the ceiling.
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=make.user(Role.unit_head, unit=unit))  # fmt: skip
    session.get(Declaration, project.id).indicators[1].direction = "lower"
    session.commit()
    fire(UnitOfWork(session), project, "approve", actor=make.user(Role.reviewer),
         now=clock.now())  # fmt: skip
    assert [i.direction for i in ops.indicators_of(session, project)] == ["", "lower", "", ""]
    project.state = "evaluating"
    session.commit()
    ops.save_evaluation(UnitOfWork(session), project, {"indicators-1-actual": "300人"},
                        actor=filler, now=clock.now(), expected_version=None)  # fmt: skip
    row = ops.score_sheet(session, project).rows[1]
    assert row.score < row.weight and "超过目标上限" in row.reason


def test_actuals_are_required_and_scores_follow_the_rules(session, evaluating, clock):
    project, filler = evaluating
    data = {"implementation": "完成", "management_results": "规范", "problems": "无",
            "suggestions": "无", "indicators-0-actual": "=90%", "indicators-0-claimed": "4",
            "indicators-1-actual": "=200人",
            "indicators-3-explanation": "调查推迟到明年"}  # fmt: skip
    ops.save_evaluation(UnitOfWork(session), project, data, actor=filler, now=clock.now(),
                        expected_version=None)  # fmt: skip
    with pytest.raises(GuardFailed) as excinfo:
        fire(UnitOfWork(session), project, "submit_evaluation", actor=filler, now=clock.now())
    problems = excinfo.value.problems
    assert [p.message for p in one_per_cause(problems)] == [
        "「年初预算数」未填写", "「财政拨款数」未填写", "「实际支付数」未填写",
        "资金构成第1、2行未填写实际金额",  # one cause, both rows named, once
        "绩效指标第3行未填写实际完成值，也未说明原因",
    ]  # fmt: skip
    # …and each row's field carries it, so the form marks both.
    assert [p.field for p in problems if p.message.startswith("资金构成")] == [
        "fund_items-0-actual", "fund_items-1-actual"]  # fmt: skip
    sheet = ops.score_sheet(session, project)
    budget = sheet.rows[0]
    assert (budget.weight, budget.score, budget.claimed, budget.differs) == (
        Decimal(6),
        Decimal(3),
        Decimal(4),
        True,
    )  # seed 003's case: 90 % of a =100% target earns half of 6, the claim says 4
    assert sheet.rows[1].score == 24 and sheet.rows[2].score == 0 and sheet.rows[3].score == 0
    assert sheet.rows[2].reason == "未填实际完成值且无说明，得0分"
    assert sheet.rows[3].reason == "未填实际完成值，但有说明，暂得0分，由审核人判定"


def test_seed_003_figures_and_the_mismatch_it_leaves_unexplained(session, evaluating, clock):
    """Seed 003: 年初预算数 175, 财政拨款数 118.16, 实际支付数 118.16, but its 资金构成 合计 says
    118.76: the 指标结余数 is 56.84, and the mismatch must be explained before submission."""
    from workflow.evaluation.checks import budget_figures, budget_problems, fund_items_of
    from workflow.evaluation.models import SelfEvaluation

    project, filler = evaluating
    data = {"budget_initial": "175.00", "budget_adjustment": "0.00", "appropriated": "118.16",
            "paid": "118.16", "carried_over": "0.00", "recovered": "0.00",
            "fund_items-0-actual": "100.00", "fund_items-1-actual": "18.76"}  # fmt: skip
    ops.save_evaluation(UnitOfWork(session), project, data, actor=filler, now=clock.now(),
                        expected_version=None)  # fmt: skip
    evaluation, items = session.get(SelfEvaluation, project.id), fund_items_of(session, project)
    figures = budget_figures(evaluation, items)
    assert (figures.unspent_quota, figures.balance, figures.items_total) == (
        Decimal("56.84"), Decimal(0), Decimal("118.76"))  # fmt: skip
    assert [p.message for p in budget_problems(evaluation, items)] == [
        "项目资金构成合计 118.76 与实际支付数 118.16 不一致，请在「差异说明」中说明原因"
    ]
    ops.save_evaluation(UnitOfWork(session), project, {**data, "budget_notes": "含预付款0.6万元"},
                        actor=filler, now=clock.now(), expected_version=None)  # fmt: skip
    assert budget_problems(evaluation, items) == []


# ------------------------------------------------------------- one save, every problem at once

SAVED = {"budget_initial": "350", "appropriated": "350", "paid": "350",
         "fund_items-0-actual": "300", "fund_items-1-actual": "50",
         "indicators-0-actual": "=100%", "indicators-0-claimed": "6",
         "indicators-1-actual": "=200人", "implementation": "完成"}  # fmt: skip


def _save(session, project, filler, clock, data, version=None):
    return ops.save_evaluation(UnitOfWork(session), project, data, actor=filler, now=clock.now(),
                               expected_version=version)  # fmt: skip


def _dump(session, project) -> list:
    """What the 自评表 holds, to prove a refused save changed nothing."""
    from workflow.evaluation.models import SelfEvaluation

    session.expire_all()
    e = session.get(SelfEvaluation, project.id)
    rows = [(i.actual, i.explanation, i.claimed) for i in ops.indicators_of(session, project)]
    items = [i.actual for i in ops.fund_items_of(session, project)]
    return [e.budget_initial, e.paid, e.budget_notes, e.implementation, rows, items,
            project.version]  # fmt: skip


def test_a_refused_save_names_every_problem_and_saves_nothing(session, evaluating, clock):
    project, filler = evaluating
    _save(session, project, filler, clock, SAVED)
    before = _dump(session, project)
    bad = {**SAVED, "budget_initial": "三百五十", "paid": "-3",
           "fund_items-1-actual": "五十", "budget_notes": "中" * 5_001,
           "indicators-0-claimed": "7", "indicators-1-claimed": "90%",
           "indicators-2-actual": "x" * 201, "indicators-2-claimed": "-1",
           "indicators-3-claimed": "abc", "implementation": "改写了",
           "suggestions": "长" * 50_000}  # fmt: skip
    with pytest.raises(InvalidInput) as excinfo:
        _save(session, project, filler, clock, bad)
    problems = {p.field: p.message for p in excinfo.value.problems}
    number = "应为数字（单位万元，最多6位小数），现为"
    assert problems == {
        "budget_initial": f"「年初预算数」{number}“三百五十”",
        "paid": "「实际支付数」不能为负数",
        "fund_items-1-actual": f"资金构成第2行「实际金额」{number}“五十”",
        "budget_notes": "「差异说明」内容过长：现有 5001 字，最多 5000 字",
        "indicators-0-claimed": "绩效指标第1行的自评分 7 超过该行权重 6.00，应在 0 到 6.00 之间",
        "indicators-1-claimed": "绩效指标第2行的自评分按得分填写，不是百分数："
                                "最高为该行权重（如权重 6 的行填 0–6）",
        "indicators-2-actual": "绩效指标第3行的实际完成值过长（最多 200 字），"
                               "详细情况请写在「说明」中",
        "indicators-2-claimed": "绩效指标第3行的自评分不能为负数",
        "indicators-3-claimed": "绩效指标第4行的自评分应为数字（按得分填写，如 4 或 4.5，"
                                "最多两位小数）",
        "suggestions": "「进一步加强项目管理的建议」内容过长：现有 50000 字，最多 5000 字",
    }  # fmt: skip
    # In the order of the page, and no field name quoted twice.
    assert list(problems) == [p.field for p in excinfo.value.problems]
    assert not any("「「" in m or "」」" in m for m in problems.values())
    assert _dump(session, project) == before  # nothing saved, not even 「改写了」


def test_one_cause_over_several_rows_is_one_message(session, evaluating, clock):
    """Claims typed as percentages on two rows: one message naming both rows, on each field."""
    project, filler = evaluating
    with pytest.raises(InvalidInput) as excinfo:
        _save(session, project, filler, clock, {**SAVED, "indicators-0-claimed": "100",
                                                "indicators-1-claimed": "100"})  # fmt: skip
    problems = excinfo.value.problems
    message = "绩效指标第1、2行的自评分超过该行权重：自评分按得分填写，最高为该行权重"
    assert [(p.field, p.message) for p in problems] == [
        ("indicators-0-claimed", message), ("indicators-1-claimed", message)]  # fmt: skip
    assert [p.message for p in one_per_cause(problems)] == [message]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("6", Decimal(6)), ("4.5", Decimal("4.5")), ("０", Decimal(0)), (" 3分 ", Decimal(3)),
     ("", None)],
)  # fmt: skip
def test_claims_are_points_out_of_the_rows_weight(session, evaluating, clock, typed, stored):
    project, filler = evaluating
    _save(session, project, filler, clock, {**SAVED, "indicators-0-claimed": typed})
    assert ops.indicators_of(session, project)[0].claimed == stored


@pytest.mark.parametrize("typed", ["6.01", "60", "6.001", "1e1", "-0.5", "6%"])
def test_a_claim_the_row_cannot_carry_is_refused(session, evaluating, clock, typed):
    project, filler = evaluating
    with pytest.raises(InvalidInput) as excinfo:
        _save(session, project, filler, clock, {**SAVED, "indicators-0-claimed": typed})
    [problem] = excinfo.value.problems
    assert problem.field == "indicators-0-claimed" and problem.message.startswith("绩效指标第1行")


def test_a_claim_on_a_shown_weight_of_two_decimals_is_taken(session, evaluating, clock):
    """Three 结果 indicators share 22 points: 权重 7.33 is shown, and 7.33 may be claimed."""
    from workflow.evaluation.models import EvaluationIndicator

    project, filler = evaluating
    for n in (4, 5):
        session.add(EvaluationIndicator(project_id=project.id, position=n, category="结果",
                                        name=f"结果指标{n}", target="≥95%"))  # fmt: skip
    session.commit()
    sheet = ops.score_sheet(session, project)
    assert sheet.rows[2].weight == Decimal(22) / 3
    _save(session, project, filler, clock, {**SAVED, "indicators-2-claimed": "7.33",
                                            "indicators-2-actual": "96%"})  # fmt: skip
    assert ops.indicators_of(session, project)[2].claimed == Decimal("7.33")
    assert not ops.score_sheet(session, project).rows[2].differs  # 7.33 is 22/3, shown
    with pytest.raises(InvalidInput):
        _save(session, project, filler, clock, {**SAVED, "indicators-2-claimed": "7.34"})


def test_scores_and_flags_agree_with_claims_in_points(session, evaluating, clock):
    """Seed 003's 预算执行率: 4 claimed for a rule's 3. The row is flagged; the totals differ by
    that row only, so they are not flagged a second time (one cause, one flag)."""
    from workflow.exports.evaluation_report import evaluation_report

    project, filler = evaluating
    _save(session, project, filler, clock, {**SAVED, "indicators-0-actual": "=90%",
                                            "indicators-0-claimed": "4",
                                            "indicators-1-claimed": "24"})  # fmt: skip
    report = evaluation_report(session, project)
    row = report.sheet.rows[0]
    assert (row.weight, row.score, row.claimed, row.differs) == (6, 3, 4, True)
    assert (report.sheet.total, report.sheet.claimed_total) == (Decimal(27), None)
    flags = [(f.kind, f.message) for f in report.flags]
    assert ("score", "第1行「预算执行率」规则得分 3.00，单位自评分 4.00（实际90%，完成率90%，"
                     "低于目标10个百分点，扣减50%）") in flags  # fmt: skip
    assert [k for k, _ in flags].count("total") == 0
    # Every row claimed: the claimed total is 28 against 27, the same cause, still one flag.
    _save(session, project, filler, clock, {**SAVED, "indicators-0-actual": "=90%",
                                            "indicators-0-claimed": "4",
                                            "indicators-1-claimed": "24",
                                            "indicators-2-claimed": "0",
                                            "indicators-3-claimed": "0"})  # fmt: skip
    report = evaluation_report(session, project)
    assert report.sheet.claimed_total == 28
    assert [f.kind for f in report.flags].count("total") == 0


def test_a_total_that_differs_for_a_cause_of_its_own_is_flagged(session, evaluating, clock,
                                                                 make):  # fmt: skip
    """National template: 预算执行率 is a row of its own, scored from the money, which no claim
    covers: the claimed total falls short of the rules' by it, and that is said."""
    from workflow.evaluation.choice import set_template_choice
    from workflow.exports.evaluation_report import evaluation_report
    from workflow.org.models import Role

    project, filler = evaluating
    set_template_choice(UnitOfWork(session), unit_id=None, year=project.year, template="national",
                        actor=make.user(Role.admin), now=clock.now())  # fmt: skip
    data = {**SAVED, "indicators-1-claimed": "50", "indicators-2-actual": "96%",
            "indicators-2-claimed": "30", "indicators-3-actual": "92%",
            "indicators-3-claimed": "10", "indicators-0-claimed": ""}  # fmt: skip
    _save(session, project, filler, clock, data)
    report = evaluation_report(session, project)
    assert not any(r.differs for r in report.sheet.rows)
    assert [f.message for f in report.flags if f.kind == "total"] == [
        "规则合计 100.00 分，单位自评合计 90.00 分"]  # fmt: skip


def test_a_claim_on_a_row_the_template_does_not_score_is_refused(session, evaluating, clock,
                                                                 make):  # fmt: skip
    from workflow.evaluation.choice import set_template_choice
    from workflow.org.models import Role

    project, filler = evaluating
    set_template_choice(UnitOfWork(session), unit_id=None, year=project.year, template="national",
                        actor=make.user(Role.admin), now=clock.now())  # fmt: skip
    with pytest.raises(InvalidInput) as excinfo:
        _save(session, project, filler, clock, SAVED)  # 投入 is not scored by indicators there
    assert [p.message for p in excinfo.value.problems] == [
        "绩效指标第1行的自评分应留空：该指标按本评分模板不计分"]  # fmt: skip
    _save(session, project, filler, clock, {**SAVED, "indicators-0-claimed": "0"})


def test_an_empty_evaluation_has_no_grade(session, evaluating, clock):
    project, filler = evaluating
    sheet = ops.score_sheet(session, project)
    assert (sheet.filled, sheet.grade) == (False, "")
    _save(session, project, filler, clock, {"indicators-3-explanation": "调查推迟"})
    assert (ops.score_sheet(session, project).filled, ops.score_sheet(session, project).grade) \
        == (False, "")  # an explanation is no actual value  # fmt: skip
    _save(session, project, filler, clock, SAVED)
    sheet = ops.score_sheet(session, project)
    assert sheet.filled and sheet.grade


def test_a_stale_page_saves_nothing_and_lists_what_differs(session, evaluating, clock):
    from workflow.evaluation.operations import EvaluationConflict

    project, filler = evaluating
    opened = project.version
    _save(session, project, filler, clock, SAVED)  # saved in another tab meanwhile
    before = _dump(session, project)
    with pytest.raises(EvaluationConflict) as excinfo:
        _save(session, project, filler, clock, {**SAVED, "paid": "340"}, version=opened)
    assert excinfo.value.differences == [["实际支付数", "350", "340"]]
    assert excinfo.value.version == project.version
    assert _dump(session, project) == before
    # The same content again from the old page is no conflict, and no change.
    assert _save(session, project, filler, clock, SAVED, version=opened) == []
    assert _dump(session, project) == before


def test_paying_more_than_appropriated_is_reported_once(session, evaluating, clock):
    from workflow.evaluation.checks import budget_problems
    from workflow.evaluation.models import SelfEvaluation

    project, filler = evaluating
    _save(session, project, filler, clock, {**SAVED, "paid": "360", "fund_items-1-actual": "60"})
    evaluation = session.get(SelfEvaluation, project.id)
    assert [p.message for p in budget_problems(evaluation, ops.fund_items_of(session, project))] \
        == ["实际支付数大于财政拨款数，请在「差异说明」中说明原因"]  # fmt: skip


def test_an_upgrade_records_the_scores_of_evaluations_signed_before(session, make, clock):
    """`jixiao init-db` scores the signed 自评表 that have no recorded score (signed before the
    scores were kept), and only those; a 自评表 still being filled gets none."""
    from tests.web.test_dashboard import _signed
    from workflow.evaluation.operations import rescore_signed, score_sheet
    from workflow.evaluation.scoring import display
    from workflow.lifecycle.machine import get_lifecycle

    signed = _signed(make, session, clock, {})
    filling, _ = make.evaluating()
    evaluation = session.get(SelfEvaluation, signed.id)
    evaluation.score = evaluation.score_points = evaluation.grade = None
    session.commit()
    assert rescore_signed(session, get_lifecycle().spec, missing_only=True) == 1
    session.commit()
    sheet = score_sheet(session, signed)
    assert (evaluation.grade, evaluation.score, evaluation.score_points) == (
        sheet.grade, Decimal(display(sheet.total)), Decimal(display(sheet.points)))  # fmt: skip
    assert session.get(SelfEvaluation, filling.id).grade is None
    assert rescore_signed(session, get_lifecycle().spec, missing_only=True) == 0
