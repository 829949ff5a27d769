"""里程碑: correct and confirm the proposed milestones, then record what actually happened.

One form holds the rows and both buttons: 「保存里程碑」 (``action=save``, also what Enter does)
saves them; 「确认里程碑」 (``action=confirm``) saves them and confirms them in one transaction
(`save_and_confirm`), so nothing typed is dropped by confirming. A refused form or 登记 comes back
as the page (422) with every value typed and each message beside its field; the rows' posted
format is described in `workflow.milestones.rows`."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from web.forms import FieldProblems, VersionForm, parse_version, problems_by_field
from web.services import actor, db_session, lifecycle, now, uow, visible_project
from workflow.clock import CHINA
from workflow.errors import Conflict, GuardFailed, InvalidInput, Problem
from workflow.milestones import operations as ops
from workflow.milestones.models import KIND_LABELS, Milestone
from workflow.milestones.rows import anchor_choices, computed_amount, is_blank, row_label
from workflow.org import access
from workflow.text import clean

bp = Blueprint("milestones", __name__, template_folder="templates", static_folder="static",
               static_url_path="/milestones/static")  # fmt: skip
SPARE_ROWS = 2
RECORD_FIELDS = ("actual_date", "paid_amount", "note")
STALE = ("其他人在您打开本页之后修改了里程碑。您填写的内容尚未保存，仍在下表中：再次提交将以下表"
         "为准；如要先看他人保存的内容，请刷新页面（下表的修改将不保留）。")  # fmt: skip


@bp.route("/projects/<int:project_id>/milestones", methods=["GET", "POST"])
def page(project_id: int):
    project = visible_project(project_id)
    form = VersionForm()
    if request.method == "POST":
        if not access.can_edit_milestones(actor(), project):
            abort(403)
        if form.validate_on_submit():
            return _save(project, form)
    return _page(project, form)


def _save(project, form):
    rows, confirming = _rows(request.form), request.form.get("action") == "confirm"
    operation = ops.save_and_confirm if confirming else ops.save_milestones
    try:
        operation(uow(), project, rows, actor=actor(), now=now(),
                  expected_version=parse_version(form.version.data))  # fmt: skip
    except InvalidInput as exc:
        return _page(project, form, rows=rows, problems=exc.problems), 422
    except Conflict:
        return _page(project, form, rows=rows, problems=[Problem("milestones", STALE)]), 409
    if confirming:
        flash("里程碑已确认（表中的修改已一并保存），可以开始实施", "success")
        return redirect(url_for("projects.detail", project_id=project.id, tab="milestones"))
    flash("里程碑已保存", "success")
    return redirect(url_for("milestones.page", project_id=project.id))


@bp.route("/projects/<int:project_id>/milestones/confirm", methods=["POST"])
def confirm(project_id: int):
    """Confirm the milestones as saved (the form's 「确认里程碑」 saves what it shows first)."""
    project = visible_project(project_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.confirm(uow(), project, actor=actor(), now=now(),
                    expected_version=parse_version(form.version.data))  # fmt: skip
    except GuardFailed as exc:
        return _page(project, form, problems=exc.problems), 409
    flash("里程碑已确认，可以开始实施", "success")
    return redirect(url_for("projects.detail", project_id=project.id, tab="milestones"))


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>", methods=["POST"])
def record(project_id: int, milestone_id: int):
    project = visible_project(project_id)
    milestone = db_session().get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        abort(404)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.record_actual(uow(), project, milestone, request.form, actor=actor(), now=now(),
                          today=_today())  # fmt: skip
    except InvalidInput as exc:
        typed = {f: request.form.get(f, "") for f in RECORD_FIELDS}
        record = (milestone_id, typed, milestone.title)
        return _page(project, form, problems=exc.problems, record=record), 422
    flash(f"已登记「{milestone.title}」的完成情况", "success")
    return redirect(url_for("milestones.page", project_id=project.id))


def _today():
    return now().astimezone(CHINA).date()


def _rows(form: MultiDict) -> list[dict[str, str]]:
    """The posted rows in the order of their index (at most 10 000: four digits)."""
    pattern = re.compile(r"milestones-(\d{1,4})-\w+")
    indexes = sorted({int(m.group(1)) for key in form if (m := pattern.fullmatch(key))})
    fields = (*ops.ROW_FIELDS, *ops.LEGACY_OFFSET_FIELDS)
    return [{f: form.get(f"milestones-{i}-{f}", "") for f in fields} for i in indexes]


def _page(project, form, *, rows=None, problems=(), record=None):
    """The page: the form of rows while the unit may still correct them (the rows given, as
    typed, or as saved), else the timeline; `record` = (milestone id, what was typed, its
    title) keeps a refused 登记 in its row."""
    session, spec = db_session(), lifecycle().spec
    milestones = ops.milestones_of(session, project)
    editable = access.can_edit_milestones(actor(), project)
    basis = ops.amount_basis(session, project)
    if rows is None:
        rows = ops.to_rows(milestones, basis)
    while rows and is_blank(rows[-1]):  # spare rows come back as the spare rows, not more
        rows = rows[:-1]
    rows = rows + [dict.fromkeys(ops.ROW_FIELDS, "") for _ in range(SPARE_ROWS)]
    shares = [computed_amount(row, basis) for row in rows]
    unshared = any(_typed(r, "percentage") and not _typed(r, "amount") for r in rows)
    return render_template(
        "milestones/page.html", project=project, form=form, milestones=milestones,
        rows=rows, shares=shares, choices=anchor_choices(rows), basis=basis,
        no_basis=basis.amount is None and unshared, units=ops.OFFSET_UNITS,
        follows={m.id for m in milestones
                 if m.amount is not None and m.amount == basis.share(m.percentage)},
        editable=editable, recordable={m.id for m in milestones
                                       if access.can_record_milestone(actor(), project, m, spec)},
        notes=ops.plan_notes(session, project) if editable else [], kinds=KIND_LABELS,
        problems=_once(problems), beside=_beside(problems, rows, record), record=record,
        today=_today(),
    )  # fmt: skip


def _beside(problems, rows, record) -> FieldProblems:
    """Each field's messages as shown beside it: without the row or the milestone they name
    (「第5行（支付质保金）·金额」应为数字… → 应为数字…), which the list at the top keeps."""
    shown = FieldProblems()
    for field, messages in problems_by_field(problems).items():
        parts = field.split("-")
        if record is not None:
            label = record[2]
        elif len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
            label = row_label(int(parts[1]) + 1, clean(rows[int(parts[1])].get("title")))
        else:
            label = None
        shown[field] = [_without(m, label) for m in messages] if label is not None else messages
    return shown


def _without(message: str, label: str) -> str:
    if message.startswith(f"「{label}·") and "」" in message[len(label) + 2 :]:
        return message[message.index("」", len(label) + 2) + 1 :]
    if message.startswith(label) and len(message) > len(label):
        return message[len(label) :].removeprefix("的")
    return message


def _typed(row, field: str) -> bool:
    return bool(str(row.get(field) or "").strip())


def _once(problems):
    """Each message once in the list at the top (the fields keep theirs)."""
    seen: set[str] = set()
    return [p for p in problems if not (p.message in seen or seen.add(p.message))]
