"""评分模板规则: which scoring template scores a project.

The admin chooses a shipped template for a unit, for a year, or for a unit in a year; the most
specific rule wins (unit + year > unit > year), and without one the default (Suzhou) template
scores. A closed project (one in a state with no way out: 已归档) keeps the template that scored
it when it closed: before any rule changes, every closed evaluation that still follows the rules
has the template they give it recorded on its SelfEvaluation (`scoring_template`), so a later rule
never rescores an archived evaluation. Only the template's name is recorded: editing a shipped
YAML file changes every score it gives, archived ones included (add a new file for a new rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.declaration.checks import MAX_YEAR, MIN_YEAR
from workflow.errors import InvalidInput, NotAllowed, NotFound, Problem
from workflow.evaluation.models import ScoringTemplateChoice, SelfEvaluation
from workflow.evaluation.templates import (
    DEFAULT_TEMPLATE,
    ScoringTemplate,
    available_templates,
    load_template,
)
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.lifecycle.spec import LifecycleSpec
from workflow.org.models import Role, Unit, User
from workflow.projects.models import Project
from workflow.text import clean
from workflow.uow import UnitOfWork

__all__ = [
    "choices",
    "delete_template_choice",
    "freeze_closed",
    "resolve",
    "set_template_choice",
    "template_for",
    "template_name_for",
]


def resolve(rules: Iterable[ScoringTemplateChoice], unit_id: int, year: int) -> str:
    """The template the rules give a project of `unit_id` and `year`: most specific wins."""
    best, best_rank = DEFAULT_TEMPLATE, 0
    for rule in rules:
        if rule.unit_id not in (None, unit_id) or rule.year not in (None, year):
            continue
        rank = (2 if rule.unit_id is not None else 0) + (1 if rule.year is not None else 0)
        if rank > best_rank:
            best, best_rank = rule.template, rank
    return best


def template_name_for(session: Session, project: Project) -> str:
    """The template scoring `project`: the one recorded when it closed, else the rules'."""
    evaluation = session.get(SelfEvaluation, project.id)
    if evaluation is not None and evaluation.scoring_template:
        return evaluation.scoring_template
    query = select(ScoringTemplateChoice).where(
        ScoringTemplateChoice.unit_id.is_(None)
        | (ScoringTemplateChoice.unit_id == project.unit_id),
        ScoringTemplateChoice.year.is_(None) | (ScoringTemplateChoice.year == project.year),
    )
    return resolve(session.scalars(query), project.unit_id, project.year)


def template_for(session: Session, project: Project) -> ScoringTemplate:
    """The scoring template (rules and Chinese title) that scores `project`."""
    return load_template(template_name_for(session, project))


def choices(session: Session) -> list[ScoringTemplateChoice]:
    """Every rule, by year (rules for all years last), then unit."""
    rules = session.scalars(select(ScoringTemplateChoice)).all()
    return sorted(rules, key=lambda r: (r.year is None, -(r.year or 0), r.unit_id is not None,
                                        r.unit.code if r.unit else ""))  # fmt: skip


def freeze_closed(session: Session, spec: LifecycleSpec) -> int:
    """Record, on every closed project's evaluation that still follows the rules, the template
    the rules give it now. Called before the rules change; returns how many were recorded."""
    closed = [s for s in spec.states if not spec.transitions_from(s)]
    rows = session.execute(
        select(SelfEvaluation, Project)
        .join(Project, Project.id == SelfEvaluation.project_id)
        .where(Project.state.in_(closed), SelfEvaluation.scoring_template.is_(None))
    ).all()
    rules = session.scalars(select(ScoringTemplateChoice)).all()
    for evaluation, project in rows:
        evaluation.scoring_template = resolve(rules, project.unit_id, project.year)
    return len(rows)


def set_template_choice(
    uow: UnitOfWork,
    *,
    unit_id: int | None,
    year: int | str | None,
    template: str,
    actor: User | None,
    now: dt.datetime,
    lifecycle: Lifecycle | None = None,
) -> ScoringTemplateChoice:
    """Add a rule: projects of this unit and/or year are scored by `template` (a shipped file
    stem). One rule per unit, per year and per unit and year; closed projects keep theirs."""
    lc = lifecycle or get_lifecycle()
    with uow:
        session = uow.session
        _require_admin(actor)
        unit, year, template = _checked(session, unit_id, year, template)
        frozen = freeze_closed(session, lc.spec)
        rule = ScoringTemplateChoice(
            unit_id=unit.id if unit else None, year=year, template=template,
            set_by_id=actor.id if actor else None, set_at=now,
        )  # fmt: skip
        session.add(rule)
        duplicate = _duplicate(unit, year)  # a failed flush expires `unit`: word it before
        try:
            session.flush()
        except IntegrityError:  # another admin added the same rule a moment ago (PostgreSQL)
            raise InvalidInput([duplicate]) from None
        _audit(session, actor, now, "set_scoring_template", "设置评分模板", rule, frozen)
        uow.commit()
        return rule


def delete_template_choice(
    uow: UnitOfWork,
    choice_id: int,
    *,
    actor: User | None,
    now: dt.datetime,
    lifecycle: Lifecycle | None = None,
) -> None:
    """Remove a rule; its projects fall back to the next less specific rule (or the default)."""
    lc = lifecycle or get_lifecycle()
    with uow:
        session = uow.session
        _require_admin(actor)
        rule = session.get(ScoringTemplateChoice, choice_id)
        if rule is None:
            raise NotFound("该评分模板规则不存在或已被删除")
        frozen = freeze_closed(session, lc.spec)
        _audit(session, actor, now, "delete_scoring_template", "删除评分模板", rule, frozen)
        session.delete(rule)
        uow.commit()


def _checked(session: Session, unit_id, year, template) -> tuple[Unit | None, int | None, str]:
    problems = []
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit_id is not None and unit is None:
        problems.append(Problem("unit_id", "所选单位不存在"))
    year, year_problem = _year(year)
    problems += year_problem
    template = clean(template)
    names = {t.key for t in available_templates()}
    if template not in names:
        message = "请选择评分模板" if not template else f"评分模板「{template[:64]}」不存在"
        problems.append(Problem("template", message))
    if unit_id is None and year is None and not year_problem:
        default = load_template(DEFAULT_TEMPLATE).label
        message = f"请选择单位或年度（都不选时，所有项目按默认的「{default}」评分）"
        problems.append(Problem("unit_id", message))
    if not problems and _exists(session, unit, year):
        problems.append(_duplicate(unit, year))
    if problems:
        raise InvalidInput(problems)
    return unit, year, template


def _year(raw: int | str | None) -> tuple[int | None, list[Problem]]:
    text = raw if isinstance(raw, int) else clean(raw)
    if text == "":
        return None, []
    if isinstance(text, str) and not (text.isascii() and text.isdigit() and len(text) <= 4):
        text = -1
    if not MIN_YEAR <= int(text) <= MAX_YEAR:
        return None, [Problem("year", f"「年度」应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份")]
    return int(text), []


def _exists(session: Session, unit: Unit | None, year: int | None) -> bool:
    query = select(ScoringTemplateChoice.id).where(
        ScoringTemplateChoice.unit_id.is_(None)
        if unit is None
        else ScoringTemplateChoice.unit_id == unit.id,
        ScoringTemplateChoice.year.is_(None)
        if year is None
        else ScoringTemplateChoice.year == year,
    )
    return session.scalar(query) is not None


def _duplicate(unit: Unit | None, year: int | None) -> Problem:
    scope = (
        f"「{unit.name}」{year}年度" if unit and year
        else f"「{unit.name}」（所有年度）" if unit
        else f"{year}年度（所有单位）"
    )  # fmt: skip
    return Problem("unit_id", f"{scope}已有评分模板规则；如需更改，请先删除原规则")


def _require_admin(actor: User | None) -> None:
    # actor None: the command line, run by whoever operates the server.
    if actor is not None and not (actor.is_active and actor.has_role(Role.admin)):
        raise NotAllowed()


def _audit(session, actor, now, action, label, rule: ScoringTemplateChoice, frozen: int) -> None:
    chain.append(
        session, now=now, actor=actor, action=action, label=label,
        details={
            "choice_id": rule.id, "unit_id": rule.unit_id, "year": rule.year,
            "template": rule.template, "closed_evaluations_recorded": frozen,
        },
    )  # fmt: skip
