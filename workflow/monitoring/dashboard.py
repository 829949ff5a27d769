"""The finance dashboard's figures: for a round, the 监控表 by light (counts and amounts), by unit
(execution against time elapsed, lights, what is still with the unit), the units that have not
sent everything, and the 质保金 releases due in the next 90 days, among the projects the viewer
reviews. A fixed number of grouped statements, whatever the number of projects; every figure is
the sum of the rows it stands for (the tests compute both)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, func, select, true
from sqlalchemy.orm import Session

from workflow.evaluation.models import SelfEvaluation
from workflow.evaluation.operations import signed_states
from workflow.evaluation.templates import available_templates
from workflow.lifecycle.spec import LifecycleSpec
from workflow.milestones.models import Milestone
from workflow.monitoring import lights
from workflow.monitoring.models import MonitoringReport, MonitoringRound
from workflow.org import access
from workflow.org.models import Role, Unit, User
from workflow.projects.models import Project

LIGHTS = ("red", "yellow", "green", "blue")
RELEASE_DAYS = 90
RELEASES_LISTED = 200


@dataclass
class LightRow:
    light: str  # a Light's value, or "none" for a table not yet lit
    count: int = 0
    budget: Decimal = Decimal(0)


@dataclass
class UnitRow:
    unit_id: int
    name: str
    total: int = 0
    sent: int = 0  # reached finance (a finance_visible state)
    budget: Decimal = Decimal(0)
    executed: Decimal = Decimal(0)
    lights: dict[str, int] = field(default_factory=dict)  # of those sent

    @property
    def waiting(self) -> int:
        return self.total - self.sent

    @property
    def rate(self) -> Decimal | None:
        """执行率 of the unit's tables, percent (None without a budget)."""
        return self.executed / self.budget * 100 if self.budget else None


@dataclass
class GradeRow:
    """The signed 自评表 of the year given one grade: how many, and the sums of their scores and
    of their templates' 总分 (templates differ: 80 points in Suzhou's, 100 in the national)."""

    grade: str
    count: int = 0
    score_sum: Decimal = Decimal(0)
    points_sum: Decimal = Decimal(0)

    @property
    def rate(self) -> Decimal | None:
        """平均得分率: the scores as a percent of what they could have been, percent."""
        return self.score_sum / self.points_sum * 100 if self.points_sum else None


@dataclass(frozen=True)
class Release:
    project_id: int
    project_name: str
    unit_name: str
    title: str
    deadline: dt.date
    amount: Decimal | None


@dataclass(frozen=True)
class Dashboard:
    year: int
    rounds: list[MonitoringRound]
    chosen: MonitoringRound | None
    time_share: Decimal | None  # of the chosen round's cut-off, percent
    by_light: list[LightRow]
    by_unit: list[UnitRow]
    releases: list[Release]
    release_count: int
    release_amount: Decimal
    grades: list[GradeRow] = field(default_factory=list)

    @property
    def graded(self) -> int:
        return sum(g.count for g in self.grades)

    @property
    def total(self) -> int:
        return sum(u.total for u in self.by_unit)

    @property
    def sent(self) -> int:
        return sum(u.sent for u in self.by_unit)

    @property
    def budget(self) -> Decimal:
        return sum((u.budget for u in self.by_unit), Decimal(0))

    @property
    def executed(self) -> Decimal:
        return sum((u.executed for u in self.by_unit), Decimal(0))

    @property
    def rate(self) -> Decimal | None:
        return self.executed / self.budget * 100 if self.budget else None

    @property
    def unsent_units(self) -> list[UnitRow]:
        return [u for u in self.by_unit if u.waiting]


def may_view(user: User) -> bool:
    """財政审核人, and the 系统管理员 read-only (figures, not the projects behind them)."""
    return user.is_active and bool(user.roles & {Role.reviewer, Role.admin})


def _scope(user: User, spec: LifecycleSpec):
    """The projects whose figures the viewer sees: a reviewer's own units; the admin's all."""
    if Role.reviewer in user.roles:
        return access.visible_projects(user, spec).whereclause
    return true()


def dashboard(session: Session, user: User, spec: LifecycleSpec, *, year: int,
              round_id: int | None, today: dt.date) -> Dashboard:  # fmt: skip
    rounds = list(session.scalars(
        select(MonitoringRound).where(MonitoringRound.year == year)
        .order_by(MonitoringRound.cutoff.desc(), MonitoringRound.id.desc())
    ))  # fmt: skip
    chosen = next((r for r in rounds if r.id == round_id), rounds[0] if rounds else None)
    flow = spec.workflows.get("monitoring")
    sent_states = [n for n, s in flow.states.items() if s.finance_visible] if flow else []
    by_light = {light: LightRow(light) for light in (*LIGHTS, "none")}
    units: dict[int, UnitRow] = {}
    if chosen is not None:
        rows = session.execute(
            select(Project.unit_id, Unit.name, MonitoringReport.state, MonitoringReport.light,
                   func.count(), func.sum(MonitoringReport.budget),
                   func.sum(MonitoringReport.executed))
            .join(Project, Project.id == MonitoringReport.project_id)
            .join(Unit, Unit.id == Project.unit_id)
            .where(MonitoringReport.round_id == chosen.id, _scope(user, spec))
            .group_by(Project.unit_id, Unit.name, MonitoringReport.state, MonitoringReport.light)
        ).all()  # fmt: skip
        for unit_id, name, state, light, count, budget, executed in rows:
            unit = units.setdefault(unit_id, UnitRow(unit_id, name))
            budget, executed = _wan(budget), _wan(executed)
            unit.total += count
            if state in sent_states:
                key = light if light in LIGHTS else "none"
                unit.sent += count
                unit.budget += budget
                unit.executed += executed
                unit.lights[key] = unit.lights.get(key, 0) + count
                by_light[key].count += count
                by_light[key].budget += budget
    releases, release_count, release_amount = _releases(session, user, spec, today)
    return Dashboard(
        grades=_grades(session, user, spec, year),
        year=year, rounds=rounds, chosen=chosen,
        time_share=lights.time_share(chosen.cutoff) if chosen else None,
        by_light=list(by_light.values()),
        by_unit=sorted(units.values(), key=lambda u: (-u.budget, u.name)),
        releases=releases, release_count=release_count, release_amount=release_amount,
    )  # fmt: skip


def _wan(total: Decimal | None) -> Decimal:
    """A SUM over a Money column, in 万元 (the column's type reads it); nothing summed is 0."""
    return total if total is not None else Decimal(0)


def _releases(session, user, spec, today) -> tuple[list[Release], int, Decimal]:
    """质保金 releases not yet recorded whose deadline is within the next 90 days, the nearest
    first: counted and summed in one statement, the first RELEASES_LISTED listed in another."""
    due = (
        select(Milestone, Project.name, Unit.name)
        .join(Project, Project.id == Milestone.project_id)
        .join(Unit, Unit.id == Project.unit_id)
        .where(Milestone.kind == "warranty_release", Milestone.actual_date.is_(None),
               Milestone.deadline.between(today, today + dt.timedelta(days=RELEASE_DAYS)),
               _scope(user, spec))
    )  # fmt: skip
    count, amount = session.execute(
        due.with_only_columns(func.count(), func.sum(Milestone.amount)).order_by(None)
    ).one()  # fmt: skip
    listed = [
        Release(m.project_id, project_name, unit_name, m.title, m.deadline, m.amount)
        for m, project_name, unit_name in session.execute(
            due.order_by(Milestone.deadline, Milestone.id).limit(RELEASES_LISTED))
    ]  # fmt: skip
    return listed, count, _wan(amount)


def grade_order() -> list[str]:
    """Grades as the shipped templates rank them, the default template's first (优 良 中 差)."""
    ordered: list[str] = []
    for template in available_templates():  # the default first
        ordered += [b.grade for b in template.total_grades if b.grade not in ordered]
    return ordered


def _grades(session, user, spec, year) -> list[GradeRow]:
    """The year's 自评表 signed by their units, by the grade recorded when signed: one grouped
    statement. Every grade the templates know is listed, with 0 where none has it."""
    rows = {g: GradeRow(g) for g in grade_order()}
    for grade, count, total, points in session.execute(
        select(SelfEvaluation.grade, func.count(), func.sum(SelfEvaluation.score),
               func.sum(SelfEvaluation.score_points))
        .join(Project, Project.id == SelfEvaluation.project_id)
        .where(Project.year == year, SelfEvaluation.grade.is_not(None),
               Project.state.in_(signed_states(spec)), _scope(user, spec))
        .group_by(SelfEvaluation.grade)
    ):  # fmt: skip
        row = rows.setdefault(grade, GradeRow(grade))
        row.count, row.score_sum, row.points_sum = count, total or Decimal(0), points or Decimal(0)
    return list(rows.values())


FLAGGED_LISTED = 300  # red and yellow tables listed in a round's report; the rest are counted


@dataclass(frozen=True)
class Flagged:
    """A 监控表 sent to finance with a red or yellow light, as the round's report lists it."""

    report: MonitoringReport
    project_name: str
    unit_name: str

    @property
    def deviations(self) -> list[tuple[str, str | None, object]]:
        """What went off course, each with its 偏差原因 and 纠偏措施: the budget's execution
        (when explained) and every red or yellow indicator, as (label, its light, the row)."""
        report = self.report
        found: list[tuple[str, str | None, object]] = []
        if report.cause or report.explanation or report.measures:
            found.append(("预算执行", None, report))
        found += [(row.name, row.light, row) for row in report.rows
                  if row.light in ("red", "yellow")]  # fmt: skip
        return found


def flagged(session: Session, user: User, spec: LifecycleSpec,
            chosen: MonitoringRound) -> list[Flagged]:  # fmt: skip
    """The round's red, then yellow, 监控表 that reached finance, by unit and project: one
    statement, at most FLAGGED_LISTED (the light counts above give the whole number)."""
    flow = spec.workflows.get("monitoring")
    sent_states = [n for n, s in flow.states.items() if s.finance_visible] if flow else []
    worst_first = case({"red": 0, "yellow": 1}, value=MonitoringReport.light, else_=2)
    return [
        Flagged(report, project_name, unit_name)
        for report, project_name, unit_name in session.execute(
            select(MonitoringReport, Project.name, Unit.name)
            .join(Project, Project.id == MonitoringReport.project_id)
            .join(Unit, Unit.id == Project.unit_id)
            .where(MonitoringReport.round_id == chosen.id,
                   MonitoringReport.light.in_(("red", "yellow")),
                   MonitoringReport.state.in_(sent_states), _scope(user, spec))
            .order_by(worst_first, Unit.name, Project.name, MonitoringReport.id)
            .limit(FLAGGED_LISTED)
        )
    ]  # fmt: skip
