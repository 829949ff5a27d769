"""What keeps a self-evaluation from being submitted or signed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import Problem
from workflow.evaluation.models import EvaluationIndicator
from workflow.projects.models import Project


def indicators_of(session: Session, project: Project) -> list[EvaluationIndicator]:
    query = select(EvaluationIndicator).where(EvaluationIndicator.project_id == project.id)
    return list(session.scalars(query.order_by(EvaluationIndicator.position)))


def indicator_problems(indicators: list[EvaluationIndicator]) -> list[Problem]:
    """Every indicator needs an actual value or an explanation of why there is none."""
    return [
        Problem(f"indicators-{n}-actual", f"指标「{i.name}」未填写实际完成值，也未说明原因")
        for n, i in enumerate(indicators)
        if not i.actual.strip() and not i.explanation.strip()
    ]
