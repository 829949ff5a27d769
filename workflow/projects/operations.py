"""The self-evaluation (narrative for now): saved as typed, edits after submission audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from workflow.audit import chain
from workflow.errors import InvalidInput, NotAllowed, Problem
from workflow.evaluation.models import EVALUATION_FIELDS, SelfEvaluation
from workflow.lifecycle.history import submitted_before
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import clean
from workflow.uow import UnitOfWork

MAX_TEXT = 100_000


def save_evaluation(
    uow: UnitOfWork,
    project: Project,
    data: Mapping[str, Any],
    *,
    actor: User,
    now: dt.datetime,
    expected_version: int | None,
    lifecycle: Lifecycle | None = None,
) -> list[list[str]]:
    """Save the self-evaluation's narrative as typed; edits after a submission are audited."""
    lc = lifecycle or get_lifecycle()
    with uow:
        access.require_view(actor, project, lc.spec)
        if not access.can_edit_evaluation(actor, project, lc.spec):
            raise NotAllowed("当前状态下不能修改自评表")
        texts = _texts(data)
        evaluation = uow.session.get(SelfEvaluation, project.id) or SelfEvaluation(
            project_id=project.id
        )
        uow.session.add(evaluation)
        changes = [
            [f.label, getattr(evaluation, f.name) or "", texts[f.name]]
            for f in EVALUATION_FIELDS
            if (getattr(evaluation, f.name) or "") != texts[f.name]
        ]
        bump_version(uow.session, project, expected_version, updated_at=now)
        for name, value in texts.items():
            setattr(evaluation, name, value)
        if changes and submitted_before(uow.session, project, lc.spec, "evaluation_editable"):
            chain.append(uow.session, now=now, actor=actor, action="edit_evaluation",
                         label="修改自评表", project_id=project.id,
                         details={"changes": changes})  # fmt: skip
        uow.commit()
        return changes


def _texts(data: Mapping[str, Any]) -> dict[str, str]:
    values, problems = {}, []
    for f in EVALUATION_FIELDS:
        value = clean(data.get(f.name))
        if len(value) > MAX_TEXT:
            problems.append(Problem(f.name, f"「{f.label}」内容过长（超过 {MAX_TEXT} 字）"))
        values[f.name] = value
    if problems:
        raise InvalidInput(problems)
    return values
