"""The declaration's part in the lifecycle: its completeness guard, and the record of what was
submitted (a labelled snapshot and the changes since the last submission) on the audit event."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.declaration.checks import declaration_problems
from workflow.declaration.models import Declaration
from workflow.declaration.snapshot import diff, flatten
from workflow.errors import Problem
from workflow.library import operations as library
from workflow.lifecycle.guards import GuardContext, guard
from workflow.lifecycle.history import last_submitted_snapshot
from workflow.lifecycle.hooks import TransitionContext, effect
from workflow.projects.models import Project


def _declarations(session: Session, projects: Sequence[Project]) -> dict[int, tuple]:
    # Rows and their child tables (selectin-loaded), and the 核心指标 of every 项目类型: a fixed
    # number of queries for any count.
    query = select(Declaration).where(Declaration.project_id.in_([p.id for p in projects]))
    core = library.core_by_type(session)
    return {d.project_id: (d, core) for d in session.scalars(query)}


@guard("declaration_complete", preload=_declarations)
def declaration_complete(project: Project, ctx: GuardContext) -> list[Problem]:
    loaded = ctx.loaded("declaration_complete", project)
    declaration, core = loaded or (ctx.session.get(Declaration, project.id), None)
    if declaration is None:
        return [Problem("declaration", "尚未填写绩效目标申报表")]
    return complete_problems(ctx.session, project, declaration, core)


def complete_problems(session: Session, project: Project, declaration: Declaration,
                      core: dict | None = None) -> list[Problem]:  # fmt: skip
    """What keeps the declaration from going ahead: the form's own checks, and the 核心指标
    finance requires of its 项目类型 (the 绩效指标库)."""
    core = library.core_by_type(session) if core is None else core
    return declaration_problems(project, declaration) + library.missing_core(
        declaration.project_type, declaration.indicators, core
    )


@effect("record_declaration")
def record_declaration(ctx: TransitionContext) -> dict:
    """Keep the declaration as submitted and what changed since the last submission, so the
    history can show two submissions' difference field by field."""
    snapshot = flatten(ctx.project, ctx.session.get(Declaration, ctx.project.id))
    previous = last_submitted_snapshot(ctx.session, ctx.project, ctx.spec, "editable")
    return {"snapshot": snapshot, "changes": diff(previous, snapshot) if previous else []}
