"""Projects: the scoped list, the detail page with actions and history, the forms, the actions."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from web.declaration import sheet
from web.errors import error_page
from web.forms import (
    ActionForm,
    EvaluationForm,
    VersionForm,
    parse_version,
    problems_by_field,
)
from web.services import actor, base_url, db_session, lifecycle, now, uow
from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.errors import InvalidInput
from workflow.evaluation import operations as ops
from workflow.evaluation.checks import budget_figures, budget_flags
from workflow.evaluation.models import BUDGET_FIELDS, EVALUATION_FIELDS, SelfEvaluation
from workflow.evaluation.scoring import display
from workflow.exports.evaluation_report import evaluation_report
from workflow.lifecycle.operations import available_actions, fire
from workflow.milestones.operations import milestones_of
from workflow.numbers import show_wan
from workflow.org import access
from workflow.projects.models import Project
from workflow.workbench import todo_projects

bp = Blueprint("projects", __name__)
PAGE_SIZE = 50


def _project(project_id: int) -> Project:
    return access.require_view(actor(), db_session().get(Project, project_id), lifecycle().spec)


@bp.route("/projects")
def list_projects():
    spec = lifecycle().spec
    mine = request.args.get("todo") == "1"  # 只看待我办理 (the 工作台's 「查看全部」)
    if mine:
        query = todo_projects(actor(), spec, now().astimezone(CHINA).date())
    else:
        query = access.visible_projects(actor(), spec)
    state = request.args.get("state", "")
    if state in spec.states:
        query = query.where(Project.state == state)
    total = db_session().scalar(select(func.count()).select_from(query.subquery()))
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)  # never past the end
    # My work oldest first, as on the 工作台; everything else the latest changed first.
    order = ((Project.state_entered_at, Project.id) if mine
             else (Project.updated_at.desc(), Project.id.desc()))  # fmt: skip
    rows = db_session().scalars(
        query.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    )
    return render_template(
        "projects/list.html", projects=list(rows), spec=spec, state=state, page=page, mine=mine,
        pages=pages, total=total,
        can_create=access.can_create_project(actor()),
    )  # fmt: skip


@bp.route("/projects/<int:project_id>")
def detail(project_id: int):
    project = _project(project_id)
    session, user, spec = db_session(), actor(), lifecycle().spec
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.project_id == project.id).order_by(AuditEvent.seq)
    ).all()
    return render_template(
        "projects/detail.html", project=project, spec=spec,
        report=evaluation_report(session, project),
        copy_form=VersionForm(), can_copy=access.can_copy_project(user, project),
        **sheet(project),
        actions=available_actions(session, project, user, now=now(), lifecycle=lifecycle()),
        events=events, changes=event_changes, action_form=ActionForm(),
        can_edit_declaration=access.can_edit_declaration(user, project, spec),
        can_edit_evaluation=access.can_edit_evaluation(user, project, spec),
        milestones=milestones_of(session, project), today=now().date(),
    )  # fmt: skip


@bp.route("/projects/<int:project_id>/evaluation", methods=["GET", "POST"])
def edit_evaluation(project_id: int):
    project = _project(project_id)
    if not access.can_edit_evaluation(actor(), project, lifecycle().spec):
        abort(403)
    evaluation = db_session().get(SelfEvaluation, project.id)
    form = EvaluationForm(obj=evaluation) if request.method == "GET" else EvaluationForm()
    if request.method == "GET":
        form.version.data = str(project.version)
    if form.validate_on_submit():
        try:
            ops.save_evaluation(
                uow(), project, request.form, actor=actor(), now=now(),
                expected_version=parse_version(form.version.data), lifecycle=lifecycle(),
            )  # fmt: skip
        except InvalidInput as exc:
            page = _form_page("projects/evaluation_form.html", form, exc.problems,
                              project=project, **_indicators(project, request.form),
                              **_budget(project, request.form))  # fmt: skip
            return page, 422
        flash("自评表已保存", "success")
        return redirect(url_for("projects.edit_evaluation", project_id=project.id))
    return _form_page("projects/evaluation_form.html", form, project=project,
                      **_indicators(project, None), **_budget(project, None))  # fmt: skip


def _budget(project: Project, posted) -> dict:
    """The budget block: values as saved (or as just typed), the computed figures, the flags."""
    session = db_session()
    evaluation = session.get(SelfEvaluation, project.id)
    items = ops.fund_items_of(session, project)
    saved = {key: show_wan(getattr(evaluation, key)) for key, _ in BUDGET_FIELDS}
    saved["budget_notes"] = evaluation.budget_notes
    saved |= {f"fund_items-{n}-actual": show_wan(i.actual) for n, i in enumerate(items)}
    values = saved if posted is None else {k: posted.get(k, "") for k in saved}
    return {"budget": values, "budget_fields": BUDGET_FIELDS, "budget_items": items,
            "figures": budget_figures(evaluation, items),
            "flags": budget_flags(evaluation, items)}  # fmt: skip


def _indicators(project: Project, posted) -> dict:
    """The indicator table: frozen category, name and target, the values as saved (or as just
    typed, when the save was refused), the score the rules give the saved values, and the
    sheet's subtotals, total and grade."""
    sheet = ops.score_sheet(db_session(), project)
    indicators = ops.indicators_of(db_session(), project)
    rows = []
    # The sheet lists the indicators first, in order (a template may add a budget row after).
    scored_rows = sheet.rows[: len(indicators)]
    for n, (i, scored) in enumerate(zip(indicators, scored_rows, strict=True)):
        value = {"actual": i.actual, "explanation": i.explanation,
                 "claimed": "" if i.claimed is None else str(i.claimed)}  # fmt: skip
        if posted is not None:
            value = {k: posted.get(f"indicators-{n}-{k}", "") for k in value}
        rows.append({"indicator": i, "score": scored, **value})
    return {"rows": rows, "score": sheet}


@bp.route("/projects/<int:project_id>/actions/<trigger>", methods=["POST"])
def act(project_id: int, trigger: str):
    """Every lifecycle button posts here, and every one goes through `fire`."""
    project = _project(project_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return error_page(400, "表单已失效，请刷新页面后重试")
    event = fire(
        uow(), project, trigger, actor=actor(), now=now(), comment=form.comment.data or "",
        expected_version=parse_version(form.version.data), lifecycle=lifecycle(),
        base_url=base_url(),
    )  # fmt: skip
    flash(f"已{event.label}：项目现为「{lifecycle().spec.state_label(event.to_state)}」", "success")
    return redirect(url_for("projects.detail", project_id=project.id))


def event_changes(event: AuditEvent) -> list[list[str]]:
    """The field/old/new rows an audited edit carries (for the history on page and in PDF)."""
    try:
        return json.loads(event.details).get("changes", [])
    except (ValueError, AttributeError):
        return []


def _form_page(template: str, form, problems=(), **context):
    context.setdefault("title", "")
    return render_template(
        template, form=form, problems=problems, field_problems=problems_by_field(problems),
        evaluation_fields=EVALUATION_FIELDS, display=display, **context,
    )  # fmt: skip
