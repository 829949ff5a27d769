"""The 监控表's own workflow (issue 17), declared in states.yaml beside the project lifecycle
(`workflows: monitoring`) and fired through the same engine: 填报 → 单位审核 → 财政审核, with
returns; a red light without its 偏差原因 holds the table back; every step is audited on the
project's trail and told to the people it names; each unit's 填报人 gets one 待办 per round."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import yaml
from sqlalchemy import func, select

from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.errors import Conflict, GuardFailed, InvalidInput, NotAllowed, NotFound
from workflow.evaluation.operations import freeze_approved
from workflow.lifecycle import items
from workflow.lifecycle.hooks import registered_names
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.lifecycle.spec import DEFAULT_STATES_FILE, SpecError, parse_spec
from workflow.monitoring.hooks import KIND
from workflow.monitoring.models import MonitoringReport
from workflow.monitoring.operations import ReportInput, RowInput, open_round, save_report
from workflow.notify.models import Notification
from workflow.notify.reminders import create_due_reminders
from workflow.org import operations as org
from workflow.org.models import Role
from workflow.uow import UnitOfWork

LC = get_lifecycle()
SPEC = LC.spec
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def unit_world(make, session, clock):
    """苏州市公安局 with two 填报人, a 单位负责人 and three implementing projects; a reviewer
    opens a round over them."""
    police = make.unit("苏州市公安局")
    filler = make.user(Role.filler, unit=police, name="王填报")
    second = make.user(Role.filler, unit=police, name="李填报")
    head = make.user(Role.unit_head, unit=police, name="张局长")
    reviewer = make.user(Role.reviewer, name="沈审核")
    projects = []
    for _ in range(3):
        project = make.project(police, state="implementing", creator=filler, submitted_by=filler)
        project.amount = Decimal(120)
        session.flush()
        freeze_approved(session, project)
        projects.append(project)
    session.commit()
    item = open_round(UnitOfWork(session), actor=reviewer, name="2026年1—7月绩效运行监控",
                      year=2026, cutoff=dt.date(2026, 7, 31), due=dt.date(2026, 8, 20),
                      spec=SPEC, now=clock.now(), today=TODAY)  # fmt: skip
    session.commit()
    return police, filler, second, head, reviewer, projects, item


def _report(session, project) -> MonitoringReport:
    session.expire_all()
    return session.scalar(select(MonitoringReport).where(MonitoringReport.project_id == project.id))


def _filled(report, *, red_explained: bool) -> ReportInput:
    """On time (70 of 120 万元 by 31 July); the first indicator forecast far below its
    target (red), explained or not; the others met."""
    rows = []
    for n, _ in enumerate(report.rows):
        if n == 0:
            explained = {"cause": "人员保障", "explanation": "培训师资未到位",
                         "measures": "9月前补充师资"} if red_explained else {}  # fmt: skip
            rows.append(RowInput(actual="10%", forecast="20%", likelihood="完全不可能",
                                 **explained))  # fmt: skip
        else:
            rows.append(RowInput(actual="完成进度过半", forecast="全部完成", likelihood="确定能"))
    return ReportInput(executed="70", forecast="118", rows=tuple(rows))


def _fire(session, report, trigger, actor, clock, comment=""):
    return items.fire_item(UnitOfWork(session), report, trigger, kind=KIND, actor=actor,
                           now=clock.now(), comment=comment)  # fmt: skip


def test_each_filler_of_a_unit_gets_one_todo_for_the_round(unit_world, session):
    police, filler, second, head, reviewer, projects, item = unit_world
    notes = session.scalars(select(Notification).order_by(Notification.user_id)).all()
    assert [(n.user_id, n.kind, n.topic) for n in notes] == [
        (filler.id, "todo", f"monitoring_round:{item.id}"),
        (second.id, "todo", f"monitoring_round:{item.id}"),
    ]  # the head and the reviewer are not asked to fill anything
    assert notes[0].title == "请于2026年8月20日前填报「2026年1—7月绩效运行监控」监控表（3 个项目）"
    assert f"/monitoring?round={item.id}" in notes[0].body and "3 个 2026 年度" in notes[0].body


def test_a_table_goes_from_the_unit_to_finance_and_back(unit_world, session, clock):
    police, filler, second, head, reviewer, projects, item = unit_world
    report = _report(session, projects[0])
    assert report.state == "filling"
    # a red indicator without its 偏差原因: saved, but not submitted
    save_report(UnitOfWork(session), report, _filled(report, red_explained=False), actor=filler,
                spec=SPEC, now=clock.now())  # fmt: skip
    report = _report(session, projects[0])
    assert report.light == "red" and report.rows[0].light == "red"
    with pytest.raises(GuardFailed) as held:
        _fire(session, report, "submit", filler, clock)
    name = report.rows[0].name
    assert [p.message for p in held.value.problems] == [
        f"第1项指标「{name}」为红灯，请填写偏差原因、具体说明和纠偏措施"]  # fmt: skip
    session.rollback()
    save_report(UnitOfWork(session), _report(session, projects[0]),
                _filled(report, red_explained=True), actor=filler, spec=SPEC,
                now=clock.now())  # fmt: skip
    report = _report(session, projects[0])
    _fire(session, report, "submit", filler, clock)
    report = _report(session, projects[0])
    assert (report.state, report.submitted_by_id) == ("unit_review", filler.id)
    told = session.scalars(select(Notification).where(Notification.user_id == head.id)).all()
    assert [(n.kind, n.title) for n in told] == [
        ("todo", "王填报已提交监控表，待您办理：退回修改、审核通过并报送")]  # fmt: skip
    assert f"/monitoring/reports/{report.id}" in told[0].body
    # the filler cannot sign their own; the head signs; finance returns with a comment
    with pytest.raises(NotAllowed):
        _fire(session, report, "sign", filler, clock)
    session.rollback()
    _fire(session, _report(session, projects[0]), "sign", head, clock)
    report = _report(session, projects[0])
    assert report.state == "finance_review"
    assert items.can_view(reviewer, report, KIND)
    with pytest.raises(GuardFailed):
        _fire(session, report, "return_for_revision", reviewer, clock)  # no comment
    session.rollback()
    _fire(session, _report(session, projects[0]), "return_for_revision", reviewer, clock,
          comment="执行数与国库支付数据不符，请核对")  # fmt: skip
    report = _report(session, projects[0])
    assert report.state == "filling"
    assert not items.can_view(reviewer, report, KIND)  # back with the unit
    # the head's 待办 was done when he signed; the filler is told of the return
    assert session.scalar(select(func.count()).where(
        Notification.user_id == head.id, Notification.kind == "todo",
        Notification.read_at.is_(None))) == 0  # fmt: skip
    back = session.scalars(select(Notification).where(
        Notification.user_id == filler.id, Notification.topic == f"monitoring_report:{report.id}"
    )).all()  # fmt: skip
    assert [n.title for n in back if not n.superseded] == [
        "沈审核已退回修改监控表，待您办理：提交"]  # fmt: skip
    # an edit after the return is audited, field by field
    again = _filled(report, red_explained=True)
    save_report(UnitOfWork(session), report, ReportInput(**{**again.__dict__, "executed": "72"}),
                actor=filler, spec=SPEC, now=clock.now())  # fmt: skip
    edit = session.scalar(select(AuditEvent).where(AuditEvent.action == "monitoring.edit"))
    assert json.loads(edit.details)["changes"] == [["预算执行·截至监控时点执行数", "70", "72"]]
    for trigger, who in (("submit", filler), ("sign", head), ("accept", reviewer)):
        _fire(session, _report(session, projects[0]), trigger, who, clock)
    assert _report(session, projects[0]).state == "accepted"
    trail = session.scalars(
        select(AuditEvent.label).where(AuditEvent.project_id == projects[0].id,
                                       AuditEvent.action.like("monitoring.%"))
        .order_by(AuditEvent.seq)
    ).all()  # fmt: skip
    assert trail == ["监控表提交", "监控表审核通过并报送", "监控表退回修改", "修改监控表",
                     "监控表提交", "监控表审核通过并报送", "监控表审核通过"]  # fmt: skip
    # a finished table is nobody's to edit
    with pytest.raises(NotAllowed):
        save_report(UnitOfWork(session), _report(session, projects[0]), again, actor=filler,
                    spec=SPEC, now=clock.now())  # fmt: skip


def test_waiting_tables_are_listed_for_whoever_may_act(unit_world, make, session, clock):
    police, filler, second, head, reviewer, projects, item = unit_world
    ids = sorted(session.scalars(select(MonitoringReport.id)).all())

    def waiting(user):
        session.expire_all()
        return sorted(r.id for r in session.scalars(items.todo(user, KIND, SPEC)))

    assert waiting(filler) == waiting(second) == ids
    assert waiting(head) == waiting(reviewer) == []
    report = _report(session, projects[1])
    save_report(UnitOfWork(session), report, _filled(report, red_explained=True), actor=second,
                spec=SPEC, now=clock.now())  # fmt: skip
    _fire(session, _report(session, projects[1]), "submit", second, clock)
    assert waiting(head) == [report.id] and report.id not in waiting(filler)
    _fire(session, _report(session, projects[1]), "sign", head, clock)
    assert waiting(reviewer) == [report.id] and waiting(head) == []
    # an assigned reviewer of other units neither sees nor acts on it
    admin, zhou = make.user(Role.admin), make.user(Role.reviewer, name="周复核")
    other_unit = make.unit("苏州市消防救援支队")
    session.commit()
    org.assign_reviewers(UnitOfWork(session), other_unit, [zhou.id], actor=admin,
                         now=clock.now())  # fmt: skip
    org.assign_reviewers(UnitOfWork(session), police, [reviewer.id], actor=admin,
                         now=clock.now())  # fmt: skip
    assert waiting(zhou) == []
    with pytest.raises(NotFound):
        _fire(session, _report(session, projects[1]), "accept", zhou, clock)


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"executed": "七十"},
         ["「截至监控时点执行数」应为数字（单位万元，最多6位小数），现为“七十”"]),
        ({"executed": "121"}, ["「截至监控时点执行数」不能超过年度预算数 120 万元"]),
        ({"executed": "70", "forecast": "60"}, ["「全年预计执行数」不能少于截至监控时点执行数"]),
        ({"cause": "天气"},
         ["预算执行的偏差原因应为经费保障、制度保障、人员保障、硬件条件保障、其他之一"]),
        ({"rows": ()}, ["指标行数与监控表不一致，请刷新页面后重新填写"]),
    ],
)  # fmt: skip
def test_what_cannot_be_read_is_refused_and_nothing_saved(
    unit_world, session, clock, changes, messages
):
    police, filler, *_, projects, item = unit_world
    report = _report(session, projects[0])
    data = ReportInput(**{**_filled(report, red_explained=True).__dict__, **changes})
    with pytest.raises(InvalidInput) as refused:
        save_report(UnitOfWork(session), report, data, actor=filler, spec=SPEC, now=clock.now())
    assert [p.message for p in refused.value.problems] == messages
    session.rollback()
    report = _report(session, projects[0])
    assert (report.executed, report.version, report.rows[0].actual) == (None, 1, "")


def test_a_stale_page_and_another_unit_are_refused(unit_world, make, session, clock):
    police, filler, *_, projects, item = unit_world
    report = _report(session, projects[0])
    data = _filled(report, red_explained=True)
    save_report(UnitOfWork(session), report, data, actor=filler, spec=SPEC, now=clock.now(),
                expected_version=1)  # fmt: skip
    with pytest.raises(Conflict):
        save_report(UnitOfWork(session), _report(session, projects[0]), data, actor=filler,
                    spec=SPEC, now=clock.now(), expected_version=1)  # fmt: skip
    session.rollback()
    stranger = make.user(Role.filler, unit=make.unit("苏州市消防救援支队"))
    report = _report(session, projects[0])
    assert not items.can_view(stranger, report, KIND)
    with pytest.raises(NotAllowed):
        save_report(UnitOfWork(session), report, data, actor=stranger, spec=SPEC, now=clock.now())
    session.rollback()
    with pytest.raises(NotFound):
        _fire(session, _report(session, projects[0]), "submit", stranger, clock)


def _states_file() -> dict:
    return yaml.safe_load(DEFAULT_STATES_FILE.read_text(encoding="utf-8"))


def test_the_bundled_file_declares_the_monitoring_workflow():
    flow = SPEC.workflow("monitoring")
    assert (flow.subject, flow.initial) == ("monitoring_report", "filling")
    assert [s for s in flow.states if flow.has_ended(s)] == ["accepted"]
    assert isinstance(LC.workflows["monitoring"], Lifecycle)
    assert LC.workflows["monitoring"].next_state("finance_review", "accept") == "accepted"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda w: w.update(subject="budget_line"),
         "流程「monitoring」：subject「budget_line」不是已登记的办理对象"
         "（可用：monitoring_report、target_adjustment）"),
        (lambda w: w["transitions"][0].update(approvals={"count": 2}),
         "流程「monitoring」：转换「submit」含未知的键：approvals"),
        (lambda w: w["transitions"][0].update(guards=["declaration_complete"]),
         "流程「monitoring」：转换「submit」引用了未知的校验「declaration_complete」"
         "（可用：monitoring_complete、not_own_approval、own_submission）"),
        (lambda w: w["states"]["unit_review"].update(sla={"days": 5}),
         "流程「monitoring」：状态「unit_review」含未知的键：sla"),
        (lambda w: w.update(initial="nowhere"),
         "流程「monitoring」：初始状态「nowhere」未在 states 中声明"),
        (lambda w: w["transitions"].pop(),
         "流程「monitoring」：从初始状态「filling」无法到达：accepted"),
        (lambda w: w.update(reminders={}),
         "流程「monitoring」：含未知的键：reminders（时限、会签、提醒只用于项目流程）"),
    ],
)  # fmt: skip
def test_a_faulty_workflow_is_named_at_start_up(change, message):
    raw = _states_file()
    change(raw["workflows"]["monitoring"])
    with pytest.raises(SpecError) as fault:
        parse_spec(raw, names=registered_names(), source="states.yaml")
    assert str(fault.value) == f"states.yaml：{message}"


def test_a_file_without_the_workflow_has_no_monitoring(unit_world, session, clock):
    police, filler, second, head, reviewer, projects, item = unit_world
    raw = _states_file()
    del raw["workflows"]
    bare = Lifecycle(parse_spec(raw, names=registered_names()))
    with pytest.raises(NotFound) as missing:
        items.workflow_of(KIND, bare)
    assert missing.value.message == "流程定义文件未声明监控表的流程（workflows.monitoring）"
    with pytest.raises(InvalidInput) as refused:
        open_round(UnitOfWork(session), actor=reviewer, name="再来一轮", year=2026,
                   cutoff=dt.date(2026, 7, 31), due=dt.date(2026, 8, 20), spec=bare.spec,
                   now=clock.now(), today=TODAY)  # fmt: skip
    assert refused.value.problems[0].message.startswith("流程定义文件未声明监控表的流程")


def test_units_are_reminded_of_their_unsubmitted_tables_once_per_unit(unit_world, session, clock):
    police, filler, second, head, reviewer, projects, item = unit_world
    session.execute(Notification.__table__.delete())  # the round's own 待办 aside
    session.commit()

    def run(day: dt.date) -> list[Notification]:
        now = dt.datetime.combine(day, dt.time(8, 30), tzinfo=CHINA)
        create_due_reminders(session, SPEC, today=day, now=now, base_url="http://jx.example")
        session.commit()
        found = session.scalars(select(Notification).where(
            Notification.kind == "reminder", Notification.superseded.is_(False)
        ).order_by(Notification.user_id)).all()  # fmt: skip
        session.execute(Notification.__table__.delete())
        session.commit()
        session.expunge_all()  # SQLite gives the next messages the ids of these
        return found

    # due 20 August 2026 (a Thursday): 30 days before is Tuesday 21 July
    told = run(dt.date(2026, 7, 21))
    assert [n.user_id for n in told] == [filler.id, second.id]  # one each, not one per project
    assert told[0].title == ("以下事项即将到期，请提前安排：填报「2026年1—7月绩效运行监控」监控表"
                             "（本单位尚有 3 份未提交），30天后到期")  # fmt: skip
    assert told[0].project_id is None and f"http://jx.example/monitoring?round={item.id}" in (
        told[0].body)  # fmt: skip
    assert "请按期填写并提交监控表" in told[0].body
    assert run(dt.date(2026, 7, 21)) == []  # a run repeated reminds once
    report = _report(session, projects[0])
    save_report(UnitOfWork(session), report, _filled(report, red_explained=True), actor=filler,
                spec=SPEC, now=clock.now())  # fmt: skip
    _fire(session, _report(session, projects[0]), "submit", filler, clock)
    told = run(dt.date(2026, 8, 13))  # 7 days before
    assert "本单位尚有 2 份未提交" in told[0].title and len(told) == 2
    # overdue a week, then the 单位负责人 too after 14 days
    late = run(dt.date(2026, 8, 27))  # caught up: the due day's, then a week overdue
    assert [n.title.endswith("（本单位尚有 2 份未提交），已逾期7天") for n in late] == [True] * 2
    escalated = run(dt.date(2026, 9, 3))
    assert head.id in {n.user_id for n in escalated}
    # once every table is submitted, nobody is reminded
    for project in projects[1:]:
        report = _report(session, project)
        save_report(UnitOfWork(session), report, _filled(report, red_explained=True),
                    actor=filler, spec=SPEC, now=clock.now())  # fmt: skip
        _fire(session, _report(session, project), "submit", filler, clock)
    assert run(dt.date(2026, 9, 10)) == []


def test_the_self_evaluation_shows_the_monitoring_and_flags_what_contradicts_it(
    unit_world, session, clock
):
    police, filler, second, head, reviewer, projects, item = unit_world
    project = projects[0]
    report = _report(session, project)
    data = _filled(report, red_explained=True)  # row 1 forecast 20% of its target: red
    save_report(UnitOfWork(session), report, data, actor=filler, spec=SPEC, now=clock.now())
    for trigger, who in (("submit", filler), ("sign", head), ("accept", reviewer)):
        _fire(session, _report(session, project), trigger, who, clock)
    said = _report(session, project).rows
    project = session.get(type(project), project.id)
    project.state = "evaluating"
    from workflow.evaluation.checks import indicators_of
    from workflow.exports.evaluation_report import evaluation_report

    rows = indicators_of(session, project)
    rows[0].actual = rows[0].target.lstrip("=≥")  # met in full, though called hopeless
    rows[1].actual = "50人"  # a quarter of 200, though forecast as met for certain
    for row in rows[2:]:
        row.actual = row.target.lstrip("=≥")
    session.commit()
    found = evaluation_report(session, project)
    assert found.monitored.round_name == "2026年1—7月绩效运行监控"
    assert [r.name for r in found.monitored.flagged] == [said[0].name]
    flags = [f.message for f in found.flags if f.kind == "monitoring"]
    round_name = "「2026年1—7月绩效运行监控」"
    assert flags == [
        f"第1行「{rows[0].name}」：{round_name}填报的全年预计完成值为“20%”，完成目标可能性"
        f"“完全不可能”；自评实际完成值“{rows[0].actual}”，完成率 100%",
        f"第2行「{rows[1].name}」：{round_name}填报的全年预计完成值为“全部完成”，完成目标可能性"
        "“确定能”；自评实际完成值“50人”，完成率 25%",
    ]
