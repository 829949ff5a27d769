"""导入申报表: a 填报人 uploads the form their unit already has and gets a draft to check, with
the import report beside the form (what was read from where, what found no place)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from web.errors import HTTP_MESSAGES, error_page
from web.services import actor, db_session, now, uow
from workflow.errors import InvalidInput, Problem
from workflow.imports import grid
from workflow.imports.operations import import_declaration, imports_of, report_of
from workflow.org import access

bp = Blueprint("imports", __name__, template_folder="templates")
ACCEPT = ".docx,.xlsx,.pdf,.txt,.md,.tsv"
TOO_LARGE = (
    f"文件超过 {grid.MAX_BYTES >> 20} MB，无法导入；请删去图片等附件，或只保留申报表部分后再试"
)
UPLOAD_MAX = grid.MAX_BYTES + 64 * 1024  # the file and the form around it


def register(app) -> None:
    """This page takes files up to grid.MAX_BYTES, every other form keeps the app's smaller
    limit: set before anything reads the body (the CSRF check does, first). Past it, the page
    says why, in Chinese, with nothing read."""

    def larger_uploads() -> None:
        if request.endpoint == "imports.upload":
            request.max_content_length = UPLOAD_MAX

    app.before_request_funcs.setdefault(None, []).insert(0, larger_uploads)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge):
        if request.endpoint != "imports.upload":
            return error_page(413, HTTP_MESSAGES[413])
        return _page([Problem("file", TOO_LARGE)]), 422


@bp.route("/projects/import", methods=["GET", "POST"])
def upload():
    if not access.can_create_project(actor()):
        abort(403)
    problems: list[Problem] = []
    if request.method == "POST":
        upload_file = request.files.get("file")
        content = upload_file.read(grid.MAX_BYTES + 1) if upload_file else b""
        if not content:
            problems = [Problem("file", "请选择要导入的文件")]
        if not problems:
            try:
                done = import_declaration(uow(), content, upload_file.filename or "",
                                          actor=actor(), now=now())  # fmt: skip
            except InvalidInput as exc:
                problems = exc.problems
            else:
                if done.again:
                    day = f"{done.record.imported_at:%Y-%m-%d}"
                    flash(f"该文件已于 {day} 导入为「{done.project.name}」，"
                          "未重复导入", "warning")  # fmt: skip
                else:
                    flash("已导入为草稿，请对照下方的导入报告核对后保存；提交前不会报送", "success")
                return redirect(url_for("declaration.edit", project_id=done.project.id))
    return _page(problems), 422 if problems else 200


def _page(problems: list[Problem]) -> str:
    return render_template("imports/upload.html", problems=problems, accept=ACCEPT,
                           max_mb=grid.MAX_BYTES >> 20)  # fmt: skip


def import_reports(project) -> list[tuple]:
    """The import reports of a project's draft, for the form page: (record, report)."""
    return [(record, report_of(record)) for record in imports_of(db_session(), project)]
