"""Milestones: proposed from the plan at approval, corrected and confirmed by the unit, then
followed; a 质保金 release counted from 终验 becomes concrete when 终验 happens."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import COMPLETE_DECLARATION
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, NotFound
from workflow.lifecycle.operations import fire
from workflow.milestones import operations as ops
from workflow.org.models import Role
from workflow.uow import UnitOfWork

PLAN_001 = (
    "2019年根据政府采购流程完成智慧一期建设项目招标工作，2020年初根据合同约定支付项目启动款，"
    "2020年中项目完成初步验收后支付剩余合同款项，2021年初完成项目款项支付进度的95%，"
    "剩余5%质保金于终验起算3年后支付。"
)


@pytest.fixture
def approved(session, make, clock):
    """A declared project with seed 001's payment plan, approved by finance."""
    unit = make.unit("苏州市应急管理局")
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head, complete=False)  # fmt: skip
    declaration = session.get(Declaration, project.id)
    apply_form(declaration, {**COMPLETE_DECLARATION, "implementation_plan": PLAN_001})
    project.year = 2020
    session.commit()
    fire(UnitOfWork(session), project, "approve", actor=make.user(Role.reviewer), now=clock.now())
    return project, filler, head


def test_approval_proposes_the_plans_milestones(session, approved):
    project, *_ = approved
    milestones = ops.milestones_of(session, project)
    summary = [(m.kind, m.due, m.anchor.title if m.anchor else None, m.percentage)
               for m in milestones]  # fmt: skip
    assert summary == [
        ("procurement", dt.date(2019, 12, 31), None, None),
        ("payment", dt.date(2020, 3, 31), None, None),
        ("acceptance", dt.date(2020, 6, 30), None, None),
        ("payment", dt.date(2020, 6, 30), None, None),
        ("payment", dt.date(2021, 3, 31), None, 95),
        ("warranty_release", None, "终验", 5),
        ("acceptance", None, None, None),  # 终验: the plan never dates it
    ]
    assert milestones[5].offset_years == 3 and milestones[6].title == "终验"


def test_confirmation_waits_for_every_date_then_lets_implementation_start(session, approved,
                                                                          clock):  # fmt: skip
    project, filler, head = approved
    with pytest.raises(GuardFailed) as excinfo:
        ops.confirm(UnitOfWork(session), project, actor=filler, now=clock.now())
    assert [p.message for p in excinfo.value.problems] == ["第7个里程碑（终验）未填写计划日期"]
    with pytest.raises(GuardFailed):
        fire(UnitOfWork(session), project, "start_implementation", actor=filler, now=clock.now())
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[6]["due"] = "2020-12-15"
    ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                        expected_version=None)  # fmt: skip
    ops.confirm(UnitOfWork(session), project, actor=filler, now=clock.now())
    fire(UnitOfWork(session), project, "start_implementation", actor=head, now=clock.now())
    assert project.state == "implementing"
    with pytest.raises(NotAllowed):  # confirmed milestones are no longer edited wholesale
        ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                            expected_version=None)  # fmt: skip


def _confirmed(session, project, filler, clock):
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[6]["due"] = "2020-12-15"
    ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                        expected_version=None)  # fmt: skip
    ops.confirm(UnitOfWork(session), project, actor=filler, now=clock.now())
    return ops.milestones_of(session, project)


def test_warranty_release_becomes_concrete_when_final_acceptance_happens(session, approved,
                                                                         clock):  # fmt: skip
    project, filler, _ = approved
    milestones = _confirmed(session, project, filler, clock)
    warranty, final = milestones[5], milestones[6]
    assert (warranty.effective_due(), warranty.status(dt.date(2030, 1, 1))) == (None, "waiting")
    ops.record_actual(UnitOfWork(session), project, final,
                      {"actual_date": "2021-01-20", "note": "终验通过"}, actor=filler,
                      now=clock.now())  # fmt: skip
    assert warranty.effective_due() == dt.date(2024, 1, 20)
    assert warranty.status(dt.date(2024, 1, 19)) == "planned"
    assert warranty.status(dt.date(2024, 1, 21)) == "overdue"
    ops.record_actual(UnitOfWork(session), project, warranty,
                      {"actual_date": "2024-01-18", "paid_amount": "71.75"}, actor=filler,
                      now=clock.now())  # fmt: skip
    assert warranty.status(dt.date(2030, 1, 1)) == "done"


def test_a_release_can_be_recorded_after_the_archive(session, approved, clock):
    project, filler, _ = approved
    milestones = _confirmed(session, project, filler, clock)
    project.state = "archived"  # years later
    session.commit()
    ops.record_actual(UnitOfWork(session), project, milestones[5],
                      {"actual_date": "2024-01-18"}, actor=filler, now=clock.now())  # fmt: skip
    assert milestones[5].actual_date == dt.date(2024, 1, 18)


def test_only_the_unit_records_and_bad_input_is_refused_in_chinese(session, make, approved,
                                                                   clock):  # fmt: skip
    project, filler, _ = approved
    milestones = _confirmed(session, project, filler, clock)
    stranger = make.user(Role.filler, unit=make.unit())
    with pytest.raises(NotFound):
        ops.record_actual(UnitOfWork(session), project, milestones[0], {}, actor=stranger,
                          now=clock.now())  # fmt: skip
    with pytest.raises(NotAllowed):
        ops.record_actual(UnitOfWork(session), project, milestones[0], {},
                          actor=make.user(Role.reviewer), now=clock.now())  # fmt: skip
    with pytest.raises(InvalidInput) as excinfo:
        ops.record_actual(UnitOfWork(session), project, milestones[0],
                          {"actual_date": "明年", "paid_amount": "-3"}, actor=filler,
                          now=clock.now())  # fmt: skip
    messages = [p.message for p in excinfo.value.problems]
    assert messages == [
        "「完成智慧一期建设项目招标工作·实际日期」应为日期，如 2021-03-05，现为“明年”",
        "「完成智慧一期建设项目招标工作·实际支付金额（万元）」不能为负数",
    ]
    session.expire_all()
    assert ops.milestones_of(session, project)[0].actual_date is None


def test_bad_rows_are_refused_and_nothing_changes(session, approved, clock):
    project, filler, _ = approved
    before = ops.to_rows(ops.milestones_of(session, project))
    rows = [dict(r) for r in before]
    rows[0]["due"] = "2020-02-30"
    rows[1]["anchor"] = "2"  # itself
    rows[2]["kind"] = "party"
    with pytest.raises(InvalidInput) as excinfo:
        ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                            expected_version=None)  # fmt: skip
    assert [p.field for p in excinfo.value.problems] == [
        "milestones-0-due", "milestones-2-kind", "milestones-1-anchor"
    ]  # fmt: skip
    session.expire_all()
    assert ops.to_rows(ops.milestones_of(session, project)) == before
