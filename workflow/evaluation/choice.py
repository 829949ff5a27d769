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

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import scoped_rules
from workflow.evaluation.models import ScoringTemplateChoice, SelfEvaluation
from workflow.evaluation.templates import (
    DEFAULT_TEMPLATE,
    ScoringTemplate,
    available_templates,
    load_template,
)
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.lifecycle.spec import LifecycleSpec
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

__all__ = [
    "SCORING",
    "choices",
    "delete_template_choice",
    "freeze_closed",
    "resolve",
    "set_template_choice",
    "template_for",
    "template_name_for",
]

SCORING = scoped_rules.RuleKind(
    model=ScoringTemplateChoice, field="template", noun="评分模板", rule="评分模板规则",
    default=DEFAULT_TEMPLATE,
    files=lambda: {t.key: t.label for t in available_templates()}, without="评分",
    actions=("set_scoring_template", "delete_scoring_template"),
)  # fmt: skip


def resolve(rules, unit_id: int, year: int) -> str:
    """The template the rules give a project of `unit_id` and `year`: most specific wins."""
    return scoped_rules.resolve(rules, unit_id, year, DEFAULT_TEMPLATE)


def template_name_for(session: Session, project: Project) -> str:
    """The template scoring `project`: the one recorded when it closed, else the rules'."""
    evaluation = session.get(SelfEvaluation, project.id)
    if evaluation is not None and evaluation.scoring_template:
        return evaluation.scoring_template
    rules = scoped_rules.applying(session, SCORING, project.unit_id, project.year)
    return resolve(rules, project.unit_id, project.year)


def template_for(session: Session, project: Project) -> ScoringTemplate:
    """The scoring template (rules and Chinese title) that scores `project`."""
    return load_template(template_name_for(session, project))


def choices(session: Session) -> list[ScoringTemplateChoice]:
    """Every rule, by year (rules for all years last), then unit."""
    return scoped_rules.ordered(session, SCORING)


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
    stem). One rule per unit, per year and per unit and year; closed projects keep theirs, and
    the signed 自评表 the rule now scores otherwise get their recorded grade again."""
    lc = lifecycle or get_lifecycle()
    with uow:
        session = uow.session
        scoped_rules.require_admin(actor)
        frozen = freeze_closed(session, lc.spec)
        rule = scoped_rules.add(session, SCORING, unit_id=unit_id, year=year, name=template,
                                actor=actor, now=now)  # fmt: skip
        _rescore(session, lc.spec)
        scoped_rules.audit(session, SCORING, rule, deleting=False, actor=actor, now=now,
                           closed_evaluations_recorded=frozen)  # fmt: skip
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
        rule = scoped_rules.find(session, SCORING, choice_id, actor)
        frozen = freeze_closed(session, lc.spec)
        scoped_rules.audit(session, SCORING, rule, deleting=True, actor=actor, now=now,
                           closed_evaluations_recorded=frozen)  # fmt: skip
        session.delete(rule)
        session.flush()
        _rescore(session, lc.spec)
        uow.commit()


def _rescore(session: Session, spec: LifecycleSpec) -> None:
    """The signed 自评表 the changed rules now score otherwise get their recorded grade again."""
    from workflow.evaluation.operations import rescore_signed  # it scores with template_for

    rescore_signed(session, spec)
