"""The 绩效目标申报表: create a project, fill and save the form, print it, copy it to a new year."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from sqlalchemy import select

from web.declaration.form_data import form_data, with_spare_rows
from web.declaration.forms import NewProjectForm
from web.forms import VersionForm, parse_id, parse_version, problems_by_field
from web.imports.routes import import_reports
from web.pdf import pdf_download, stylesheets
from web.services import actor, db_session, lifecycle, now, uow, visible_project
from workflow.audit.models import AuditEvent
from workflow.declaration import models as m
from workflow.declaration import operations as ops
from workflow.declaration.checks import (
    declaration_warnings,
    source_column_sums,
    target_notes,
)
from workflow.declaration.form import to_form
from workflow.declaration.hooks import complete_problems
from workflow.declaration.signatures import Signatures, signatures
from workflow.errors import EditConflict, InvalidInput
from workflow.exports.declaration_xlsx import declaration_xlsx
from workflow.library import operations as library
from workflow.library.models import LibraryIndicator
from workflow.org import access
from workflow.projects.models import Project

bp = Blueprint("declaration", __name__, template_folder="templates")


@bp.route("/projects/new", methods=["GET", "POST"])
def new_project():
    if not access.can_create_project(actor()):
        abort(403)
    form = NewProjectForm()
    problems = []
    if form.validate_on_submit():
        try:
            project = ops.create_project(uow(), request.form, actor=actor(), now=now())
        except InvalidInput as exc:
            problems = exc.problems
        else:
            flash("项目已创建，请填写申报表（「投入」类共性指标已预填）", "success")
            return redirect(url_for("declaration.edit", project_id=project.id))
    page = render_template("declaration/new.html", form=form,
                           field_problems=problems_by_field(problems))  # fmt: skip
    return page, 422 if problems else 200


@bp.route("/projects/<int:project_id>/declaration", methods=["GET", "POST"])
def edit(project_id: int):
    project = visible_project(project_id)
    if not access.can_edit_declaration(actor(), project, lifecycle().spec):
        abort(403)
    csrf = VersionForm()
    if csrf.validate_on_submit():
        data = form_data(request.form)
        added = _from_library(data) if request.form.get("library_add") else None
        try:
            ops.save_declaration(
                uow(), project, data, actor=actor(), now=now(),
                expected_version=parse_version(request.form.get("version")),
                lifecycle=lifecycle(),
            )  # fmt: skip
        except InvalidInput as exc:
            return _form_page(project, data, exc.problems, csrf, refused=True), 422
        except EditConflict as exc:  # what was typed stays on the page, beside what is saved
            return _form_page(project, data, [], csrf, conflict=exc), 409
        if added:
            flash(f"已从指标库添加「{added}」并保存，请填写其对应子项目，并按本项目核实目标值",
                  "success")  # fmt: skip
            return redirect(url_for("declaration.edit", project_id=project.id) + "#indicators")
        flash("申报表已保存", "success")
        return redirect(url_for("declaration.edit", project_id=project.id, checked=1))
    declaration = db_session().get(m.Declaration, project.id)
    data = {"name": project.name, "year": str(project.year), **to_form(declaration)}
    problems = (
        complete_problems(db_session(), project, declaration) if request.args.get("checked")
        else []
    )  # fmt: skip
    return _form_page(project, data, problems, csrf)


def _from_library(data: dict) -> str | None:
    """「从指标库添加」: the chosen entry as a new row, after the last row of its category (the
    form is saved with it). None: nothing chosen, or an entry no longer in use."""
    entry = db_session().get(LibraryIndicator, parse_id(request.form.get("library_pick")) or 0)
    if entry is None or entry.retired_at is not None:
        return None
    rows = [r for r in data["indicators"] if any((v or "").strip() for v in r.values())]
    at = max((n + 1 for n, r in enumerate(rows) if r.get("category") == entry.category),
             default=len(rows))  # fmt: skip
    data["indicators"] = [*rows[:at], library.as_row(entry), *rows[at:]]
    return entry.name


@bp.route("/projects/<int:project_id>/declaration/print")
def print_view(project_id: int):
    project = visible_project(project_id)
    return render_template("declaration/print.html", project=project, **sheet(project))


@bp.route("/projects/<int:project_id>/declaration.xlsx")
def xlsx(project_id: int):
    project = visible_project(project_id)
    content = declaration_xlsx(project, db_session().get(m.Declaration, project.id))
    return send_file(
        io.BytesIO(content), as_attachment=True,
        download_name=f"{project.year}-{project.name or '项目'}-绩效目标申报表.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip


@bp.route("/projects/<int:project_id>/declaration.pdf")
def pdf(project_id: int):
    """The PDF made for this version of the 申报表, or the page that waits for it."""
    project = visible_project(project_id)
    html = render_template("declaration/pdf.html", project=project, css=stylesheets(),
                           **sheet(project))  # fmt: skip
    return pdf_download(
        project, "declaration", html, f"{project.year}-{project.name or '项目'}-绩效目标申报表.pdf",
        print_url=url_for("declaration.print_view", project_id=project.id),
    )  # fmt: skip


@bp.route("/projects/<int:project_id>/declaration/copy", methods=["POST"])
def copy(project_id: int):
    project = visible_project(project_id)
    if not VersionForm().validate_on_submit():
        abort(400)
    new = ops.copy_as_new_year(uow(), project, actor=actor(), now=now())
    flash(f"已复制为 {new.year} 年度的新申报，请核对修改后提交", "success")
    return redirect(url_for("declaration.edit", project_id=new.id))


def sheet(project: Project, events: list[AuditEvent] | None = None) -> dict:
    """What the read-only 申报表 (project page, print view, PDF) shows; `events`, the project's
    history when the caller has loaded it already."""
    declaration = db_session().get(m.Declaration, project.id)
    data = to_form(declaration)
    notes, warnings = target_notes(declaration)
    return {"sheet": data, "declaration": declaration, **_constants(),
            "signed": _signatures(project, declaration, events),
            "fund_items_sum": project.amount,
            "source_sums": source_column_sums(declaration),
            "target_notes": notes, "warnings": warnings}  # fmt: skip


def _signatures(
    project: Project, declaration, events: list[AuditEvent] | None = None
) -> Signatures:
    if events is None:
        moves = select(AuditEvent).where(
            AuditEvent.project_id == project.id, AuditEvent.to_state.is_not(None)
        )
        events = db_session().scalars(moves.order_by(AuditEvent.seq)).all()
    moved = [e for e in events if e.to_state is not None]
    return signatures(moved, lifecycle().spec, declaration)


def _form_page(project: Project, data: dict, problems, csrf, *, refused=False, conflict=None):
    declaration = db_session().get(m.Declaration, project.id)
    return render_template(
        "declaration/form.html", title=f"绩效目标申报表：{project.name or '（未命名项目）'}",
        project=project, unit=project.unit, data=with_spare_rows(data), csrf=csrf,
        version=conflict.version if conflict else project.version, refused=refused,
        conflict=conflict, problems=problems, field_problems=problems_by_field(problems),
        signed=_signatures(project, declaration), warnings=declaration_warnings(declaration),
        fund_items_sum=project.amount, source_sums=source_column_sums(declaration), **_constants(),
        import_reports=import_reports(project),
        library_entries=library.entries(
            db_session(), library.Filter(project_type=declaration.project_type if declaration
                                         else ""))  # fmt: skip
    )  # fmt: skip


def _constants() -> dict:
    return {
        "project_types": m.PROJECT_TYPES, "project_attributes": m.PROJECT_ATTRIBUTES,
        "categories": m.CATEGORIES, "fund_sources": m.FUND_SOURCES,
        "fund_columns": m.FUND_COLUMNS, "last_year_amounts": m.LAST_YEAR_AMOUNTS,
        "last_year_rates": m.LAST_YEAR_RATES, "texts": m.DECLARATION_TEXTS,
        "directions": m.INDICATOR_DIRECTIONS,
    }  # fmt: skip
