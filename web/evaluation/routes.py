"""The 绩效自评表: filled by the unit while the self-evaluation is open; printed, and downloaded as
PDF and XLSX by everyone who may see the project.

A save takes the whole form or nothing (workflow.evaluation.form): a refused save (422) or one
overtaken by another save (409) shows the page again with every value as typed, each message
beside its field and a summary on top saying that nothing was saved. After a save the page lists
what still keeps the 自评表 from being submitted (?checked=1), as the 申报表 does."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from web.evaluation.forms import EvaluationForm
from web.forms import parse_version, problems_by_field
from web.pdf import pdf_download, stylesheets
from web.projects.dossier import XLSX, download
from web.services import actor, db_session, lifecycle, now, uow, visible_project
from workflow.adjustment.operations import current_number
from workflow.errors import InvalidInput
from workflow.evaluation import operations as ops
from workflow.evaluation.checks import one_per_cause, submission_problems_of
from workflow.evaluation.models import BUDGET_FIELDS, EVALUATION_FIELDS, SelfEvaluation
from workflow.evaluation.scoring import display
from workflow.exports.evaluation_report import EvaluationReport, evaluation_report
from workflow.exports.evaluation_xlsx import evaluation_xlsx
from workflow.numbers import show_wan
from workflow.org import access

bp = Blueprint("evaluation", __name__, template_folder="templates")


@bp.route("/projects/<int:project_id>/evaluation", methods=["GET", "POST"])
def edit(project_id: int):
    project = visible_project(project_id)
    if not access.can_edit_evaluation(actor(), project, lifecycle().spec):
        abort(403)
    form = EvaluationForm()
    if form.validate_on_submit():
        try:
            ops.save_evaluation(
                uow(), project, request.form, actor=actor(), now=now(),
                expected_version=parse_version(form.version.data), lifecycle=lifecycle(),
            )  # fmt: skip
        except InvalidInput as exc:
            return _form_page(project, form, request.form, exc.problems, refused=True), 422
        except ops.EvaluationConflict as exc:
            form.version.data = str(exc.version)  # saving again, having read them, is meant
            return _form_page(project, form, request.form, conflict=exc), 409
        flash("自评表已保存", "success")
        return redirect(url_for("evaluation.edit", project_id=project.id, checked=1))
    form = EvaluationForm(obj=db_session().get(SelfEvaluation, project.id))
    form.version.data = str(project.version)
    # After a save: what still keeps it from being submitted (the 提交自评 guard's list).
    checked = request.args.get("checked")
    problems = submission_problems_of(db_session(), project) if checked else []
    return _form_page(project, form, None, problems)


def _form_page(project, form, posted, problems=(), *, refused=False, conflict=None):
    report = evaluation_report(db_session(), project)
    if report is None:  # self-evaluation opens with its 自评表; none means nothing to fill
        abort(404)
    return render_template(
        "evaluation/form.html", project=project, form=form, report=report,
        values=_values(report, posted), problems=problems, summary=one_per_cause(problems),
        field_problems=problems_by_field(problems), refused=refused, conflict=conflict,
        evaluation_fields=EVALUATION_FIELDS, display=display,
        yardstick_number=current_number(db_session(), project),
    )  # fmt: skip


def _values(report: EvaluationReport, posted) -> dict[str, str]:
    """Every input of the form: as saved, or as just typed when the save was not taken."""
    e = report.evaluation
    saved = {key: show_wan(getattr(e, key)) for key, _ in BUDGET_FIELDS}
    saved["budget_notes"] = e.budget_notes or ""
    saved |= {f"fund_items-{n}-actual": show_wan(r.actual) for n, r in enumerate(report.fund_rows)}
    for n, row in enumerate(report.sheet.rows[: report.indicator_count]):
        i = row.input
        saved |= {f"indicators-{n}-actual": i.actual, f"indicators-{n}-explanation": i.explanation,
                  f"indicators-{n}-claimed": show_wan(i.claimed)}  # fmt: skip
    return saved if posted is None else {key: posted.get(key, "") for key in saved}


def _report(project_id: int) -> EvaluationReport:
    """The 自评表 of a project the user may see; 404 before self-evaluation begins."""
    project = visible_project(project_id)
    report = evaluation_report(db_session(), project)
    if report is None:
        abort(404)
    return report


@bp.route("/projects/<int:project_id>/evaluation/print")
def print_view(project_id: int):
    return render_template("evaluation/print.html", report=_report(project_id))


@bp.route("/projects/<int:project_id>/evaluation.pdf")
def pdf(project_id: int):
    """The PDF made for this version of the 自评表, or the page that waits for it."""
    report = _report(project_id)
    project = report.project
    html = render_template("evaluation/pdf.html", report=report, css=stylesheets())
    return pdf_download(
        project, "evaluation", html, f"{project.year}-{project.name or '项目'}-绩效自评表.pdf",
        print_url=url_for("evaluation.print_view", project_id=project.id),
    )  # fmt: skip


@bp.route("/projects/<int:project_id>/evaluation.xlsx")
def xlsx(project_id: int):
    report = _report(project_id)
    return download(evaluation_xlsx(report), report.project, "绩效自评表.xlsx", XLSX)
