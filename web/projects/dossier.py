"""A project's papers to take away: the whole dossier (申报表, milestones, 自评表, history) as one
PDF, and the download every export shares. Archived projects download like any other."""

from __future__ import annotations

import io

from flask import Blueprint, render_template, send_file
from sqlalchemy import select

from web.declaration.routes import sheet
from web.pdf import pdf_download, stylesheets
from web.services import db_session, now, visible_project
from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.exports.evaluation_report import evaluation_report
from workflow.lifecycle.history import event_changes
from workflow.milestones.operations import milestones_of
from workflow.projects.models import Project

bp = Blueprint("dossier", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/projects/<int:project_id>/dossier.pdf")
def pdf(project_id: int):
    """The dossier PDF made for this version of the project, or the page that waits for it.
    Its version is everything it shows but the export time, which is stamped on the job: the
    moment this version was first asked for (a later download of it shows the same time)."""
    project = visible_project(project_id)
    session = db_session()
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.project_id == project.id).order_by(AuditEvent.seq)
    ).all()
    context = dict(
        project=project, css=stylesheets(), report=evaluation_report(session, project),
        milestones=milestones_of(session, project), today=now().astimezone(CHINA).date(),
        events=events, changes=event_changes, **sheet(project, events),
    )  # fmt: skip
    return pdf_download(
        project, "dossier", render_template("dossier/pdf.html", exported_at=None, **context),
        f"{project.year}-{project.name or '项目'}-项目档案.pdf",
        job_html=lambda: render_template("dossier/pdf.html", exported_at=now(), **context),
    )  # fmt: skip


def download(content: bytes, project: Project, suffix: str, mimetype: str):
    """A project's file, named by its year and name."""
    return download_file(content, f"{project.year}-{project.name or '项目'}-{suffix}", mimetype)


def download_file(content: bytes, name: str, mimetype: str):
    # Flask writes a non-ASCII name as RFC 5987 filename*=UTF-8''…, with an ASCII fallback.
    response = send_file(io.BytesIO(content), as_attachment=True, mimetype=mimetype,
                         download_name=name)  # fmt: skip
    response.headers["Cache-Control"] = "no-store"  # one unit's figures: keep them out of caches
    return response
