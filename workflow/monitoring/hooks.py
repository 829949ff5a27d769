"""What 绩效运行监控 plugs into the engine: the 监控表 as a subject with its own workflow
(states.yaml `workflows: monitoring`), the guard that holds an incomplete table back, and the
reminders of the tables not yet submitted as their round's due date nears and passes."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workflow.clock import CHINA
from workflow.errors import Problem
from workflow.lifecycle import items
from workflow.lifecycle.guards import GuardContext, guard
from workflow.lifecycle.hooks import subject
from workflow.lifecycle.spec import LifecycleSpec
from workflow.monitoring import lights
from workflow.monitoring.models import MonitoringReport, MonitoringRound
from workflow.notify import reminders
from workflow.projects.models import Project

SUBJECT = "monitoring_report"
subject(SUBJECT, "监控表")
KIND = items.register(
    items.Kind(
        SUBJECT,
        "monitoring",
        "监控表",
        MonitoringReport,
        lambda report: f"/monitoring/reports/{report.id}",
    )  # fmt: skip
)


@guard("monitoring_complete", subjects=(SUBJECT,))
def monitoring_complete(report: MonitoringReport, ctx: GuardContext) -> list[Problem]:
    """Every figure the table asks for is given, and every light the round's rules want
    explained has its 偏差原因, explanation and 纠偏措施."""
    from workflow.monitoring.operations import explanation_problems, missing, readings

    rules = lights.load_rules(report.rules)
    found = readings(report, rules, report.round.cutoff)
    return missing(report) + explanation_problems(report, rules, found)


def _unsubmitted(spec: LifecycleSpec):
    """The 监控表 still with their unit's 填报人 (a state their workflow marks editable)."""
    flow = spec.workflows.get(KIND.workflow)
    states = [n for n, s in flow.states.items() if s.editable] if flow is not None else []
    return MonitoringReport.state.in_(states)


def _reminded(session: Session, spec: LifecycleSpec, ranges) -> list[reminders.Target]:
    """Each unit with 监控表 of a round not yet submitted, whose due date is in the ranges of a
    reminder run: one reminder for the unit's 填报人 (not one per project), saying how many are
    left; one grouped query on the rounds' due dates."""
    if not ranges or KIND.workflow not in spec.workflows:
        return []
    rows = session.execute(
        select(MonitoringRound.id, MonitoringRound.name, MonitoringRound.due,
               MonitoringRound.opened_at, Project.unit_id, func.count(), func.min(Project.id))
        .join(MonitoringReport, MonitoringReport.round_id == MonitoringRound.id)
        .join(Project, Project.id == MonitoringReport.project_id)
        .where(_unsubmitted(spec),
               or_(*(MonitoringRound.due.between(low, high) for low, high in ranges)))
        .group_by(MonitoringRound.id, MonitoringRound.name, MonitoringRound.due,
                  MonitoringRound.opened_at, Project.unit_id)
        .order_by(MonitoringRound.id, Project.unit_id)
    ).all()  # fmt: skip
    if not rows:
        return []
    anchors = {p.id: p for p in session.scalars(select(Project).where(
        Project.id.in_(sorted({row[-1] for row in rows}))))}  # fmt: skip
    return [
        reminders.Target(
            f"monitoring:{round_id}:{unit_id}", anchors[first], None,
            f"填报「{name}」监控表（本单位尚有 {left} 份未提交）", due,
            opened_at.astimezone(CHINA).date(), path=f"/monitoring?round={round_id}",
            action="请按期填写并提交监控表，经单位负责人审核后报送财政。",
        )
        for round_id, name, due, opened_at, unit_id, left, first in rows
    ]  # fmt: skip


def _oldest(spec: LifecycleSpec):
    return (
        select(func.min(MonitoringRound.due))
        .join(MonitoringReport, MonitoringReport.round_id == MonitoringRound.id)
        .where(_unsubmitted(spec))
    )


reminders.target_source(_reminded, _oldest)
