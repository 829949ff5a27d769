"""Opening a 绩效运行监控 round, and reading a 监控表's lights.

A 财政审核人 opens a round for a year's projects in a monitored state (states.yaml `monitored`),
optionally for some units only, among the projects they review. Each project gets its 监控表 in
the same transaction: the approved budget, 执行数 prefilled with the payments recorded by the
cut-off, and a row for each indicator of the approved yardstick (the 自评表's frozen copy). The
opening is audited. Lights follow from the round's rule file; they are stored on the rows so that
lists and the dashboard count them by index, and recomputed whenever the table is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.errors import InvalidInput, NotAllowed, Problem
from workflow.evaluation.models import EvaluationIndicator
from workflow.lifecycle.spec import LifecycleSpec
from workflow.milestones.models import Milestone
from workflow.monitoring import lights
from workflow.monitoring.models import (
    CAUSES,
    MonitoringIndicator,
    MonitoringReport,
    MonitoringRound,
    MonitoringRoundUnit,
)
from workflow.org import access
from workflow.org.models import Role, Unit, User
from workflow.projects.models import Project
from workflow.text import clean
from workflow.uow import UnitOfWork

NAME_MAX = 100
FIRST_STATE = "filling"  # 填报中 (the 监控表's own workflow comes with the pages)
#: The milestones whose payments count as executed budget by the cut-off.
PAYMENT_KINDS = ("payment", "warranty_release")


def open_round(
    uow: UnitOfWork, *, actor: User, name: str, year: int | None, cutoff: dt.date | None,
    due: dt.date | None, unit_ids: Iterable[int] = (), rules: str = lights.DEFAULT_RULES,
    spec: LifecycleSpec, now: dt.datetime, today: dt.date,
) -> MonitoringRound:  # fmt: skip
    """Open a round and make every 监控表 in its scope. NotAllowed unless the actor is an active
    财政审核人; InvalidInput with every reason, and nothing written, when it cannot open."""
    with uow:
        session = uow.session
        if not actor.is_active or Role.reviewer not in actor.roles:
            raise NotAllowed()
        name, units = clean(name), sorted(set(unit_ids))
        found = _problems(session, name, year, cutoff, due, units, rules, today)
        if found:
            raise InvalidInput(found)
        assert year is not None and cutoff is not None and due is not None
        projects = _scope(session, actor, spec, year, units)
        if not projects:
            where = "所选单位" if units else "您负责的单位"
            raise InvalidInput([Problem("scope", f"{where}没有 {year} 年度处于实施中的项目")])
        covered = [MonitoringRoundUnit(unit_id=u) for u in units]
        item = MonitoringRound(name=name, year=year, cutoff=cutoff, due=due, rules=rules,
                               opened_by_id=actor.id, opened_at=now, unit_rows=covered)  # fmt: skip
        session.add(item)
        session.flush()
        made = _make_reports(session, item, projects, now)
        chain.append(
            session, now=now, actor=actor, action="open_monitoring_round", label="开展绩效运行监控",
            details={"round_id": item.id, "name": name, "year": year,
                     "cutoff": cutoff.isoformat(), "due": due.isoformat(), "rules": rules,
                     "units": units, "reports": made},
        )  # fmt: skip
        uow.commit()
        return item


def _problems(session, name, year, cutoff, due, units, rules, today) -> list[Problem]:
    found = []
    if not name:
        found.append(Problem("name", "请填写监控名称，如「2027年1—7月绩效运行监控」"))
    elif len(name) > NAME_MAX:
        found.append(Problem("name", f"监控名称不能超过 {NAME_MAX} 字"))
    if year is None or not 2000 <= year <= 2100:
        found.append(Problem("year", "请填写项目年度（如 2027）"))
    if cutoff is None:
        found.append(Problem("cutoff", "请填写数据截止日期"))
    elif year is not None and cutoff.year != year:
        found.append(Problem("cutoff", f"数据截止日期应在 {year} 年内"))
    if due is None:
        found.append(Problem("due", "请填写填报截止日期"))
    elif due < today:
        found.append(Problem("due", "填报截止日期不能早于今天"))
    elif cutoff is not None and due < cutoff:
        found.append(Problem("due", "填报截止日期不能早于数据截止日期"))
    try:
        lights.load_rules(rules)
    except ValueError as error:
        found.append(Problem("rules", str(error)))
    known = session.scalars(select(Unit.id).where(Unit.id.in_(units))).all() if units else []
    if len(known) != len(units):
        found.append(Problem("units", "所选单位不存在"))
    if not found and session.scalar(
        select(MonitoringRound.id).where(MonitoringRound.year == year,
                                         MonitoringRound.name == name)
    ):  # fmt: skip
        found.append(Problem("name", f"{year} 年度已有名为「{name}」的监控"))
    return found


def _scope(session, actor, spec, year, units) -> list[Project]:
    """The year's projects in a monitored state that the opener reviews (and of these units)."""
    monitored = [n for n, s in spec.states.items() if s.monitored]
    query = access.visible_projects(actor, spec).where(
        Project.year == year, Project.state.in_(monitored)
    )
    if units:
        query = query.where(Project.unit_id.in_(units))
    return list(session.scalars(query.order_by(Project.unit_id, Project.id)))


def _make_reports(session: Session, item: MonitoringRound, projects, now) -> int:
    """Every 监控表 of the round, in a number of statements that does not grow with them: the
    figures read in two, the tables and their rows written in one bulk INSERT each."""
    ids = [p.id for p in projects]
    paid = dict(session.execute(
        select(Milestone.project_id, func.sum(Milestone.paid_amount))
        .where(Milestone.project_id.in_(ids), Milestone.kind.in_(PAYMENT_KINDS),
               Milestone.actual_date.is_not(None), Milestone.actual_date <= item.cutoff,
               Milestone.paid_amount.is_not(None))
        .group_by(Milestone.project_id)
    ).tuples().all())  # fmt: skip
    rows: dict[int, list[EvaluationIndicator]] = {}
    yardstick = select(EvaluationIndicator).where(EvaluationIndicator.project_id.in_(ids))
    for row in session.scalars(yardstick.order_by(EvaluationIndicator.position)):
        rows.setdefault(row.project_id, []).append(row)
    rules = lights.load_rules(item.rules)
    reports = []
    for project in projects:  # transient: read for their lights, then inserted in bulk
        report = MonitoringReport(
            round_id=item.id, project_id=project.id, state=FIRST_STATE, budget=project.amount,
            executed=paid.get(project.id), version=1, created_at=now, updated_at=now,
            cause="", explanation="", measures="",
            rows=[MonitoringIndicator(position=n, category=r.category, name=r.name,
                                      target=r.target, direction=r.direction, actual="",
                                      forecast="", likelihood="", cause="", explanation="",
                                      measures="")
                  for n, r in enumerate(rows.get(project.id, []))],
        )  # fmt: skip
        relight(report, rules, item.cutoff)
        reports.append(report)
    if not reports:
        return 0
    report_columns = ("round_id", "project_id", "state", "budget", "executed", "forecast",
                      "cause", "explanation", "measures", "light", "version", "created_at",
                      "updated_at")  # fmt: skip
    made = session.execute(
        insert(MonitoringReport).returning(MonitoringReport.id, MonitoringReport.project_id),
        [{c: getattr(r, c) for c in report_columns} for r in reports],
    ).all()
    ids = {project_id: report_id for report_id, project_id in made}
    row_columns = ("position", "category", "name", "target", "direction", "actual", "forecast",
                   "likelihood", "cause", "explanation", "measures", "light")  # fmt: skip
    indicator_rows = [{"report_id": ids[r.project_id], **{c: getattr(x, c) for c in row_columns}}
                      for r in reports for x in r.rows]  # fmt: skip
    if indicator_rows:
        session.execute(insert(MonitoringIndicator), indicator_rows)
    return len(reports)


def relight(report: MonitoringReport, rules: lights.LightRules, cutoff: dt.date) -> list:
    """Compute the lights of a 监控表 from its figures (the rows' and the project's, the worst
    of all); the readings, budget first, for the page to explain them."""
    budget = lights.budget_light(rules, report.budget, report.executed, cutoff)
    readings = [budget]
    for row in report.rows:
        reading = lights.indicator_light(
            rules, name=row.name, target=row.target, direction=row.direction, actual=row.actual,
            forecast=row.forecast, likelihood=row.likelihood, cutoff=cutoff,
        )  # fmt: skip
        row.light = reading.light.value if reading.light else None
        readings.append(reading)
    light = lights.worst(r.light for r in readings)
    report.light = light.value if light else None
    return readings


def explanation_problems(report: MonitoringReport, rules: lights.LightRules, readings) -> list:
    """What a 监控表 lacks before it can be submitted: each light the rules want explained
    needs a 偏差原因 (in a standard category) with its explanation, and 纠偏措施."""
    found = []
    budget, *rows = readings
    if rules.needs_explanation(budget.light) and not _explained(report):
        found.append(
            Problem("budget", f"预算执行为{budget.label}，请填写偏差原因、具体说明和纠偏措施")
        )
    for n, (row, reading) in enumerate(zip(report.rows, rows, strict=True), start=1):
        if rules.needs_explanation(reading.light) and not _explained(row):
            found.append(Problem(f"row-{n}", f"第{n}项指标「{row.name}」为{reading.label}，"
                                             "请填写偏差原因、具体说明和纠偏措施"))  # fmt: skip
    return found


def _explained(item) -> bool:
    """A 偏差原因 of a standard category, its explanation and the 纠偏措施 are all given."""
    return item.cause in CAUSES and bool(item.explanation.strip() and item.measures.strip())
