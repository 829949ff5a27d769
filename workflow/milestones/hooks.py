"""The milestones' part in the lifecycle: proposed from the 项目实施计划 when finance approves,
and confirmed by the unit before implementation may start."""

from __future__ import annotations

from workflow.errors import Problem
from workflow.lifecycle.guards import GuardContext, guard
from workflow.lifecycle.hooks import TransitionContext, effect
from workflow.milestones.operations import milestones_of, propose_for
from workflow.projects.models import Project


@guard("milestones_confirmed")
def milestones_confirmed(project: Project, ctx: GuardContext) -> list[Problem]:
    if project.milestones_confirmed_at is None:
        return [Problem("milestones", "项目实施计划的里程碑尚未确认")]
    return []


@effect("propose_milestones")
def propose_milestones(ctx: TransitionContext) -> None:
    if not milestones_of(ctx.session, ctx.project):
        propose_for(ctx.session, ctx.project)
