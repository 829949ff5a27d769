"""What 绩效运行监控 plugs into the engine: the 监控表 as a subject with its own workflow
(states.yaml `workflows: monitoring`), and the guard that holds an incomplete table back."""

from __future__ import annotations

from workflow.errors import Problem
from workflow.lifecycle import items
from workflow.lifecycle.guards import GuardContext, guard
from workflow.lifecycle.hooks import subject
from workflow.monitoring import lights
from workflow.monitoring.models import MonitoringReport

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

    rules = lights.load_rules(report.round.rules)
    found = readings(report, rules, report.round.cutoff)
    return missing(report) + explanation_problems(report, rules, found)
