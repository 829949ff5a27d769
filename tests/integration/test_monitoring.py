"""绩效运行监控 rounds (issue 17): a 财政审核人 opens a round; every project of the year in a
monitored state among those they review (and of the units chosen) gets its 监控表, with the
approved budget, the payments recorded by the cut-off as 执行数, the approved yardstick's rows and
their lights; the opening is audited; a bad request is refused in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.web.conftest import StatementCounter
from workflow.audit.models import AuditEvent
from workflow.declaration.models import Declaration
from workflow.errors import InvalidInput, NotAllowed
from workflow.evaluation.operations import freeze_approved
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.monitoring import lights
from workflow.monitoring.models import MonitoringReport, MonitoringRound
from workflow.monitoring.operations import explanation_problems, open_round, relight
from workflow.org import operations as org
from workflow.org.models import Role
from workflow.uow import UnitOfWork

SPEC = get_lifecycle().spec
TODAY = dt.date(2026, 3, 2)  # tests/conftest.py START in China


def _implementing(make, session, unit, filler, *, year=2026, amount="120", state="implementing"):
    project = make.project(unit, state=state, creator=filler, submitted_by=filler)
    project.year, project.amount = year, Decimal(amount)
    session.flush()
    freeze_approved(session, project)
    session.commit()
    return project


def _open(session, clock, actor, **changes):
    values = {"name": "2026年1—7月绩效运行监控", "year": 2026, "cutoff": dt.date(2026, 7, 31),
              "due": dt.date(2026, 8, 20), "unit_ids": (), "rules": "national"}  # fmt: skip
    values.update(changes)
    return open_round(UnitOfWork(session), actor=actor, spec=SPEC, now=clock.now(), today=TODAY,
                      **values)  # fmt: skip


@pytest.fixture
def bureau(make, session):
    police, fire = make.unit("苏州市公安局"), make.unit("苏州市消防救援支队")
    filler, other = make.user(Role.filler, unit=police), make.user(Role.filler, unit=fire)
    reviewer = make.user(Role.reviewer, name="沈审核")
    session.commit()
    return police, fire, filler, other, reviewer


def test_a_round_makes_a_table_for_each_project_in_scope(bureau, make, session, clock):
    police, fire, filler, other, reviewer = bureau
    mine = _implementing(make, session, police, filler, amount="120")
    theirs = _implementing(make, session, fire, other, amount="80")
    _implementing(make, session, police, filler, year=2025)  # another year
    _implementing(make, session, police, filler, state="approved")  # not yet implementing
    session.add_all([
        Milestone(project_id=mine.id, position=0, kind="payment", title="首付款",
                  due=dt.date(2026, 5, 31), actual_date=dt.date(2026, 5, 20),
                  paid_amount=Decimal("36")),
        Milestone(project_id=mine.id, position=1, kind="payment", title="进度款",
                  due=dt.date(2026, 7, 31), actual_date=dt.date(2026, 7, 31),
                  paid_amount=Decimal("12.5")),
        Milestone(project_id=mine.id, position=2, kind="payment", title="尾款",
                  due=dt.date(2026, 9, 30), actual_date=dt.date(2026, 8, 2),
                  paid_amount=Decimal("40")),  # after the cut-off
    ])  # fmt: skip
    session.commit()
    item = _open(session, clock, reviewer)
    reports = {r.project_id: r for r in session.scalars(select(MonitoringReport))}
    assert set(reports) == {mine.id, theirs.id}
    report = reports[mine.id]
    assert (report.budget, report.executed, report.state) == (Decimal(120), Decimal("48.5"),
                                                             "filling")  # fmt: skip
    assert reports[theirs.id].executed is None
    declared = session.get(Declaration, mine.id).indicators
    frozen = [(r.category, r.name, r.target) for r in declared]
    assert [(r.category, r.name, r.target) for r in report.rows] == frozen and frozen
    # 48.5 of 120 is 40.42 %, time 58.33 %: 69.29 % of the time, a yellow budget light; the
    # rows have no figures yet, so the project's light is the budget's
    assert report.light == "yellow" and {r.light for r in report.rows} == {None}
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "open_monitoring_round"))
    assert event.label == "开展绩效运行监控"
    assert json.loads(event.details)["reports"] == 2 and item.rules == "national"


def test_a_round_for_some_units_and_an_assigned_reviewer(bureau, make, session, clock):
    police, fire, filler, other, reviewer = bureau
    mine = _implementing(make, session, police, filler)
    theirs = _implementing(make, session, fire, other)
    _open(session, clock, reviewer, unit_ids=[fire.id])
    assert session.scalars(select(MonitoringReport.project_id)).all() == [theirs.id]
    admin, zhou = make.user(Role.admin), make.user(Role.reviewer, name="周复核")
    session.commit()
    org.assign_reviewers(UnitOfWork(session), police, [zhou.id], actor=admin, now=clock.now())
    org.assign_reviewers(UnitOfWork(session), fire, [reviewer.id], actor=admin, now=clock.now())
    _open(session, clock, zhou, name="公安局专项监控")  # only the units he reviews
    second = session.scalar(select(MonitoringRound).where(MonitoringRound.name == "公安局专项监控"))
    assert session.scalars(
        select(MonitoringReport.project_id).where(MonitoringReport.round_id == second.id)
    ).all() == [mine.id]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"name": " "}, ["请填写监控名称，如「2027年1—7月绩效运行监控」"]),
        ({"name": "监" * 101}, ["监控名称不能超过 100 字"]),
        ({"year": None}, ["请填写项目年度（如 2027）"]),
        ({"cutoff": dt.date(2025, 12, 31)}, ["数据截止日期应在 2026 年内"]),
        ({"cutoff": None, "due": None}, ["请填写数据截止日期", "请填写填报截止日期"]),
        ({"due": dt.date(2026, 3, 1)}, ["填报截止日期不能早于今天"]),
        ({"due": dt.date(2026, 7, 1)}, ["填报截止日期不能早于数据截止日期"]),
        ({"rules": "nowhere"}, [f"预警规则“nowhere”不存在（{lights.RULES_DIR}/nowhere.yaml）"]),
        ({"unit_ids": [999]}, ["所选单位不存在"]),
        ({"year": 2027, "cutoff": dt.date(2027, 7, 31), "due": dt.date(2027, 8, 20)},
         ["您负责的单位没有 2027 年度处于实施中的项目"]),
    ],
)  # fmt: skip
def test_a_bad_round_is_refused_and_nothing_is_written(
    bureau, make, session, clock, changes, messages
):
    police, _, filler, _, reviewer = bureau
    _implementing(make, session, police, filler)
    with pytest.raises(InvalidInput) as error:
        _open(session, clock, reviewer, **changes)
    assert [p.message for p in error.value.problems] == messages
    session.rollback()
    assert session.scalar(select(func.count()).select_from(MonitoringRound)) == 0
    assert session.scalar(select(func.count()).select_from(MonitoringReport)) == 0


def test_only_a_reviewer_opens_a_round_and_a_name_once_a_year(bureau, make, session, clock):
    police, _, filler, _, reviewer = bureau
    _implementing(make, session, police, filler)
    for who in (filler, make.user(Role.admin), make.user(Role.unit_head, unit=police)):
        with pytest.raises(NotAllowed):
            _open(session, clock, who)
        session.rollback()
    _open(session, clock, reviewer)
    with pytest.raises(InvalidInput) as again:
        _open(session, clock, reviewer)
    assert [p.message for p in again.value.problems] == [
        "2026 年度已有名为「2026年1—7月绩效运行监控」的监控"]  # fmt: skip


def test_lights_need_explaining_before_submission(bureau, make, session, clock):
    police, _, filler, _, reviewer = bureau
    _implementing(make, session, police, filler)
    _open(session, clock, reviewer)
    report = session.scalar(select(MonitoringReport))
    rules, cutoff = lights.load_rules("national"), report.round.cutoff
    report.executed = Decimal(70)  # 58.33 % of 120 is on time: green
    row = report.rows[0]
    row.target, row.forecast = "≥100人", "40人"  # red
    readings = relight(report, rules, cutoff)
    assert (report.light, row.light) == ("red", "red")
    assert [p.message for p in explanation_problems(report, rules, readings)] == [
        f"第1项指标「{row.name}」为红灯，请填写偏差原因、具体说明和纠偏措施"]  # fmt: skip
    row.cause, row.explanation, row.measures = "人员保障", "培训师资未到位", "9月前补充师资"
    assert explanation_problems(report, rules, relight(report, rules, cutoff)) == []


def test_opening_runs_as_many_statements_for_fifty_projects_as_for_five(
    bureau, make, session, clock, db
):
    police, _, filler, _, reviewer = bureau
    counts = []
    for n, name in ((5, "第一轮"), (45, "第二轮")):
        for _ in range(n):
            _implementing(make, session, police, filler)
        with StatementCounter(db) as counter:
            _open(session, clock, reviewer, name=name)
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
