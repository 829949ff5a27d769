"""Milestones: proposed from the plan at approval, corrected and confirmed by the unit, then
followed; a 质保金 release counted from 终验 becomes concrete when 终验 happens."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import COMPLETE_DECLARATION
from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, NotFound
from workflow.lifecycle.operations import fire
from workflow.milestones import operations as ops
from workflow.org.models import Role
from workflow.projects.models import Project
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
    assert [p.message for p in excinfo.value.problems] == [
        "第7行（终验）未填写计划完成日期，也未选择起算节点"
    ]
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
    assert [p.field for p in excinfo.value.problems] == [  # in the order of the form
        "milestones-0-due", "milestones-1-anchor", "milestones-2-kind"
    ]  # fmt: skip
    session.expire_all()
    assert ops.to_rows(ops.milestones_of(session, project)) == before


# --- the form: confirm saves first, rows by their number, dues by name, amounts by share -----


def _version(session, project) -> int:
    session.expire_all()
    return session.get(Project, project.id).version


def test_confirming_saves_the_rows_as_typed_then_confirms_them(session, approved, clock):
    project, filler, _ = approved
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[0]["title"] = "完成智慧一期招标（已改）"
    rows[6]["due"] = "2020-12-15"  # 终验, which the plan left undated
    version = _version(session, project)
    ops.save_and_confirm(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                         expected_version=version)  # fmt: skip
    session.expire_all()
    assert session.get(Project, project.id).milestones_confirmed_at is not None
    assert session.get(Project, project.id).version == version + 1
    saved = ops.milestones_of(session, project)
    assert (saved[0].title, saved[6].due) == ("完成智慧一期招标（已改）", dt.date(2020, 12, 15))
    assert saved[5].anchor is saved[6]  # the 质保金 still counts from 终验
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "confirm_milestones"
    assert json.loads(event.details)["milestones"][0]["title"] == "完成智慧一期招标（已改）"


def test_confirming_rows_with_problems_saves_and_confirms_nothing(session, approved, clock):
    project, filler, _ = approved
    before = ops.to_rows(ops.milestones_of(session, project))
    version = _version(session, project)
    rows = [dict(r) for r in before]
    rows[0]["title"] = "改过的名称"
    rows[2]["amount"] = "十万"  # unreadable; and 终验 (row 7) is still undated
    with pytest.raises(InvalidInput) as excinfo:
        ops.save_and_confirm(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                             expected_version=version)  # fmt: skip
    assert [p.message for p in excinfo.value.problems] == [
        "「第3行（项目完成初步验收）·金额」应为数字（单位万元，最多6位小数），现为“十万”",
        "第7行（终验）未填写计划完成日期，也未选择起算节点",
    ]
    session.expire_all()
    assert ops.to_rows(ops.milestones_of(session, project)) == before
    assert session.get(Project, project.id).milestones_confirmed_at is None
    assert session.get(Project, project.id).version == version


def test_messages_name_the_row_number_shown_even_below_a_cleared_row(session, approved, clock):
    project, filler, _ = approved
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[1] = dict.fromkeys(rows[1], "")  # row 2 cleared: it is dropped, the rest keep numbers
    rows[1]["offset_unit"] = "years"  # a select always posts something
    rows[3]["due"] = "2020-13-01"
    with pytest.raises(InvalidInput) as excinfo:
        ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                            expected_version=None)  # fmt: skip
    [problem] = excinfo.value.problems
    assert problem.field == "milestones-3-due"
    assert problem.message.startswith("「第4行（支付剩余合同款项）·计划完成日期」应为日期")


def test_one_cause_is_reported_once(session, approved, clock):
    project, filler, _ = approved
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows.append({**rows[5], "title": "支付质保金（第二笔）", "due": ""})  # row 8: also from 终验
    rows[6] = {**dict.fromkeys(rows[6], ""), "offset_unit": "years"}  # 终验 cleared
    for operation in (ops.save_milestones, ops.save_and_confirm):
        with pytest.raises(InvalidInput) as excinfo:
            operation(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                      expected_version=None)  # fmt: skip
        assert [p.message for p in excinfo.value.problems] == [  # not also 「no date」 twice
            "第7行已清空，第6、8行从它之后起算：请另选起算节点，或恢复第7行"
        ]
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[2].update(due="", anchor="4")  # 初步验收 after the payment, the payment after it
    rows[3].update(due="", anchor="3")
    with pytest.raises(InvalidInput) as excinfo:
        ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                            expected_version=None)  # fmt: skip
    assert [p.message for p in excinfo.value.problems] == [
        "第3、4行互为起算节点，到期日无法确定：请为其中一行填写计划完成日期"
    ]


@pytest.mark.parametrize(
    ("offset", "unit", "stored", "shown"),
    [
        ("3", "years", (3, 0, 0), ("3", "years")),
        ("18", "months", (0, 18, 0), ("18", "months")),
        ("90", "days", (0, 0, 90), ("90", "days")),
        ("１年6个月", "days", (1, 6, 0), ("18", "months")),  # a span typed out: its units win
        ("", "years", (0, 0, 0), ("0", "days")),  # the anchor's own day
        ("10", "workdays", (0, 0, 0, 10), ("10", "workdays")),  # on China's calendar
        ("1年10个工作日", "years", (1, 0, 0, 10), ("1年10个工作日", "years")),
    ],
)
def test_a_relative_due_is_entered_as_after_a_named_milestone(session, approved, clock, offset,
                                                             unit, stored, shown):  # fmt: skip
    project, filler, _ = approved
    rows = ops.to_rows(ops.milestones_of(session, project))
    assert (rows[5]["anchor"], rows[5]["offset"], rows[5]["offset_unit"]) == ("7", "3", "years")
    assert ("7", "终验") in ops.anchor_choices(rows)  # the list offers 终验 by name
    rows[6]["due"] = "2020-12-15"
    rows[5].update(anchor="7", offset=offset, offset_unit=unit)
    ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                        expected_version=None)  # fmt: skip
    session.expire_all()
    release = ops.milestones_of(session, project)[5]
    assert release.anchor.title == "终验"
    offsets = (release.offset_years, release.offset_months, release.offset_days)
    assert offsets + (release.offset_workdays,) * (len(stored) == 4) == stored
    again = ops.to_rows(ops.milestones_of(session, project))[5]
    assert (again["anchor"], again["offset"], again["offset_unit"]) == ("7", *shown)


def test_a_relative_due_needs_its_anchor_and_no_date_of_its_own(session, approved, clock):
    project, filler, _ = approved
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[4].update(offset="2", offset_unit="months")  # a dated payment, no anchor
    rows[5].update(due="2024-01-01")  # the 质保金 has its anchor and now a date too
    rows[6].update(offset="3年")  # a span on 终验 with no anchor
    with pytest.raises(InvalidInput) as excinfo:
        ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                            expected_version=None)  # fmt: skip
    assert [p.message for p in excinfo.value.problems] == [
        "第5行（完成项目款项支付进度的95%）填写了间隔，请选择从哪个节点之后起算",
        "第6行（剩余5%质保金于终验起算3年后支付）既填了计划完成日期，又选了起算节点：请只留其一",
        "第7行（终验）填写了间隔，请选择从哪个节点之后起算",
    ]


def test_a_payment_share_gives_its_amount(session, approved, clock):
    project, filler, _ = approved
    project.amount = Decimal("350")  # the 申报金额
    session.commit()
    basis = ops.amount_basis(session, project)
    assert (basis.amount, basis.label) == (Decimal("350"), "项目申报金额")
    rows = ops.to_rows(ops.milestones_of(session, project), basis)
    rows[6]["due"] = "2020-12-15"
    rows[1].update(percentage="33.33")  # 116.655 -> 116.66 (half up, 0.01 万元)
    rows[3].update(percentage="10", amount="40")  # typed: kept as typed
    ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                        expected_version=None)  # fmt: skip
    session.expire_all()
    saved = ops.milestones_of(session, project)
    assert [(m.percentage, m.amount) for m in saved[1:6]] == [
        (Decimal("33.33"), Decimal("116.66")), (None, None), (Decimal(10), Decimal(40)),
        (Decimal(95), Decimal("332.5")), (Decimal(5), Decimal("17.5")),
    ]  # fmt: skip
    shown = ops.to_rows(saved, ops.amount_basis(session, project))
    # an amount that is its share's follows the share (the box stays blank, the page shows it)
    assert [(r["percentage"], r["amount"]) for r in shown[1:6]] == [
        ("33.33", ""), ("", ""), ("10", "40"), ("95", ""), ("5", ""),
    ]  # fmt: skip
    assert ops.computed_amount(shown[5], basis) == Decimal("17.50")


def test_a_contract_amount_in_the_plan_is_what_shares_count_from(session, make, clock):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    head = make.user(Role.unit_head, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head, complete=False)  # fmt: skip
    apply_form(
        session.get(Declaration, project.id),
        {**COMPLETE_DECLARATION, "implementation_plan": "合同金额为1,435万元。" + PLAN_001},
    )
    project.year, project.amount = 2020, Decimal("2157.53")
    session.commit()
    fire(UnitOfWork(session), project, "approve", actor=make.user(Role.reviewer), now=clock.now())
    basis = ops.amount_basis(session, project)
    assert (basis.amount, basis.label) == (Decimal("1435"), "项目实施计划所写合同金额")
    release = ops.milestones_of(session, project)[5]  # proposed with its amount
    assert (release.percentage, release.amount) == (Decimal(5), Decimal("71.75"))


def test_an_actual_date_after_today_is_refused(session, approved, clock):
    project, filler, _ = approved
    milestones = _confirmed(session, project, filler, clock)
    today = clock.now().astimezone(CHINA).date()  # 2026-03-02 in Suzhou
    tomorrow = today + dt.timedelta(days=1)
    version = _version(session, project)
    with pytest.raises(InvalidInput) as excinfo:
        ops.record_actual(UnitOfWork(session), project, milestones[0],
                          {"actual_date": tomorrow.isoformat(), "paid_amount": "12"},
                          actor=filler, now=clock.now(), today=today)  # fmt: skip
    assert [p.field for p in excinfo.value.problems] == ["actual_date"]
    assert excinfo.value.problems[0].message == (
        "「完成智慧一期建设项目招标工作·实际日期」2026-03-03晚于今天（2026-03-02）：请在完成之后登记"
    )
    session.expire_all()
    assert ops.milestones_of(session, project)[0].actual_date is None
    assert _version(session, project) == version
    ops.record_actual(UnitOfWork(session), project, milestones[0],
                      {"actual_date": today.isoformat()}, actor=filler, now=clock.now(),
                      today=today)  # fmt: skip
    assert ops.milestones_of(session, project)[0].actual_date == today


def test_a_payment_counted_in_working_days_from_a_named_milestone(session, make, clock):
    """Issue 15: 「合同签订后3个工作日内」 hangs on the plan's 合同签订, whatever its kind, and is
    due on the 3rd working day after it happened (China's calendar: 国庆 2023 and its 调休)."""
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    head = make.user(Role.unit_head, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head, complete=False)  # fmt: skip
    plan = "2023年9月完成合同签订，合同签订后3个工作日内支付合同金额的30%。"
    apply_form(session.get(Declaration, project.id),
               {**COMPLETE_DECLARATION, "implementation_plan": plan})  # fmt: skip
    project.year = 2023
    session.commit()
    fire(UnitOfWork(session), project, "approve", actor=make.user(Role.reviewer), now=clock.now())
    signed, paid = ops.milestones_of(session, project)
    summary = (signed.kind, paid.anchor, paid.offset_workdays, paid.offset_label)
    assert summary == ("procurement", signed, 3, "3个工作日")
    signed.actual_date = dt.date(2023, 9, 28)  # 9-29 … 10-6 off, 10-7 and 10-8 worked
    session.flush()
    assert paid.effective_due() == paid.deadline == dt.date(2023, 10, 9)
