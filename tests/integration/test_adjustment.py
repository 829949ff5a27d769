"""绩效目标调整 (issue 17): during implementation the 填报人 proposes changes to the approved
yardstick, the 单位负责人 signs, a 财政审核人 approves or returns, through the proposal's own
workflow in states.yaml. Nothing changes until it is approved; then the yardstick is the new
version, which the self-evaluation scores; every version and what differs between any two is
kept; a late, incomplete or outdated proposal is held back; two approvals at once make one
version."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from workflow.adjustment import operations as ops
from workflow.adjustment.hooks import KIND
from workflow.adjustment.models import TargetAdjustment, YardstickVersion
from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.errors import Conflict, GuardFailed, InvalidInput, NotAllowed
from workflow.evaluation.checks import indicators_of
from workflow.evaluation.operations import freeze_approved, score_sheet
from workflow.exports.evaluation_report import evaluation_report
from workflow.lifecycle import items
from workflow.lifecycle.machine import get_lifecycle
from workflow.org.models import Role, User
from workflow.uow import UnitOfWork

SPEC = get_lifecycle().spec


@pytest.fixture
def world(make, session):
    unit = make.unit("苏州市应急管理局")
    people = {
        "filler": make.user(Role.filler, unit=unit, name="王芳"),
        "head": make.user(Role.unit_head, unit=unit, name="郁海成"),
        "reviewer": make.user(Role.reviewer, name="沈审核"),
        "second": make.user(Role.reviewer, name="周复核"),
    }
    project = make.project(unit, state="implementing", creator=people["filler"],
                           submitted_by=people["filler"])  # fmt: skip
    session.flush()
    freeze_approved(session, project)
    session.commit()
    return project, people


def _proposal(session, project, people, clock, **changes) -> TargetAdjustment:
    """培训参与人数 =200人 → =120人 (fewer classes could be held), 群众满意度 removed, a new
    产出 indicator, 平台建设 300 → 280 万元."""
    item = ops.propose(UnitOfWork(session), project, actor=people["filler"], spec=SPEC,
                       now=clock.now())  # fmt: skip
    rows = [ops.RowChange() for _ in indicators_of(session, project)]
    rows[1] = ops.RowChange(new_target="=120人", reason="师资不足，下半年只能开班 3 期")
    rows[3] = ops.RowChange(remove=True, reason="满意度调查改由第三方统一开展")
    data = ops.ProposalInput(
        reason="年中预算调整，培训规模压减",
        rows=tuple(rows),
        added=(ops.NewIndicator(category="产出", name="预警信息发布条数", target="≥500条",
                                reason="平台上线后新增"),),
        amounts=(ops.AmountChange(new_amount="280", reason="培训经费压减 20 万元"),
                 ops.AmountChange()),
    )  # fmt: skip
    data = ops.ProposalInput(**{**data.__dict__, **changes})
    ops.save(UnitOfWork(session), item, data, actor=people["filler"], spec=SPEC, now=clock.now())
    return _fresh(session, item)


def _fresh(session, item) -> TargetAdjustment:
    session.expire_all()
    return session.get(TargetAdjustment, item.id)


def _fire(session, item, trigger, actor, clock, comment=""):
    return items.fire_item(UnitOfWork(session), _fresh(session, item), trigger, kind=KIND,
                           actor=actor, now=clock.now(), comment=comment)  # fmt: skip


def _targets(session, project) -> list[tuple[str, str]]:
    session.expire_all()
    return [(i.name, i.target) for i in indicators_of(session, project)]


APPROVED = [("预算执行率", "=100%"), ("培训参与人数", "=200人"), ("隐患推送率", "≥95%"),
            ("群众满意度", "≥90%")]  # fmt: skip


def test_an_approved_adjustment_is_the_yardstick_the_self_evaluation_scores(world, session, clock):
    project, people = world
    item = _proposal(session, project, people, clock)
    assert [c.kind for c in item.changes] == ["target", "remove", "add", "amount"]
    assert _targets(session, project) == APPROVED  # a proposal changes nothing by itself
    for trigger, who in (("submit", "filler"), ("sign", "head"), ("approve", "reviewer")):
        _fire(session, item, trigger, people[who], clock)
    assert _targets(session, project) == [
        ("预算执行率", "=100%"), ("培训参与人数", "=120人"), ("隐患推送率", "≥95%"),
        ("预警信息发布条数", "≥500条")]  # fmt: skip
    found = ops.versions(session, project)
    assert [v.number for v in found] == [1, 2] and found[1].approved_by == "沈审核"
    assert found[1].label.startswith("第 2 版（调整批复，")
    assert ops.compare(found[0], found[1]) == [
        ["产出·培训参与人数·目标值", "=200人", "=120人"],
        ["产出·预警信息发布条数·目标值", "", "≥500条"],
        ["子项目「平台建设」·预算金额（万元）", "300", "280"],
        ["影响力·群众满意度·目标值", "≥90%", ""],
    ]  # fmt: skip
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "adjustment.approve"))
    assert json.loads(event.details)["yardstick_version"] == 2
    assert _fresh(session, item).result_number == 2
    # 120 people trained: the whole of the adjusted target, where it was 60 % of the first
    project.state = "evaluating"
    for row in indicators_of(session, project):
        row.actual = {"培训参与人数": "120人"}.get(row.name, row.target.lstrip("=≥"))
    session.commit()
    funds = evaluation_report(session, project).fund_rows
    assert [(f.name, f.approved) for f in funds] == [
        ("平台建设", Decimal(280)),
        ("平台运维", Decimal(50)),
    ]
    trained = next(r for r in score_sheet(session, project).rows
                   if r.input.name == "培训参与人数")  # fmt: skip
    assert trained.completion == Decimal(100) and trained.input.target == "=120人"


def test_a_returned_proposal_changes_nothing_and_goes_on_after_correction(world, session, clock):
    project, people = world
    item = _proposal(session, project, people, clock)
    _fire(session, item, "submit", people["filler"], clock)
    _fire(session, item, "sign", people["head"], clock)
    _fire(session, item, "return_for_revision", people["reviewer"], clock,
          comment="删除满意度指标理由不足，请保留")  # fmt: skip
    assert _fresh(session, item).state == "drafting"
    assert _targets(session, project) == APPROVED
    assert [v.number for v in ops.versions(session, project)] == [1]
    assert session.scalar(select(func.count()).select_from(YardstickVersion)) == 0
    # corrected: the removal taken back; the edit after the return is audited
    rows = [ops.RowChange() for _ in APPROVED]
    rows[1] = ops.RowChange(new_target="=120人", reason="师资不足，下半年只能开班 3 期")
    ops.save(UnitOfWork(session), _fresh(session, item),
             ops.ProposalInput(reason="年中预算调整，培训规模压减", rows=tuple(rows),
                               amounts=(ops.AmountChange(), ops.AmountChange())),
             actor=people["filler"], spec=SPEC, now=clock.now())  # fmt: skip
    edit = session.scalar(select(AuditEvent).where(AuditEvent.action == "adjustment.edit"))
    assert ["删除指标「群众满意度」·调整后", "（删除）", ""] in json.loads(edit.details)["changes"]
    for trigger, who in (("submit", "filler"), ("sign", "head"), ("approve", "second")):
        _fire(session, item, trigger, people[who], clock)
    assert [t for _, t in _targets(session, project)] == ["=100%", "=120人", "≥95%", "≥90%"]


def test_an_incomplete_late_or_outdated_proposal_is_held_back(world, make, session, clock):
    project, people = world
    half = ops.NewIndicator(category="产出", name="预警信息发布条数")  # no target, no reason
    item = _proposal(session, project, people, clock, reason="", added=(half,))
    with pytest.raises(GuardFailed) as held:
        _fire(session, item, "submit", people["filler"], clock)
    assert [p.message for p in held.value.problems] == [
        "请填写调整原因", "新增指标「预警信息发布条数」：请填写类别、指标名称和目标值",
        "新增指标「预警信息发布条数」：请填写调整理由"]  # fmt: skip
    session.rollback()
    # one proposal at a time
    with pytest.raises(InvalidInput) as again:
        ops.propose(UnitOfWork(session), project, actor=people["filler"], spec=SPEC,
                    now=clock.now())  # fmt: skip
    assert again.value.problems[0].message == "该项目已有尚未办结的调整申请，请在其中修改"
    session.rollback()
    # past the year's deadline finance set, the proposal cannot be submitted
    ops.set_deadline(UnitOfWork(session), year=2026, deadline=dt.date(2026, 3, 1),
                     actor=people["reviewer"], now=clock.now())  # fmt: skip
    item = _fresh(session, item)
    ops.save(UnitOfWork(session), item, ops.ProposalInput(
        reason="压减", rows=(ops.RowChange(), ops.RowChange(new_target="=150人", reason="压减"),
                           ops.RowChange(), ops.RowChange()),
        amounts=(ops.AmountChange(), ops.AmountChange())),
        actor=people["filler"], spec=SPEC, now=clock.now())  # fmt: skip
    with pytest.raises(GuardFailed) as late:
        _fire(session, item, "submit", people["filler"], clock)
    assert [p.message for p in late.value.problems] == [
        "2026 年度绩效目标调整申请已于 2026-03-01 截止"
    ]
    session.rollback()
    ops.set_deadline(UnitOfWork(session), year=2026, deadline=dt.date(2026, 9, 30),
                     actor=people["reviewer"], now=clock.now())  # fmt: skip
    _fire(session, item, "submit", people["filler"], clock)
    _fire(session, item, "sign", people["head"], clock)
    # another version approved in between (by whatever way): this one is outdated
    session.add(YardstickVersion(project_id=project.id, number=2, snapshot=json.dumps(
        {"indicators": [], "fund_items": []}), approved_at=clock.now()))  # fmt: skip
    session.commit()
    with pytest.raises(GuardFailed) as outdated:
        _fire(session, item, "approve", people["reviewer"], clock)
    assert "本申请所依据的版本已过时" in outdated.value.problems[0].message
    session.rollback()
    # only while implementing, and only the unit's 填报人
    project.state = "evaluating"
    session.commit()
    with pytest.raises(NotAllowed):
        ops.propose(UnitOfWork(session), project, actor=people["head"], spec=SPEC,
                    now=clock.now())  # fmt: skip
    session.rollback()
    with pytest.raises(InvalidInput) as closed:
        ops.propose(UnitOfWork(session), project, actor=people["filler"], spec=SPEC,
                    now=clock.now())  # fmt: skip
    assert closed.value.problems[0].message == "只有实施中的项目可以申请调整绩效目标"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amounts": (ops.AmountChange(new_amount="二百"), ops.AmountChange())},
         "「子项目「平台建设」调整后金额」应为数字（单位万元，最多6位小数），现为“二百”"),
        ({"added": (ops.NewIndicator(category="目标", name="新指标", target="1", reason="r"),)},
         "新增第1项指标请选择类别（投入、产出、结果、影响力）"),
        ({"rows": (ops.RowChange(),)}, "指标或子项目行数与当前版本不一致，请刷新页面后重新填写"),
        ({"reason": "理" * 1001}, "调整原因不能超过 1000 字"),
    ],
)  # fmt: skip
def test_what_cannot_be_read_is_refused_and_nothing_saved(world, session, clock, changes, message):
    project, people = world
    item = ops.propose(UnitOfWork(session), project, actor=people["filler"], spec=SPEC,
                       now=clock.now())  # fmt: skip
    rows = tuple(ops.RowChange() for _ in APPROVED)
    amounts = (ops.AmountChange(), ops.AmountChange())
    data = ops.ProposalInput(**{"reason": "压减", "rows": rows, "amounts": amounts, **changes})
    with pytest.raises(InvalidInput) as refused:
        ops.save(UnitOfWork(session), _fresh(session, item), data, actor=people["filler"],
                 spec=SPEC, now=clock.now())  # fmt: skip
    assert [p.message for p in refused.value.problems] == [message]
    session.rollback()
    assert (_fresh(session, item).version, _fresh(session, item).changes) == (1, [])


def test_two_reviewers_approving_at_once_make_one_version(db, database_url, world, session, clock):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serializes writers, so there is no row-level race to test")
    project, people = world
    item = _proposal(session, project, people, clock)
    _fire(session, item, "submit", people["filler"], clock)
    _fire(session, item, "sign", people["head"], clock)
    sessions = [db.session() for _ in range(2)]
    loaded = [(s, s.get(TargetAdjustment, item.id)) for s in sessions]
    barrier, results = threading.Barrier(2), [None, None]

    def approve(n, user_id):
        s, proposal = loaded[n]
        barrier.wait()
        try:
            results[n] = items.fire_item(UnitOfWork(s), proposal, "approve", kind=KIND,
                                         actor=s.get(User, user_id), now=clock.now())  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            results[n] = exc
        finally:
            s.close()

    threads = [threading.Thread(target=approve, args=(n, people[who].id))
               for n, who in enumerate(("reviewer", "second"))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(type(r).__name__ for r in results) == ["AuditEvent", "Conflict"]
    assert any(isinstance(r, Conflict) for r in results)
    session.expire_all()
    assert session.scalars(select(YardstickVersion.number).order_by(YardstickVersion.number)
                           ).all() == [1, 2]  # fmt: skip
    assert (
        session.scalar(select(func.count()).where(AuditEvent.action == "adjustment.approve")) == 1
    )
    assert [t for _, t in _targets(session, project)][1] == "=120人"
    assert chain.verify(session).ok
