"""The finance dashboard's figures: for a round, the 监控表 by light (counts and amounts), by unit
(execution against time elapsed, lights, what is still with the unit), the units that have not
sent everything, and the 质保金 releases due in the next 90 days, among the projects the viewer
reviews. A fixed number of grouped statements, whatever the number of projects; every figure is
the sum of the rows it stands for (the tests compute both)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

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
