"""委托办理: set a delegation (for oneself; the 单位负责人 for someone of the unit; the 系统管理员
for anyone), list the delegations one gave, received or arranged, and end one early."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from web.errors import error_page
from web.forms import parse_id, problems_by_field
from web.services import actor, db_session, now, uow
from workflow.clock import CHINA
from workflow.errors import InvalidInput, NotAllowed, NotFound, Problem
from workflow.org import delegation
from workflow.org.models import Role, User

bp = Blueprint("delegations", __name__, template_folder="templates")


class DelegationForm(FlaskForm):
    delegator = HiddenField()
    delegate = StringField("受托人")
    starts_on = StringField("开始日期")
    ends_on = StringField("结束日期（含当日）")
    reason = TextAreaField("委托事由")


def _today() -> dt.date:
    return now().astimezone(CHINA).date()


def _delegator(raw: str | None) -> User | None:
    """Whose work the form hands over: the one asked for (if the user may arrange it), else
    the user themselves when they have work to hand over."""
    user, session = actor(), db_session()
    wanted = parse_id(raw)
    if wanted is not None:
        person = session.get(User, wanted)
        if person is None or not delegation.may_arrange(user, person):
            raise NotFound()
        return person
    return user if delegation.may_arrange(user, user) and not user.has_role(Role.admin) else None


def _date(raw: str | None, field: str, label: str, problems: list[Problem]) -> dt.date | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        problems.append(Problem(field, f"{label}请按“年-月-日”填写，如 2026-12-08"))
        return None


@bp.route("/delegations", methods=["GET", "POST"])
def index():
    user, session = actor(), db_session()
    if not (delegation.may_arrange(user, user) or user.has_role(Role.admin)):
        raise NotAllowed()  # the 安全管理员 and the 安全审计员 hand over no work
    form = DelegationForm()
    delegator = _delegator(form.delegator.data if request.method == "POST"
                           else request.args.get("for"))  # fmt: skip
    problems: list[Problem] = []
    if request.method == "POST":
        if not form.validate_on_submit():
            return error_page(400, "表单已失效，请刷新页面后重试")
        if delegator is None:
            raise NotFound()
        starts_on = _date(form.starts_on.data, "starts_on", "开始日期", problems)
        ends_on = _date(form.ends_on.data, "ends_on", "结束日期", problems)
        delegate_id = parse_id(form.delegate.data)
        delegate = session.get(User, delegate_id) if delegate_id is not None else None
        if not problems:
            try:
                made = delegation.create(
                    uow(), by=user, delegator=delegator, delegate=delegate,
                    starts_on=starts_on, ends_on=ends_on, reason=form.reason.data or "",
                    now=now(), today=_today(),
                )  # fmt: skip
            except InvalidInput as exc:
                problems = exc.problems
            else:
                flash(f"已设置委托：{made.delegate.display_name}在 {made.starts_on} 至 "
                      f"{made.ends_on} 代{made.delegator.display_name}办理", "success")  # fmt: skip
                return redirect(url_for("delegations.index"))
    elif delegator is not None:
        form.delegator.data = str(delegator.id)
        form.starts_on.data = form.starts_on.data or _today().isoformat()
    page = render_template(
        "delegations/index.html", form=form, delegator=delegator, problems=problems,
        field_problems=problems_by_field(problems), today=_today(),
        candidates=delegation.candidates(session, delegator) if delegator else [],
        people=delegation.arrangeable(session, user),
        listing=delegation.listing(session, user), max_days=delegation.MAX_DAYS,
        may_end=lambda d: delegation.may_arrange(user, d.delegator) or d.delegate_id == user.id,
    )  # fmt: skip
    return page, 422 if problems else 200


@bp.route("/delegations/<int:delegation_id>/end", methods=["POST"])
def end(delegation_id: int):
    if not FlaskForm().validate_on_submit():
        return error_page(400, "表单已失效，请刷新页面后重试")
    try:
        item = delegation.end(uow(), delegation_id, by=actor(), now=now())
    except InvalidInput as exc:
        flash(exc.problems[0].message, "error")
    else:
        flash(f"已结束委托：{item.delegate.display_name}不再代{item.delegator.display_name}办理",
              "success")  # fmt: skip
    return redirect(url_for("delegations.index"))
