"""绩效目标调整 on the web: the 填报人 starts a proposal from the project page and fills it in
against the current version of the yardstick; the 单位负责人 signs, a 财政审核人 approves or
returns, every step through the proposal's workflow in states.yaml; every version of the
yardstick, and what differs between any two, is shown; finance sets the year's deadline."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select

from web.errors import error_page
from web.forms import ActionForm, parse_id, parse_version, problems_by_field
from web.items import take_step
from web.services import actor, db_session, lifecycle, now, uow, visible_project
from workflow.adjustment import operations as ops
from workflow.adjustment.hooks import KIND
from workflow.adjustment.models import AdjustmentDeadline, TargetAdjustment
from workflow.clock import CHINA
from workflow.declaration.models import CATEGORIES, INDICATOR_DIRECTIONS
from workflow.errors import InvalidInput, NotAllowed, NotFound, Problem
from workflow.lifecycle import items
from workflow.lifecycle.history import event_changes
from workflow.monitoring import lights
from workflow.monitoring.hooks import KIND as REPORT
from workflow.monitoring.models import MonitoringReport
from workflow.numbers import show_wan
from workflow.org.models import Role

bp = Blueprint("adjustment", __name__, template_folder="templates")
NEW_ROWS = 3  # blank rows offered for indicators to add
LIGHT_LABELS = {light.value: label for light, label in lights.LIGHT_LABELS.items()}


def project_panel(session, user, project) -> dict:
    """What the project's 概览 says of its yardstick and monitoring: the current version, the
    proposal under way (if the user may open it), whether the user may start one, and the
    project's 监控表 the user may open. A fixed number of statements."""
    lc = lifecycle()
    if "adjustment" not in lc.workflows:
        return {}
    spec = lc.spec
    number = ops.current_number(session, project)
    proposal = ops.open_proposal(session, project)
    if proposal is not None and not items.can_view(user, proposal, KIND, spec):
        proposal = None
    may_propose = (proposal is None and Role.filler in user.roles
                   and user.unit_id == project.unit_id
                   and not ops.timing_problems(session, project, spec, _today()))  # fmt: skip
    reports = []
    if "monitoring" in lc.workflows:
        reports = [r for r in session.scalars(
            select(MonitoringReport).where(MonitoringReport.project_id == project.id)
            .order_by(MonitoringReport.id.desc()).limit(20)
        ) if items.can_view(user, r, REPORT, spec)]  # fmt: skip
    return {"yardstick": {"number": number, "proposal": proposal, "may_propose": may_propose,
                          "reports": reports, "flow": spec.workflows["adjustment"],
                          "monitoring": spec.workflows.get("monitoring"),
                          "light_labels": LIGHT_LABELS}}  # fmt: skip


def _today() -> dt.date:
    return now().astimezone(CHINA).date()


def _flow():
    return items.workflow_of(KIND, lifecycle())


@bp.route("/projects/<int:project_id>/adjustments", methods=["POST"])
def start(project_id: int):
    """Start a proposal (or go to the one under way)."""
    project = visible_project(project_id)
    if not FlaskForm().validate_on_submit():
        return error_page(400, "表单已失效，请刷新页面后重试")
    _flow()
    try:
        item = ops.propose(uow(), project, actor=actor(), spec=lifecycle().spec, now=now())
    except InvalidInput as exc:  # not now, or not this project: a conflict with its state
        return error_page(409, "暂不能申请调整绩效目标", exc.problems)
    flash("已拟订绩效目标调整申请：请填写调整内容和理由，保存后提交", "success")
    return redirect(url_for("adjustment.page", adjustment_id=item.id))


def _item(adjustment_id: int) -> TargetAdjustment:
    item = db_session().get(TargetAdjustment, adjustment_id)
    if item is None or not items.can_view(actor(), item, KIND, lifecycle().spec):
        raise NotFound()
    return item


@bp.route("/adjustments/<int:adjustment_id>", methods=["GET", "POST"])
def page(adjustment_id: int):
    """The proposal: a form against the current version while its 填报人 drafts it, read-only
    for everyone else who may open it; its steps and history."""
    user, session = actor(), db_session()
    item = _item(adjustment_id)
    spec = lifecycle().spec
    base = ops.versions(session, item.project)[item.base_number - 1 : item.base_number]
    base = base[0] if base else ops.versions(session, item.project)[-1]
    problems: list[Problem] = []
    typed = None
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            return error_page(400, "表单已失效，请刷新页面后重试")
        typed = _typed(base)
        try:
            ops.save(uow(), item, typed, actor=user, spec=spec, now=now(),
                     expected_version=parse_version(request.form.get("version")))  # fmt: skip
        except InvalidInput as exc:
            problems = exc.problems
        else:
            flash("调整申请已保存", "success")
            return redirect(url_for("adjustment.page", adjustment_id=item.id))
    rendered = render_template(
        "adjustment/page.html", item=item, project=item.project, base=base, typed=typed,
        editable=ops.can_edit(user, item, spec), problems=problems,
        field_problems=problems_by_field(problems), spec=_flow().spec,
        actions=items.available_actions(session, item, user, kind=KIND, now=now(),
                                        lifecycle=lifecycle()),
        action_form=ActionForm(), categories=CATEGORIES, directions=INDICATOR_DIRECTIONS,
        changes_by_row=_changes_by_row(item), added=[c for c in item.changes if c.kind == "add"],
        new_rows=NEW_ROWS, history=items.history(session, item, KIND), show_wan=show_wan,
        changes_of=event_changes,
        deadline=ops.deadline_of(session, item.project.year),
    )  # fmt: skip
    return rendered, 422 if problems else 200


def _changes_by_row(item: TargetAdjustment) -> dict:
    found: dict = {"indicators": {}, "amounts": {}}
    for c in item.changes:
        if c.kind in ("target", "remove"):
            found["indicators"][c.row] = c
        elif c.kind == "amount":
            found["amounts"][c.row] = c
    return found


def _typed(base: ops.Version) -> ops.ProposalInput:
    form = request.form
    rows = tuple(
        ops.RowChange(new_target=form.get(f"rows-{n}-target", ""),
                      direction=form.get(f"rows-{n}-direction", ""),
                      remove=form.get(f"rows-{n}-remove") == "1",
                      reason=form.get(f"rows-{n}-reason", ""))
        for n in range(1, len(base.indicators) + 1)
    )  # fmt: skip
    offered = min(parse_id(form.get("added-count")) or 0, ops.MAX_NEW)
    added = tuple(
        ops.NewIndicator(**{key: form.get(f"added-{n}-{key}", "")
                            for key in ("category", "name", "target", "direction", "reason")})
        for n in range(1, offered + 1)
    )  # fmt: skip
    amounts = tuple(
        ops.AmountChange(new_amount=form.get(f"amounts-{n}-amount", ""),
                         reason=form.get(f"amounts-{n}-reason", ""))
        for n in range(1, len(base.fund_items) + 1)
    )  # fmt: skip
    return ops.ProposalInput(reason=form.get("reason", ""), rows=rows, added=added,
                             amounts=amounts)  # fmt: skip


@bp.route("/adjustments/<int:adjustment_id>/actions/<trigger>", methods=["POST"])
def act(adjustment_id: int, trigger: str):
    item = _item(adjustment_id)
    refused = take_step(item, KIND, trigger, said=_made)
    if refused is not None:
        return refused
    return redirect(url_for("adjustment.page", adjustment_id=item.id))


def _made(item: TargetAdjustment) -> str:
    return f"，绩效目标已更新为第 {item.result_number} 版" if item.result_number else ""


@bp.route("/projects/<int:project_id>/yardstick")
def yardstick(project_id: int):
    """Every version of the project's yardstick, and what differs between two of them
    (`?from=1&to=2`; the last two by default)."""
    project = visible_project(project_id)
    found = ops.versions(db_session(), project)
    numbers = [v.number for v in found]
    newer = parse_id(request.args.get("to")) or numbers[-1]
    older = parse_id(request.args.get("from")) or (numbers[-2] if len(numbers) > 1 else 1)
    if newer not in numbers or older not in numbers:
        raise NotFound()
    pair = (found[numbers.index(older)], found[numbers.index(newer)])
    return render_template(
        "adjustment/yardstick.html", project=project, versions=found, older=pair[0],
        newer=pair[1], differences=ops.compare(*pair), show_wan=show_wan,
    )  # fmt: skip


@bp.route("/adjustments/deadlines", methods=["GET", "POST"])
def deadlines():
    """Finance sets the last day each year's targets may be proposed for adjustment."""
    user, session = actor(), db_session()
    if Role.reviewer not in user.roles:
        raise NotAllowed()
    problems: list[Problem] = []
    form = FlaskForm()
    values = {"year": str(_today().year), "deadline": ""}
    if request.method == "POST":
        if not form.validate_on_submit():
            return error_page(400, "表单已失效，请刷新页面后重试")
        values = {k: (request.form.get(k) or "").strip()[:20] for k in values}
        deadline = None
        try:
            deadline = dt.date.fromisoformat(values["deadline"]) if values["deadline"] else None
        except ValueError:
            problems.append(Problem("deadline", "截止日期请按“年-月-日”填写，如 2027-09-30"))
        if not problems:
            try:
                ops.set_deadline(uow(), year=parse_id(values["year"]), deadline=deadline,
                                 actor=user, now=now())  # fmt: skip
            except InvalidInput as exc:
                problems = exc.problems
            else:
                flash(f"已设置 {values['year']} 年度绩效目标调整申请截止日期：{deadline}",
                      "success")  # fmt: skip
                return redirect(url_for("adjustment.deadlines"))
    listed = session.scalars(select(AdjustmentDeadline).order_by(AdjustmentDeadline.year.desc()))
    page_html = render_template(
        "adjustment/deadlines.html", form=form, values=values, problems=problems,
        field_problems=problems_by_field(problems), deadlines=list(listed),
    )  # fmt: skip
    return page_html, 422 if problems else 200
