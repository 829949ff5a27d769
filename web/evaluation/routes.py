"""The 绩效自评表: filled by the unit while the self-evaluation is open, downloaded as XLSX."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from web.evaluation.forms import EvaluationForm
from web.forms import parse_version, problems_by_field
from web.projects.dossier import XLSX, download
from web.services import actor, db_session, lifecycle, now, uow, visible_project
from workflow.errors import InvalidInput
from workflow.evaluation import operations as ops
from workflow.evaluation.checks import budget_figures, budget_flags
from workflow.evaluation.models import BUDGET_FIELDS, EVALUATION_FIELDS, SelfEvaluation
from workflow.evaluation.scoring import display
from workflow.exports.evaluation_report import evaluation_report
from workflow.exports.evaluation_xlsx import evaluation_xlsx
from workflow.numbers import show_wan
from workflow.org import access
from workflow.projects.models import Project

bp = Blueprint("evaluation", __name__, template_folder="templates")


@bp.route("/projects/<int:project_id>/evaluation", methods=["GET", "POST"])
def edit(project_id: int):
    project = visible_project(project_id)
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
            page = _form_page("evaluation/form.html", form, exc.problems,
                              project=project, **_indicators(project, request.form),
                              **_budget(project, request.form))  # fmt: skip
            return page, 422
        flash("自评表已保存", "success")
        return redirect(url_for("evaluation.edit", project_id=project.id))
    return _form_page("evaluation/form.html", form, project=project,
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


@bp.route("/projects/<int:project_id>/evaluation.xlsx")
def xlsx(project_id: int):
    project = visible_project(project_id)
    report = evaluation_report(db_session(), project)
    if report is None:
        abort(404)
    return download(evaluation_xlsx(report), project, "绩效自评表.xlsx", XLSX)


def _form_page(template: str, form, problems=(), **context):
    context.setdefault("title", "")
    return render_template(
        template, form=form, problems=problems, field_problems=problems_by_field(problems),
        evaluation_fields=EVALUATION_FIELDS, display=display, **context,
    )  # fmt: skip
