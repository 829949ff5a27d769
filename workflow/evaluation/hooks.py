"""The self-evaluation's part in the lifecycle: its completeness guard, the approved yardstick
frozen when finance approves, and the 自评表 opened when evaluation begins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import Problem
from workflow.evaluation.checks import fund_items_of, indicators_of, submission_problems
from workflow.evaluation.models import (
    EvaluationFundItem,
    EvaluationIndicator,
    SelfEvaluation,
)
from workflow.evaluation.operations import clear_score, freeze_approved, record_score
from workflow.lifecycle.guards import GuardContext, guard
from workflow.lifecycle.hooks import TransitionContext, effect
from workflow.projects.models import Project


@dataclass
class _Rows:
    evaluation: SelfEvaluation | None = None
    indicators: list[EvaluationIndicator] = field(default_factory=list)
    items: list[EvaluationFundItem] = field(default_factory=list)


def _rows(session: Session, projects: Sequence[Project]) -> dict[int, _Rows]:
    """The 自评表 of many projects in three queries."""
    ids = [p.id for p in projects]
    rows = {i: _Rows() for i in ids}
    for evaluation in session.scalars(
        select(SelfEvaluation).where(SelfEvaluation.project_id.in_(ids))
    ):
        rows[evaluation.project_id].evaluation = evaluation
    for model, attr in ((EvaluationIndicator, "indicators"), (EvaluationFundItem, "items")):
        query = select(model).where(model.project_id.in_(ids)).order_by(model.position)
        for row in session.scalars(query):
            getattr(rows[row.project_id], attr).append(row)
    return rows


@guard("evaluation_complete", preload=_rows)
def evaluation_complete(project: Project, ctx: GuardContext) -> list[Problem]:
    rows = ctx.loaded("evaluation_complete", project) or _Rows(
        ctx.session.get(SelfEvaluation, project.id),
        indicators_of(ctx.session, project),
        fund_items_of(ctx.session, project),
    )
    return submission_problems(rows.evaluation, rows.indicators, rows.items)


@effect("freeze_targets")
def freeze_targets(ctx: TransitionContext) -> None:
    """The approved indicators and 子项目 become the self-evaluation's yardstick."""
    freeze_approved(ctx.session, ctx.project)


@effect("open_self_evaluation")
def open_self_evaluation(ctx: TransitionContext) -> None:
    """The 自评表 opens for editing: made on first entry; reopened (returned), its recorded
    score no longer stands, so it is cleared until the unit signs again."""
    evaluation = ctx.session.get(SelfEvaluation, ctx.project.id)
    if evaluation is None:
        ctx.session.add(SelfEvaluation(project_id=ctx.project.id))
    else:
        clear_score(evaluation)


@effect("record_score")
def record_score_effect(ctx: TransitionContext) -> None:
    """The unit signed: the 自评表's score and grade as they stand are recorded for finance."""
    record_score(ctx.session, ctx.project)
