"""The self-evaluation: indicators frozen at approval, actuals required, scores by the rules with
the unit's own claim kept beside them."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from tests.conftest import COMPLETE_DECLARATION
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.errors import GuardFailed
from workflow.evaluation import operations as ops
from workflow.lifecycle.operations import fire
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
    assert [p.message for p in excinfo.value.problems] == [
        "「年初预算数」未填写", "「财政拨款数」未填写", "「实际支付数」未填写",
        "子项目「平台建设」未填写实际金额", "子项目「平台运维」未填写实际金额",
        "指标「隐患推送率」未填写实际完成值，也未说明原因",
    ]  # fmt: skip
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
