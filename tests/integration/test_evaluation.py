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
from workflow.org.models import Role
from workflow.uow import UnitOfWork


@pytest.fixture
def evaluating(session, make, clock):
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head)  # fmt: skip
    fire(UnitOfWork(session), project, "approve", actor=make.user(Role.reviewer), now=clock.now())
    project.state = "evaluating"  # implementation happened
    session.commit()
    return project, filler


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
        "指标「隐患推送率」未填写实际完成值，也未说明原因"
    ]
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
