"""Guards return problems; a blocked transition changes nothing and says exactly why."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflow.audit.models import AuditEvent
from workflow.declaration.checks import phone_problems
from workflow.declaration.models import Declaration
from workflow.errors import GuardFailed, Problem
from workflow.evaluation.models import SelfEvaluation
from workflow.lifecycle.operations import available_actions, fire
from workflow.org.models import Role
from workflow.uow import UnitOfWork


@pytest.fixture
def people(make):
    unit = make.unit()
    return unit, make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)


def _blocked(session, project, trigger, actor, clock) -> list[Problem]:
    before = (project.state, project.version,
              session.scalar(select(func.count()).select_from(AuditEvent)))  # fmt: skip
    with pytest.raises(GuardFailed) as excinfo:
        fire(UnitOfWork(session), project, trigger, actor=actor, now=clock.now())
    session.refresh(project)
    after = (project.state, project.version,
             session.scalar(select(func.count()).select_from(AuditEvent)))  # fmt: skip
    assert after == before
    return excinfo.value.problems


def test_incomplete_declaration_blocks_submit_naming_each_field(session, make, people, clock):
    unit, filler, _ = people
    project = make.project(unit, creator=filler, complete=False)
    problems = _blocked(session, project, "submit", filler, clock)
    assert [p.field for p in problems] == [
        "project_type", "project_attribute", "government_procurement",
        "government_service_purchase", "leaders-0-name", "contacts-0-name", "summary", "basis",
        "necessity", "safeguards", "implementation_plan", "overall_goal", "annual_goal",
        "fund_items-0-name", "indicators", "indicators", "indicators", "indicators",
    ]  # fmt: skip
    assert problems[0].message == "「项目类型」未选择"
    assert problems[-1].message == "分解目标中缺少「影响力」类指标"
    # The page shows the same list on the disabled button.
    [submit] = available_actions(session, project, filler, now=clock.now())
    assert submit.problems == problems and not submit.allowed


def test_declare_rechecks_the_declaration(session, make, people, clock):
    unit, filler, head = people
    project = make.project(unit, state="unit_review", creator=filler, submitted_by=filler,
                           last_by=filler)  # fmt: skip
    session.get(Declaration, project.id).contacts[0].phone = "1340423"
    session.commit()
    problems = _blocked(session, project, "declare", head, clock)
    assert problems == [
        Problem(
            "contacts-0-phone", "电话号码「1340423」格式不正确（手机号11位，或带区号的固定电话）"
        )
    ]


def test_start_implementation_needs_confirmed_milestones(session, make, people, clock):
    unit, filler, _ = people
    project = make.project(unit, state="approved", creator=filler, complete=False)
    assert _blocked(session, project, "start_implementation", filler, clock) == [
        Problem("milestones", "项目实施计划的里程碑尚未确认")
    ]


def test_submit_evaluation_needs_every_narrative_section(session, make, people, clock):
    unit, filler, _ = people
    project = make.project(unit, state="evaluating", creator=filler)
    evaluation = session.get(SelfEvaluation, project.id)
    evaluation.problems = "  "
    session.commit()
    assert _blocked(session, project, "submit_evaluation", filler, clock) == [
        Problem("problems", "「项目管理存在的问题及原因」未填写")
    ]


def test_a_required_comment_is_a_problem_too(session, make, people, clock):
    unit, filler, head = people
    project = make.project(unit, state="unit_review", creator=filler, submitted_by=filler)
    problems = _blocked(session, project, "return_to_filler", head, clock)
    assert problems == [Problem("comment", "请填写意见：退回或不予支持时必须说明理由")]


def test_once_fixed_the_transition_goes_through(session, make, people, clock):
    unit, filler, _ = people
    project = make.project(unit, creator=filler, complete=False)
    from tests.conftest import COMPLETE_DECLARATION
    from workflow.declaration.form import apply_form

    apply_form(session.get(Declaration, project.id), COMPLETE_DECLARATION)
    session.commit()
    fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    assert (project.state, project.version) == ("unit_review", 2)


@pytest.mark.parametrize(
    "phones", ["13404236559", "李明：13404236559、陈彤：15168809631", "0512-65223456", "65223456"]
)
def test_plausible_phone_numbers_pass(phones):
    assert phone_problems(phones) == []


@pytest.mark.parametrize("phones", ["1340423655", "134042365590", "12345", "无"])
def test_implausible_phone_numbers_are_named(phones):
    assert phone_problems(phones)


def test_nul_bytes_in_a_comment_are_dropped_not_a_database_error(session, make, people, clock):
    unit, filler, head = people
    project = make.project(unit, state="unit_review", creator=filler, submitted_by=filler)
    event = fire(UnitOfWork(session), project, "return_to_filler", actor=head, now=clock.now(),
                 comment="请\x00补充")  # fmt: skip
    assert event.comment == "请补充"
