"""预警规则 chosen per unit and year the way scoring templates are (issue 17): the admin's rules,
most specific first; a round opened 「按单位和年度的规则」 reads each 监控表 by them and keeps the
file on the table, a round opened with one file reads all by it; refusals in Chinese, audited."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.integration.test_monitoring import _implementing, _open
from workflow.audit.models import AuditEvent
from workflow.errors import InvalidInput, NotAllowed
from workflow.milestones.models import Milestone
from workflow.monitoring import choice
from workflow.monitoring.models import LightsRuleChoice, MonitoringReport
from workflow.org.models import Role, User
from workflow.uow import UnitOfWork


@pytest.fixture
def world(make, session):
    police, fire = make.unit("苏州市公安局"), make.unit("苏州市消防救援支队")
    fillers = [make.user(Role.filler, unit=u) for u in (police, fire)]
    people = {"admin": make.user(Role.admin), "reviewer": make.user(Role.reviewer)}
    projects = []
    for unit, filler in zip((police, fire), fillers, strict=True):
        project = _implementing(make, session, unit, filler, amount="120")
        # 48.5 of 120 paid by 31 July: 69.29 % of the time elapsed, yellow by the national
        # file (60-80 %), red by the strict one (under 70 %)
        session.add(Milestone(project_id=project.id, position=0, kind="payment", title="首付款",
                              due=dt.date(2026, 5, 31), actual_date=dt.date(2026, 5, 20),
                              paid_amount=Decimal("48.5")))  # fmt: skip
        projects.append(project)
    session.commit()
    return police, fire, people, projects


def _rule(session, clock, admin, *, unit=None, year=None, rules="strict"):
    unit_id = unit.id if unit else None
    return choice.set_rules_choice(UnitOfWork(session), unit_id=unit_id, year=year, rules=rules,
                                   actor=admin, now=clock.now())  # fmt: skip


def _tables(session) -> dict[int, tuple[str, str]]:
    session.expire_all()
    return {r.project_id: (r.rules, r.light) for r in session.scalars(select(MonitoringReport))}


def test_a_round_by_the_rules_reads_each_table_by_its_units_file(world, session, clock):
    police, fire, people, (theirs, others) = world
    _rule(session, clock, people["admin"], unit=police)
    item = _open(session, clock, people["reviewer"], rules=choice.BY_UNIT)
    assert item.rules == choice.BY_UNIT
    assert _tables(session) == {theirs.id: ("strict", "red"), others.id: ("national", "yellow")}


def test_the_most_specific_rule_wins(world, session, clock):
    police, fire, people, (theirs, others) = world
    _rule(session, clock, people["admin"], year=2026)  # every unit in 2026: strict
    _rule(session, clock, people["admin"], unit=fire, rules="national")  # the fire brigade: not
    _rule(session, clock, people["admin"], unit=police, year=2025, rules="national")  # other year
    _open(session, clock, people["reviewer"], rules=choice.BY_UNIT)
    assert _tables(session) == {theirs.id: ("strict", "red"), others.id: ("national", "yellow")}


def test_a_round_with_one_file_reads_every_table_by_it(world, session, clock):
    police, fire, people, (theirs, others) = world
    _rule(session, clock, people["admin"], unit=police)
    _open(session, clock, people["reviewer"], rules="national")
    assert _tables(session) == {theirs.id: ("national", "yellow"),
                                others.id: ("national", "yellow")}  # fmt: skip


def test_a_rule_set_later_does_not_relight_a_round_under_way(world, session, clock):
    from workflow.lifecycle.machine import get_lifecycle
    from workflow.monitoring.operations import ReportInput, RowInput, save_report

    police, fire, people, (theirs, others) = world
    _open(session, clock, people["reviewer"], rules=choice.BY_UNIT)
    before = _tables(session)
    rule = _rule(session, clock, people["admin"], unit=police)
    report = session.scalar(
        select(MonitoringReport).where(MonitoringReport.project_id == theirs.id)
    )
    filler = session.get(User, theirs.created_by_id)
    rows = tuple(RowInput(actual="x", forecast=r.target.lstrip("=≥"), likelihood="确定能")
                 for r in report.rows)  # every indicator on course: the budget decides  # fmt: skip
    save_report(UnitOfWork(session), report, ReportInput(executed="48.5", forecast="120",
                                                         rows=rows),
                actor=filler, spec=get_lifecycle().spec, now=clock.now())  # fmt: skip
    assert _tables(session) == before == {theirs.id: ("national", "yellow"),
                                          others.id: ("national", "yellow")}  # fmt: skip
    choice.delete_rules_choice(UnitOfWork(session), rule.id, actor=people["admin"],
                               now=clock.now())  # fmt: skip
    events = session.execute(
        select(AuditEvent.action, AuditEvent.label, AuditEvent.details)
        .where(AuditEvent.action.like("%lights_rules")).order_by(AuditEvent.id)
    ).all()  # fmt: skip
    assert [(a, label) for a, label, _ in events] == [
        ("set_lights_rules", "设置预警规则"),
        ("delete_lights_rules", "删除预警规则"),
    ]
    assert json.loads(events[0].details)["rules"] == "strict"
    assert session.scalars(select(LightsRuleChoice)).all() == []


@pytest.mark.parametrize(
    ("unit", "year", "rules", "field", "message"),
    [
        ("police", None, "atlantis", "rules", "预警规则「atlantis」不存在"),
        ("police", None, "../national", "rules", "预警规则「../national」不存在"),
        ("police", None, "", "rules", "请选择预警规则"),
        (None, None, "strict", "unit_id",
         "请选择单位或年度（都不选时，所有项目按默认的「全国通用预警规则」计算预警灯）"),
        ("police", "二〇二六", "strict", "year", "「年度」应为 2000–2100 之间的年份"),
    ],
)  # fmt: skip
def test_a_bad_rule_is_refused_in_chinese_and_nothing_is_written(
    world, session, clock, unit, year, rules, field, message
):
    police, fire, people, _ = world
    with pytest.raises(InvalidInput) as excinfo:
        choice.set_rules_choice(UnitOfWork(session), unit_id=police.id if unit else None,
                                year=year, rules=rules, actor=people["admin"],
                                now=clock.now())  # fmt: skip
    assert [(p.field, p.message) for p in excinfo.value.problems] == [(field, message)]
    assert session.scalars(select(LightsRuleChoice)).all() == []


def test_one_rule_per_scope_and_only_the_admin_sets_them(world, session, clock):
    police, fire, people, _ = world
    _rule(session, clock, people["admin"], unit=police)
    with pytest.raises(InvalidInput) as excinfo:
        _rule(session, clock, people["admin"], unit=police, rules="national")
    assert excinfo.value.problems[0].message == (
        "「苏州市公安局」（所有年度）已有预警规则；如需更改，请先删除原规则"
    )
    with pytest.raises(NotAllowed):
        _rule(session, clock, people["reviewer"], unit=fire)
