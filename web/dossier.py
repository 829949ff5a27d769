"""A project's papers to take away: the 绩效自评表 as XLSX and the whole dossier (申报表,
milestones, 自评表, history) as one PDF. Archived projects download like any other."""

from __future__ import annotations

import io

from flask import Blueprint, abort, render_template, send_file
from sqlalchemy import select

from web.declaration import sheet
from web.pdf import html_to_pdf, stylesheets
from web.projects import event_changes
from web.services import actor, db_session, lifecycle, now
from workflow.audit.models import AuditEvent
from workflow.evaluation.scoring import display
from workflow.exports.evaluation_report import evaluation_report
from workflow.exports.evaluation_xlsx import evaluation_xlsx
from workflow.milestones.operations import milestones_of
from workflow.org import access
from workflow.projects.models import Project

bp = Blueprint("dossier", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project(project_id: int) -> Project:
    return access.require_view(actor(), db_session().get(Project, project_id), lifecycle().spec)


@bp.app_template_filter("points")
def points(value, places: int = 2) -> str:
    """A score or weight as people read it: two decimals, half up."""
    return display(value, places)


@bp.route("/projects/<int:project_id>/evaluation.xlsx")
def evaluation(project_id: int):
    project = _project(project_id)
    report = evaluation_report(db_session(), project)
    if report is None:
        abort(404)
    return _download(evaluation_xlsx(report), project, "绩效自评表.xlsx", XLSX)


@bp.route("/projects/<int:project_id>/dossier.pdf")
def pdf(project_id: int):
    project = _project(project_id)
    session = db_session()
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.project_id == project.id).order_by(AuditEvent.seq)
    ).all()
    html = render_template(
        "dossier/pdf.html", project=project, css=stylesheets(), exported_at=now(),
        report=evaluation_report(session, project), milestones=milestones_of(session, project),
        today=now().date(), events=events, changes=event_changes, **sheet(project),
    )  # fmt: skip
    return _download(html_to_pdf(html), project, "项目档案.pdf", "application/pdf")


def _download(content: bytes, project: Project, suffix: str, mimetype: str):
    # Flask writes a non-ASCII name as RFC 5987 filename*=UTF-8''…, with an ASCII fallback.
    name = f"{project.year}-{project.name or '项目'}-{suffix}"
    response = send_file(io.BytesIO(content), as_attachment=True, mimetype=mimetype,
                         download_name=name)  # fmt: skip
    response.headers["Cache-Control"] = "no-store"  # one unit's figures: keep them out of caches
    return response
