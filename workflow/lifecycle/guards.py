"""Named guards: each returns the problems that block a transition (an empty list lets it pass)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from workflow.declaration.models import DECLARATION_FIELDS, Declaration
from workflow.errors import Problem
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


MIN_YEAR, MAX_YEAR = 2000, 2100
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,5})?")
_PHONE_CANDIDATE = re.compile(r"[\d][\d-]*\d")


def phone_problems(text: str) -> list[str]:
    """Messages for each implausible number in a phone field such as 「李明：13404236559」."""
    numbers = _PHONE_CANDIDATE.findall(text)
    if not numbers:
        return ["未填写有效的联系电话"]
    return [
        f"电话号码「{n}」格式不正确（手机号11位，或带区号的固定电话）"
        for n in numbers
        if not (_MOBILE.fullmatch(n) or _LANDLINE.fullmatch(n))
    ]


def _blank_fields(obj, fields) -> list[Problem]:
    return [
        Problem(f.name, f"「{f.label}」未填写")
        for f in fields
        if f.required and not (getattr(obj, f.name, "") or "").strip()
    ]


@guard("declaration_complete")
def declaration_complete(project: Project, ctx: GuardContext) -> list[Problem]:
    problems: list[Problem] = []
    if not (project.name or "").strip():
        problems.append(Problem("name", "「项目名称」未填写"))
    if not MIN_YEAR <= project.year <= MAX_YEAR:
        problems.append(Problem("year", f"「项目年度」应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份"))
    if project.amount is None or project.amount <= 0:
        problems.append(Problem("amount", "「申报金额」应大于0"))
    declaration = ctx.session.get(Declaration, project.id)
    if declaration is None:
        return [*problems, Problem("declaration", "尚未填写绩效目标申报表")]
    problems.extend(_blank_fields(declaration, DECLARATION_FIELDS))
    if (declaration.phones or "").strip():
        problems.extend(Problem("phones", m) for m in phone_problems(declaration.phones))
    return problems


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
    return _blank_fields(evaluation, EVALUATION_FIELDS)


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
