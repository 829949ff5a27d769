"""Named guards: each returns the problems that block a transition (an empty list lets it pass)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from workflow.declaration.checks import declaration_problems
from workflow.declaration.models import Declaration
from workflow.errors import Problem
from workflow.evaluation.checks import (
    budget_problems,
    fund_items_of,
    indicator_problems,
    indicators_of,
)
from workflow.evaluation.models import EVALUATION_FIELDS, SelfEvaluation
from workflow.org.models import User
from workflow.projects.models import Project

if TYPE_CHECKING:
    from workflow.lifecycle.spec import TransitionSpec


@dataclass(frozen=True)
class GuardContext:
    session: Session
    actor: User
    transition: TransitionSpec
    now: dt.datetime


Guard = Callable[[Project, GuardContext], list[Problem]]
GUARDS: dict[str, Guard] = {}


def guard(name: str) -> Callable[[Guard], Guard]:
    """Register a guard under the name states.yaml uses."""

    def register(fn: Guard) -> Guard:
        GUARDS[name] = fn
        return fn

    return register


def run_guards(project: Project, ctx: GuardContext) -> list[Problem]:
    problems: list[Problem] = []
    for name in ctx.transition.guards:
        problems.extend(GUARDS[name](project, ctx))
    return problems


def _blank_fields(obj, fields) -> list[Problem]:
    return [
        Problem(f.name, f"「{f.label}」未填写")
        for f in fields
        if f.required and not (getattr(obj, f.name, "") or "").strip()
    ]


@guard("declaration_complete")
def declaration_complete(project: Project, ctx: GuardContext) -> list[Problem]:
    declaration = ctx.session.get(Declaration, project.id)
    if declaration is None:
        return [Problem("declaration", "尚未填写绩效目标申报表")]
    return declaration_problems(project, declaration)


@guard("milestones_confirmed")
def milestones_confirmed(project: Project, ctx: GuardContext) -> list[Problem]:
    if project.milestones_confirmed_at is None:
        return [Problem("milestones", "项目实施计划的里程碑尚未确认")]
    return []


@guard("evaluation_complete")
def evaluation_complete(project: Project, ctx: GuardContext) -> list[Problem]:
    evaluation = ctx.session.get(SelfEvaluation, project.id)
    if evaluation is None:
        return [Problem("evaluation", "尚未填写绩效自评表")]
    indicators = indicators_of(ctx.session, project)
    items = fund_items_of(ctx.session, project)
    return (
        budget_problems(evaluation, items)
        + indicator_problems(indicators)
        + _blank_fields(evaluation, EVALUATION_FIELDS)
    )


@guard("not_own_approval")
def not_own_approval(project: Project, ctx: GuardContext) -> list[Problem]:
    if ctx.actor.id == project.submitted_by_id:
        return [Problem("actor", "不能审核本人提交的内容，请由其他人员办理")]
    if ctx.actor.id == project.last_transition_by_id:
        return [Problem("actor", "不能审核本人上一步经办的内容，请由其他人员办理")]
    return []


@guard("own_submission")
def own_submission(project: Project, ctx: GuardContext) -> list[Problem]:
    if ctx.actor.id != project.submitted_by_id:
        return [Problem("actor", "只有提交人本人可以撤回")]
    return []
