"""评分模板规则: the admin's choice of scoring template per unit / year, the most specific rule
winning, one rule per scope on both databases, and archived evaluations keeping their score."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.evaluation import operations as ops
from workflow.evaluation.choice import (
    delete_template_choice,
    resolve,
    set_template_choice,
    template_for,
)
from workflow.evaluation.models import EvaluationIndicator, ScoringTemplateChoice, SelfEvaluation
from workflow.evaluation.templates import load_template
from workflow.org.models import Role
from workflow.uow import UnitOfWork

NATIONAL = load_template("national").label
SUZHOU = load_template("suzhou").label


@pytest.fixture
def world(make):
    unit, other = make.unit("苏州市公安局"), make.unit("苏州市应急管理局")
    admin, filler = make.user(Role.admin), make.user(Role.filler, unit=unit)
    return unit, other, admin, filler


def _set(session, clock, admin, *, unit=None, year=None, template="national"):
    return set_template_choice(
        UnitOfWork(session), unit_id=unit.id if unit else None, year=year, template=template,
        actor=admin, now=clock.now(),
    )  # fmt: skip


def _count(session, model) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


def _indicators(session, project, rows):
    for n, (category, name, target, actual) in enumerate(rows):
        session.add(
            EvaluationIndicator(
                project_id=project.id, position=n, category=category, name=name, target=target,
                actual=actual,
            )
        )  # fmt: skip
    session.commit()


def test_the_most_specific_rule_wins(session, clock, make, world):
    unit, other, admin, filler = world
    project = make.project(unit, state="evaluating", creator=filler)  # year 2026
    elsewhere = make.project(other, state="evaluating", creator=filler)
    assert template_for(session, project).key == "suzhou"  # no rule: the default
    _set(session, clock, admin, year=2026, template="national")
    assert template_for(session, project).key == "national"  # year
    _set(session, clock, admin, unit=unit, template="suzhou")
    assert template_for(session, project).key == "suzhou"  # unit beats year
    _set(session, clock, admin, unit=unit, year=2026, template="national")
    assert template_for(session, project).key == "national"  # unit + year beats unit
    # Rules for another unit or another year do not reach a project.
    _set(session, clock, admin, unit=other, year=2027, template="suzhou")
    _set(session, clock, admin, year=2025, template="suzhou")
    assert template_for(session, project).key == "national"
    assert template_for(session, elsewhere).key == "national"  # only the 2026 year rule fits
    assert ops.score_sheet(session, elsewhere).template_title == NATIONAL


def test_resolution_does_not_depend_on_the_order_of_the_rules():
    rules = [
        ScoringTemplateChoice(unit_id=1, year=2026, template="a"),
        ScoringTemplateChoice(unit_id=1, year=None, template="b"),
        ScoringTemplateChoice(unit_id=None, year=2026, template="c"),
    ]
    for order in (rules, rules[::-1], rules[1:] + rules[:1]):
        assert resolve(order, 1, 2026) == "a"
        assert resolve(order, 1, 2025) == "b"
        assert resolve(order, 2, 2026) == "c"
        assert resolve(order, 2, 2025) == "suzhou"


@pytest.mark.parametrize("scope", ["unit_year", "unit", "year"])
def test_the_database_keeps_one_rule_per_scope(session, clock, world, scope):
    unit, _, _, _ = world
    values = {"unit_year": (unit.id, 2026), "unit": (unit.id, None), "year": (None, 2026)}[scope]
    for other in values_other_than(values, unit.id):  # the other scopes coexist with this one
        session.add(ScoringTemplateChoice(unit_id=other[0], year=other[1], template="suzhou",
                                          set_at=clock.now()))  # fmt: skip
    session.add(ScoringTemplateChoice(unit_id=values[0], year=values[1], template="suzhou",
                                      set_at=clock.now()))  # fmt: skip
    session.commit()
    session.add(ScoringTemplateChoice(unit_id=values[0], year=values[1], template="national",
                                      set_at=clock.now()))  # fmt: skip
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    assert _count(session, ScoringTemplateChoice) == 3


def values_other_than(values, unit_id):
    return [v for v in ((unit_id, 2026), (unit_id, None), (None, 2026)) if v != values]


def test_the_database_refuses_a_rule_for_nothing(session, clock):
    session.add(ScoringTemplateChoice(unit_id=None, year=None, template="national",
                                      set_at=clock.now()))  # fmt: skip
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


@pytest.mark.parametrize(
    ("unit", "year", "template", "field", "message"),
    [
        ("own", 2026, "atlantis", "template", "评分模板「atlantis」不存在"),
        ("own", 2026, "../suzhou", "template", "评分模板「../suzhou」不存在"),
        ("own", 2026, "", "template", "请选择评分模板"),
        ("own", 1999, "national", "year", "「年度」应为 2000–2100 之间的年份"),
        ("own", 3000, "national", "year", "「年度」应为 2000–2100 之间的年份"),
        ("own", "二〇二六", "national", "year", "「年度」应为 2000–2100 之间的年份"),
        ("own", "2026.0", "national", "year", "「年度」应为 2000–2100 之间的年份"),
        ("missing", 2026, "national", "unit_id", "所选单位不存在"),
        (None, "", "national", "unit_id",
         f"请选择单位或年度（都不选时，所有项目按默认的「{SUZHOU}」评分）"),
        ("own", None, "national", "unit_id",
         "「苏州市公安局」（所有年度）已有评分模板规则；如需更改，请先删除原规则"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(
    session, clock, world, unit, year, template, field, message
):
    own, _, admin, _ = world
    _set(session, clock, admin, unit=own, template="suzhou")  # the existing rule
    rules, events = _count(session, ScoringTemplateChoice), _count(session, AuditEvent)
    unit_id = {"own": own.id, "missing": own.id + 1000, None: None}[unit]
    with pytest.raises(InvalidInput) as excinfo:
        set_template_choice(UnitOfWork(session), unit_id=unit_id, year=year, template=template,
                            actor=admin, now=clock.now())  # fmt: skip
    assert [(p.field, p.message) for p in excinfo.value.problems] == [(field, message)]
    assert _count(session, ScoringTemplateChoice) == rules
    assert _count(session, AuditEvent) == events


@pytest.mark.parametrize(
    ("year", "scope"), [(2026, "「苏州市公安局」2026年度"), (None, "2026年度（所有单位）")]
)
def test_a_duplicate_rule_is_named_by_its_scope(session, clock, world, year, scope):
    unit, _, admin, _ = world
    _set(session, clock, admin, unit=unit if year else None, year=2026)
    with pytest.raises(InvalidInput) as excinfo:
        _set(session, clock, admin, unit=unit if year else None, year=2026, template="suzhou")
    assert excinfo.value.problems[0].message == f"{scope}已有评分模板规则；如需更改，请先删除原规则"
    assert _count(session, ScoringTemplateChoice) == 1


def test_two_admins_adding_the_same_rule_at_once_save_one(db, session, clock, world):
    """The second admin's check runs before the first commits: the database's unique index
    (PostgreSQL) or the write lock (SQLite) still leaves one rule and a Chinese message."""
    unit, _, admin, _ = world
    first = db.session(write=True)
    first.add(ScoringTemplateChoice(unit_id=unit.id, year=2026, template="suzhou",
                                    set_at=clock.now()))  # fmt: skip
    first.flush()  # holds the row (and on SQLite the write lock) until commit
    outcome = {}

    def second_admin():
        with db.session(write=True) as s:
            try:
                set_template_choice(UnitOfWork(s), unit_id=unit.id, year=2026,
                                    template="national", actor=s.get(type(admin), admin.id),
                                    now=clock.now())  # fmt: skip
            except InvalidInput as exc:
                outcome["problems"] = exc.problems

    thread = threading.Thread(target=second_admin)
    thread.start()
    time.sleep(0.5)
    first.commit()
    first.close()
    thread.join(30)
    assert [p.message for p in outcome["problems"]] == [
        "「苏州市公安局」2026年度已有评分模板规则；如需更改，请先删除原规则"
    ]
    session.rollback()
    assert session.scalars(select(ScoringTemplateChoice.template)).all() == ["suzhou"]


def test_only_an_admin_sets_or_deletes_rules(session, clock, world):
    unit, _, admin, filler = world
    with pytest.raises(NotAllowed):
        _set(session, clock, filler, unit=unit)
    rule = _set(session, clock, admin, unit=unit)
    with pytest.raises(NotAllowed):
        delete_template_choice(UnitOfWork(session), rule.id, actor=filler, now=clock.now())
    assert _count(session, ScoringTemplateChoice) == 1
    delete_template_choice(UnitOfWork(session), rule.id, actor=admin, now=clock.now())
    assert _count(session, ScoringTemplateChoice) == 0
    with pytest.raises(NotFound):
        delete_template_choice(UnitOfWork(session), rule.id, actor=admin, now=clock.now())


def test_rule_changes_are_audited(session, clock, world):
    unit, _, admin, _ = world
    rule = _set(session, clock, admin, unit=unit, year=2026)
    delete_template_choice(UnitOfWork(session), rule.id, actor=admin, now=clock.now())
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [(e.action, e.label, e.actor_id) for e in events] == [
        ("set_scoring_template", "设置评分模板", admin.id),
        ("delete_scoring_template", "删除评分模板", admin.id),
    ]
    assert '"template":"national"' in events[0].details and '"year":2026' in events[0].details
    assert chain.verify(session).ok


NATIONAL_ROWS = [
    ("产出", "系统上线数", "=1套", "1套"),
    ("效益", "隐患整改率", "≥95%", "76%"),  # 80 % of the target: 80 % of 30
    ("满意度", "服务对象满意度", "≥90%", "95%"),
]


def test_a_national_project_gets_the_national_total_and_grade(session, clock, make, world):
    unit, _, admin, filler = world
    project = make.project(unit, state="evaluating", creator=filler)
    _indicators(session, project, NATIONAL_ROWS)
    evaluation = session.get(SelfEvaluation, project.id)
    evaluation.budget_initial, evaluation.budget_adjustment = Decimal(300), Decimal(100)
    evaluation.paid = Decimal(360)  # 全年执行数 360 of 全年预算数 400: 9 of 10 points
    session.commit()
    assert ops.score_sheet(session, project).template_key == "suzhou"
    _set(session, clock, admin, unit=unit, year=2026, template="national")
    sheet = ops.score_sheet(session, project)
    assert (sheet.template_key, sheet.template_title) == ("national", NATIONAL)
    assert [r.score for r in sheet.rows] == [50, 24, 10, 9]
    assert sheet.subtotals == {"产出": 50, "效益": 24, "满意度": 10, "预算执行率": 9}
    assert (sheet.total, sheet.points, sheet.grade, sheet.unscored) == (93, 100, "优", 0)


def test_categories_the_template_cannot_place_are_listed_unscored_never_dropped(
    session, clock, make, world
):
    unit, _, admin, filler = world
    project = make.project(unit, state="evaluating", creator=filler)
    _indicators(session, project, [("其他", "宣传覆盖率", "=100%", "100%"),
                                   ("产出", "培训参与人数", "=200人", "200人")])  # fmt: skip
    _set(session, clock, admin, year=2026, template="national")
    sheet = ops.score_sheet(session, project)
    # No 效益 or 满意度 indicator: their 40 points go to 产出 (50 + 40), as the template says.
    assert [(r.category, r.score, r.scored) for r in sheet.rows] == [
        ("其他", 0, False),
        ("产出", 90, True),
        ("预算执行率", 10, True),
    ]
    assert sheet.rows[0].reason == f"类别「其他」不属于评分模板「{NATIONAL}」，未计分"
    assert sheet.unscored == 1


def test_the_national_template_places_a_project_declared_on_suzhous_form(
    session, clock, make, world
):
    unit, _, admin, filler = world
    project = make.project(unit, state="evaluating", creator=filler)  # 预算 350, 支付 350
    _indicators(session, project, [("投入", "预算执行率", "=100%", "100%"),
                                   ("产出", "培训参与人数", "=200人", "160人"),
                                   ("结果", "隐患推送率", "≥95%", "76%"),
                                   ("影响力", "群众满意度", "≥90%", "81%")])  # fmt: skip
    _set(session, clock, admin, year=2026, template="national")
    sheet = ops.score_sheet(session, project)
    # 投入 → none: listed, not scored, no problem. 产出 50 × 80 % = 40; 结果 → 效益 30 × 80 % = 24;
    # 群众满意度 → 满意度 (by name) 10 × 90 % = 9; 预算执行率 350 ÷ 350 → 10. Total 83 → 良.
    assert [(r.category, r.weight, r.score, r.scored) for r in sheet.rows] == [
        ("投入", 0, 0, False),
        ("产出", 50, 40, True),
        ("效益", 30, 24, True),
        ("满意度", 10, 9, True),
        ("预算执行率", 10, 10, True),
    ]
    assert sheet.rows[0].reason == "本模板不按指标计分（预算执行率单独计分）"
    assert (sheet.total, sheet.grade, sheet.unscored) == (83, "良", 0)


def test_an_archived_evaluation_keeps_its_score_when_the_rules_change(session, clock, make, world):
    unit, _, admin, filler = world
    archived = make.project(unit, state="archived", creator=filler)
    open_ = make.project(unit, state="evaluating", creator=filler)
    rows = [("产出", "培训参与人数", "=200人", "180人"), ("结果", "隐患推送率", "≥95%", "95%")]
    _indicators(session, archived, rows)
    _indicators(session, open_, rows)
    before = ops.score_sheet(session, archived)
    assert (before.template_key, before.total) == ("suzhou", 24 * Decimal("0.5") + 22)

    rule = _set(session, clock, admin, unit=unit, template="national")
    session.rollback()
    assert session.get(SelfEvaluation, archived.id).scoring_template == "suzhou"  # recorded
    assert session.get(SelfEvaluation, open_.id).scoring_template is None  # still follows rules
    after = ops.score_sheet(session, archived)
    assert (after.template_key, after.total, after.grade) == ("suzhou", before.total, before.grade)
    assert ops.score_sheet(session, open_).template_key == "national"

    # A project archived under the national rule keeps it when the rule goes away.
    open_.state = "archived"
    session.commit()
    delete_template_choice(UnitOfWork(session), rule.id, actor=admin, now=clock.now())
    _set(session, clock, admin, year=2026, template="suzhou")
    assert ops.score_sheet(session, open_).template_key == "national"
    assert ops.score_sheet(session, archived).template_key == "suzhou"
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "delete_scoring_template")).one()  # fmt: skip
    assert '"closed_evaluations_recorded":1' in event.details
