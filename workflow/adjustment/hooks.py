"""What 绩效目标调整 plugs into the engine: the proposal as a subject with its own workflow
(states.yaml `workflows: adjustment`), the guards that hold back an incomplete, late or outdated
proposal, and the effect that applies an approved one to the yardstick."""

from __future__ import annotations

from workflow.adjustment import operations as ops
from workflow.adjustment.models import TargetAdjustment
from workflow.clock import CHINA
from workflow.errors import Problem
from workflow.lifecycle import items
from workflow.lifecycle.guards import GuardContext, guard
from workflow.lifecycle.hooks import TransitionContext, effect, subject
from workflow.lifecycle.machine import get_lifecycle

SUBJECT = "target_adjustment"
subject(SUBJECT, "绩效目标调整申请")
KIND = items.register(
    items.Kind(
        SUBJECT, ops.WORKFLOW, "调整申请", TargetAdjustment, lambda item: f"/adjustments/{item.id}"
    )  # fmt: skip
)


@guard("adjustment_complete", subjects=(SUBJECT,))
def adjustment_complete(item: TargetAdjustment, ctx: GuardContext) -> list[Problem]:
    return ops.completeness(item)


@guard("adjustment_in_time", subjects=(SUBJECT,))
def adjustment_in_time(item: TargetAdjustment, ctx: GuardContext) -> list[Problem]:
    """Proposed while the project is being implemented, by the year's deadline."""
    spec = ctx.lifecycle or get_lifecycle().spec
    today = ctx.now.astimezone(CHINA).date()
    return ops.timing_problems(ctx.session, item.project, spec, today)


@guard("adjustment_current", subjects=(SUBJECT,))
def adjustment_current(item: TargetAdjustment, ctx: GuardContext) -> list[Problem]:
    """Drafted against the version still current: an approval in between would be undone."""
    if item.base_number != ops.current_number(ctx.session, item.project):
        return [
            Problem("base", "绩效目标已有新的批复版本，本申请所依据的版本已过时，请退回重新拟订")
        ]
    return []


@effect("apply_adjustment", subjects=(SUBJECT,))
def apply_adjustment(ctx: TransitionContext) -> dict:
    return ops.apply(ctx.session, ctx.item, actor=ctx.actor, now=ctx.now)
