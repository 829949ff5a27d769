"""A review level added in YAML alone runs end to end; broken variants fail at load."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from workflow.errors import GuardFailed, NotAllowed
from workflow.lifecycle.machine import load_lifecycle
from workflow.lifecycle.operations import available_actions, fire
from workflow.lifecycle.spec import SpecError
from workflow.notify.models import Notification
from workflow.org.models import Role
from workflow.uow import UnitOfWork

VARIANT = Path(__file__).parents[1] / "variants" / "with_department_review.yaml"


def test_department_review_level_runs_end_to_end(session, make, clock):
    lc = load_lifecycle(VARIANT)
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    department, finance = make.user(Role.reviewer), make.user(Role.reviewer)
    project = make.project(unit, creator=filler)

    def step(trigger, actor, comment=""):
        fire(UnitOfWork(session), project, trigger, actor=actor, now=clock.now(),
             comment=comment, lifecycle=lc)  # fmt: skip
        return project.state

    assert step("submit", filler) == "unit_review"
    assert step("declare", head) == "department_review"
    labels = [a.label for a in available_actions(session, project, department, now=clock.now(),
                                                 lifecycle=lc)]  # fmt: skip
    assert labels == ["主管部门审核通过", "主管部门退回"]
    with pytest.raises(NotAllowed):
        step("department_approve", head)
    assert step("department_return", department, "目标值不够具体") == "draft"
    assert step("submit", filler) == "unit_review"
    assert step("declare", head) == "department_review"
    assert step("department_approve", department) == "declared"
    with pytest.raises(GuardFailed):  # the department reviewer moved it last
        step("approve", department)
    assert step("approve", finance) == "approved"
    assert project.version == 8


def test_the_new_level_tells_its_people_with_no_python_change(session, make, clock):
    """The variant's `notify:` lines alone: the 主管部门 hears of what the unit declared, and the
    填报人 of the department's return, with its comment."""
    lc = load_lifecycle(VARIANT)
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    department = make.user(Role.reviewer)
    project = make.project(unit, creator=filler)
    for trigger, actor, comment in (
        ("submit", filler, ""),
        ("declare", head, ""),
        ("department_return", department, "请补充主管部门意见"),
    ):
        fire(UnitOfWork(session), project, trigger, actor=actor, now=clock.now(),
             comment=comment, lifecycle=lc)  # fmt: skip
    told = session.execute(
        select(Notification.user_id, Notification.kind, Notification.title)
        .where(Notification.project_id == project.id).order_by(Notification.id)
    ).all()  # fmt: skip
    assert [(u, k) for u, k, _ in told] == [
        (head.id, "todo"),  # submit: sign it
        (department.id, "todo"),  # declare: review it at the department
        (filler.id, "todo"),  # department_return: revise it …
        (head.id, "info"),  # … and the head who signed it hears of it
    ]
    todo = "待您办理：主管部门审核通过、主管部门退回"
    assert told[1].title == f"{head.display_name}已审核通过并报主管部门，{todo}"
    body = session.scalars(select(Notification.body).where(Notification.user_id == filler.id))
    assert "请补充主管部门意见" in body.one()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("dest: approved, label: 批复通过", "dest: approvd, label: 批复通过"),
         "转换「approve」引用了未知的状态「approvd」"),
        (("guards: [not_own_approval], notify: [submitter]}",
          "guards: [budget_balanced], notify: [submitter]}"),
         "转换「approve」引用了未知的校验「budget_balanced」"),
        (("guards: [not_own_approval], notify: [submitter]}",
          "guards: [not_own_approval], notify: [mayor]}"),
         "转换「approve」引用了未知的通知对象「mayor」"),
        (("  refused: {label: 不予支持, finance_visible: true}",
          "  refused: {label: 不予支持, finance_visible: true}\n  limbo: {label: 悬置}"),
         "从初始状态「draft」无法到达：limbo"),
    ],
)  # fmt: skip
def test_broken_variants_fail_at_load_naming_the_problem(tmp_path, edit, message):
    old, new = edit
    text = VARIANT.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SpecError) as excinfo:
        load_lifecycle(broken)
    assert message in str(excinfo.value) and str(broken) in str(excinfo.value)
