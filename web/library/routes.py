"""The 绩效指标库 pages. Units and finance read it (and export it); the 系统管理员 adds, edits,
retires and imports entries; the 财政审核人 marks an entry 核心指标 for a 项目类型. The 安全管理员
and the 安全审计员 have no business here."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for

from web.forms import problems_by_field
from web.projects.dossier import XLSX, download_file
from web.services import actor, db_session, now, uow, visible_project
from workflow.clock import CHINA
from workflow.declaration.models import CATEGORIES, PROJECT_TYPES
from workflow.errors import InvalidInput, Problem
from workflow.library import operations as library
from workflow.library.models import DIRECTIONS, LibraryIndicator
from workflow.library.xlsx import MAX_BYTES, export_xlsx, read_xlsx
from workflow.org.models import Role

bp = Blueprint("library", __name__, url_prefix="/library", template_folder="templates")
READERS = {Role.filler, Role.unit_head, Role.reviewer, Role.admin}


@bp.before_request
def readers_only():
    if not actor().roles & READERS:
        abort(403)


def _only(role: Role) -> None:
    if not actor().has_role(role):
        abort(403)


def _filter() -> library.Filter:
    def arg(name, allowed=None):
        value = " ".join(request.args.get(name, "").split())[:100]
        return value if allowed is None or value in allowed else ""

    return library.Filter(
        project_type=arg("type", PROJECT_TYPES), category=arg("category", CATEGORIES),
        q=arg("q"), retired=request.args.get("retired") == "1",
    )  # fmt: skip


@bp.route("")
def index():
    f = _filter()
    rows = library.entries(db_session(), f)
    return render_template(
        "library/index.html", rows=rows, f=f, types=PROJECT_TYPES, categories=CATEGORIES,
        directions=DIRECTIONS, limit=library.PAGE,
        may_edit=actor().has_role(Role.admin), may_mark=actor().has_role(Role.reviewer),
    )  # fmt: skip


@bp.route("/search.json")
def search():
    """What the 申报表's 「从指标库添加」 offers as the unit types (server-side: a library of
    thousands is not sent to every form): up to 30 entries in use, of the project's type."""
    f = _filter()
    rows = library.entries(db_session(), library.Filter(f.project_type, f.category, f.q), limit=30)
    return jsonify([{"id": e.id, "label": f"{e.category}｜{e.name}（{e.target}）" if e.target
                     else f"{e.category}｜{e.name}"} for e in rows])  # fmt: skip


@bp.route("/export.xlsx")
def export():
    f = _filter()
    rows = library.entries(db_session(), f, limit=10_000)
    day = now().astimezone(CHINA).date().isoformat()
    return download_file(export_xlsx(rows, title=f"绩效指标库（{day} 导出）"),
                         f"绩效指标库-{day}.xlsx", XLSX)  # fmt: skip


@bp.route("/new", methods=["GET", "POST"])
def new():
    _only(Role.admin)
    return _edit(None)


@bp.route("/<int:entry_id>", methods=["GET", "POST"])
def edit(entry_id: int):
    entry = db_session().get(LibraryIndicator, entry_id) or abort(404)
    if request.method == "POST":
        _only(Role.admin)
    return _edit(entry)


def _edit(entry: LibraryIndicator | None):
    values, problems = _values(entry), []
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in library.FIELDS} | {
            "category": request.form.get("category", ""),
            "direction": request.form.get("direction", ""),
            "project_types": request.form.getlist("project_types"),
        }
        try:
            saved = library.save(uow(), entry.id if entry else None, values, actor=actor(),
                                 now=now(), source="" if entry else "手工添加")  # fmt: skip
        except InvalidInput as exc:
            problems = exc.problems
        else:
            flash(f"已保存「{saved.name}」", "success")
            return redirect(url_for("library.index", category=saved.category))
    page = render_template(
        "library/form.html", entry=entry, values=values, problems=problems,
        field_problems=problems_by_field(problems), types=PROJECT_TYPES, categories=CATEGORIES,
        directions=DIRECTIONS, may_edit=actor().has_role(Role.admin),
        may_mark=actor().has_role(Role.reviewer),
    )  # fmt: skip
    return page, 422 if problems else 200


def _values(entry: LibraryIndicator | None) -> dict:
    if entry is None:
        return {"category": request.args.get("category", "产出"), "project_types": []}
    return {name: getattr(entry, name) for name in (*library.FIELDS, "category", "direction")} | {
        "project_types": entry.project_types
    }


@bp.route("/<int:entry_id>/retire", methods=["POST"])
def retire(entry_id: int):
    _only(Role.admin)
    retired = request.form.get("retired") == "1"
    entry = library.retire(uow(), entry_id, retired=retired, actor=actor(), now=now())
    flash(f"已{'停用' if retired else '恢复'}「{entry.name}」", "success")
    return redirect(url_for("library.edit", entry_id=entry_id))


@bp.route("/<int:entry_id>/core", methods=["POST"])
def core(entry_id: int):
    """设为 / 取消核心指标 for one 项目类型 (财政审核人)."""
    _only(Role.reviewer)
    project_type, mark = request.form.get("project_type", ""), request.form.get("core") == "1"
    try:
        entry = library.set_core(uow(), entry_id, project_type, mark, actor=actor(), now=now())
    except InvalidInput as exc:
        flash(exc.problems[0].message, "error")
        return redirect(url_for("library.edit", entry_id=entry_id))
    verb = "设为" if mark else "不再作为"
    flash(f"已将「{entry.name}」{verb}{project_type}的核心指标", "success")
    return redirect(url_for("library.edit", entry_id=entry_id))


@bp.route("/promote/<int:project_id>/<int:indicator_id>", methods=["POST"])
def promote(project_id: int, indicator_id: int):
    """「加入指标库」 (财政审核人) from an approved project's 申报表."""
    project = visible_project(project_id)
    _only(Role.reviewer)
    try:
        entry = library.promote(uow(), project, indicator_id, actor=actor(), now=now())
    except InvalidInput as exc:
        flash(exc.problems[0].message, "error")
    else:
        flash(
            f"已将「{entry.name}」加入指标库（适用：{'、'.join(entry.project_types)}）", "success"
        )
    return redirect(url_for("projects.detail", project_id=project_id, tab="declaration")
                    + "#promote")  # fmt: skip


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    """导入 (系统管理员): an XLSX in the export's columns; all rows or none."""
    _only(Role.admin)
    problems: list[Problem] = []
    if request.method == "POST":
        upload = request.files.get("file")
        content = upload.read(MAX_BYTES + 1) if upload else b""
        rows, problems = read_xlsx(content) if content else ([], [Problem("file", "请选择文件")])
        if not problems:
            try:
                added, updated = library.import_rows(uow(), rows, actor=actor(), now=now())
            except InvalidInput as exc:
                problems = exc.problems
            else:
                flash(f"已导入：新增 {added} 个指标，更新 {updated} 个", "success")
                return redirect(url_for("library.index"))
    page = render_template("library/import.html", problems=problems, max_mb=MAX_BYTES >> 20)
    return page, 422 if problems else 200
