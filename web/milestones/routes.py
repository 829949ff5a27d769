"""里程碑: correct and confirm the proposed milestones, then record what actually happened."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from web.forms import VersionForm, parse_version, problems_by_field
from web.services import actor, db_session, lifecycle, now, uow, visible_project
from workflow.errors import GuardFailed, InvalidInput
from workflow.milestones import operations as ops
from workflow.milestones.models import KIND_LABELS, Milestone
from workflow.org import access

bp = Blueprint("milestones", __name__, template_folder="templates")
SPARE_ROWS = 2


@bp.route("/projects/<int:project_id>/milestones", methods=["GET", "POST"])
def page(project_id: int):
    project = visible_project(project_id)
    form = VersionForm()
    if request.method == "POST":
        if not access.can_edit_milestones(actor(), project):
            abort(403)
        if form.validate_on_submit():
            rows = _rows(request.form)
            try:
                ops.save_milestones(uow(), project, rows, actor=actor(), now=now(),
                                    expected_version=parse_version(form.version.data))  # fmt: skip
            except InvalidInput as exc:
                return _page(project, form, rows, exc.problems), 422
            flash("里程碑已保存", "success")
            return redirect(url_for("milestones.page", project_id=project.id))
    return _page(project, form, None, [])


@bp.route("/projects/<int:project_id>/milestones/confirm", methods=["POST"])
def confirm(project_id: int):
    project = visible_project(project_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.confirm(uow(), project, actor=actor(), now=now(),
                    expected_version=parse_version(form.version.data))  # fmt: skip
    except GuardFailed as exc:
        return _page(project, form, None, exc.problems), 409
    flash("里程碑已确认，可以开始实施", "success")
    return redirect(url_for("projects.detail", project_id=project.id, tab="milestones"))


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>", methods=["POST"])
def record(project_id: int, milestone_id: int):
    project = visible_project(project_id)
    milestone = db_session().get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        abort(404)
    if not VersionForm().validate_on_submit():
        abort(400)
    try:
        ops.record_actual(uow(), project, milestone, request.form, actor=actor(), now=now())
    except InvalidInput as exc:
        flash("；".join(p.message for p in exc.problems), "error")
        return redirect(url_for("milestones.page", project_id=project.id)), 303
    flash(f"已登记「{milestone.title}」的完成情况", "success")
    return redirect(url_for("milestones.page", project_id=project.id))


def _rows(form: MultiDict) -> list[dict[str, str]]:
    pattern = re.compile(r"milestones-(\d{1,4})-\w+")
    indexes = sorted({int(m.group(1)) for key in form if (m := pattern.fullmatch(key))})
    return [{f: form.get(f"milestones-{i}-{f}", "") for f in ops.ROW_FIELDS}
            for i in indexes[: ops.MAX_ROWS]]  # fmt: skip


def _page(project, form, rows, problems):
    session, spec = db_session(), lifecycle().spec
    milestones = ops.milestones_of(session, project)
    editable = access.can_edit_milestones(actor(), project)
    if rows is None:
        rows = ops.to_rows(milestones)
    return render_template(
        "milestones/page.html", project=project, form=form, milestones=milestones,
        rows=rows + [dict.fromkeys(ops.ROW_FIELDS, "") for _ in range(SPARE_ROWS)],
        editable=editable, recordable={m.id for m in milestones
                                       if access.can_record_milestone(actor(), project, m, spec)},
        notes=ops.plan_notes(session, project) if editable else [], kinds=KIND_LABELS,
        problems=problems, field_problems=problems_by_field(problems),
        today=now().date(),
    )  # fmt: skip
