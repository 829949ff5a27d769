"""管理员 pages: units, users and the scoring-template rules. Every route refuses anyone without
the admin role."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from web import throttle
from web.admin.forms import ScoringTemplateChoiceForm, UnitForm, UserForm
from web.forms import parse_id, problems_by_field
from web.services import actor, db_session, lifecycle, now, uow
from workflow.errors import InvalidInput
from workflow.evaluation import choice
from workflow.evaluation.templates import available_templates
from workflow.org import operations as org
from workflow.org.models import ROLE_LABELS, Role, Unit, User

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
def require_admin():
    if not actor().has_role(Role.admin):
        abort(403)


@bp.route("/units", methods=["GET", "POST"])
def units():
    form = UnitForm()
    problems = []
    if form.validate_on_submit():
        try:
            org.create_unit(
                uow(), code=form.code.data, name=form.name.data, email=form.email.data,
                actor=actor(), now=now(),
            )  # fmt: skip
        except InvalidInput as exc:
            problems = exc.problems
        else:
            flash("单位已添加", "success")
            return redirect(url_for("admin.units"))
    rows = db_session().scalars(select(Unit).order_by(Unit.code)).all()
    page = render_template(
        "admin/units.html", units=rows, form=form, problems=problems,
        field_problems=problems_by_field(problems),
    )  # fmt: skip
    return page, 422 if problems else 200


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def edit_unit(unit_id: int):
    unit = db_session().get(Unit, unit_id) or abort(404)
    form = UnitForm(obj=unit) if request.method == "GET" else UnitForm()
    problems = []
    if form.validate_on_submit():
        try:
            org.update_unit(
                uow(), unit, code=form.code.data, name=form.name.data, email=form.email.data,
                actor=actor(), now=now(),
            )  # fmt: skip
        except InvalidInput as exc:
            problems = exc.problems
        else:
            flash("单位已保存", "success")
            return redirect(url_for("admin.units"))
    page = render_template(
        "admin/unit_form.html", unit=unit, form=form, problems=problems,
        field_problems=problems_by_field(problems),
    )  # fmt: skip
    return page, 422 if problems else 200


@bp.route("/users")
def users():
    rows = db_session().scalars(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", users=rows, role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = _user_form(UserForm(is_active=True) if request.method == "GET" else UserForm())
    if form.validate_on_submit():
        try:
            user = org.create_user(
                uow(), username=form.username.data, display_name=form.display_name.data,
                password=None, roles=form.roles.data or [],
                unit_id=parse_id(form.unit_id.data), email=form.email.data,
                actor=actor(), now=now(),
            )  # fmt: skip
        except InvalidInput as exc:
            return _user_page(form, None, exc.problems), 422
        return _one_time_page(user, user.one_time_password, created=True)
    return _user_page(form, None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = db_session().get(User, user_id) or abort(404)
    if request.method == "GET":
        form = _user_form(UserForm(obj=user))
        form.roles.data = sorted(r.value for r in user.roles)
        form.unit_id.data = str(user.unit_id or "")
    else:
        form = _user_form(UserForm())
    if form.validate_on_submit():
        try:
            org.update_user(
                uow(), user, display_name=form.display_name.data, roles=form.roles.data or [],
                unit_id=parse_id(form.unit_id.data), is_active=bool(form.is_active.data),
                email=form.email.data,
                actor=actor(), now=now(),
            )  # fmt: skip
        except InvalidInput as exc:
            return _user_page(form, user, exc.problems), 422
        flash("用户已保存；如修改了角色、单位或状态，其原有登录已失效", "success")
        return redirect(url_for("admin.users"))
    return _user_page(form, user)


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def reset_password(user_id: int):
    """重置密码: a one-time password, shown once to the administrator to hand over."""
    user = db_session().get(User, user_id) or abort(404)
    one_time = org.reset_password(uow(), actor(), user, now=now())
    throttle.forget_name(user.username)
    return _one_time_page(user, one_time, created=False)


def _one_time_page(user: User, one_time: str, *, created: bool):
    # Rendered, never flashed: a flash would travel in the (signed, not encrypted) cookie.
    return render_template("admin/one_time_password.html", user=user, one_time=one_time,
                           created=created)  # fmt: skip


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
def unlock_user(user_id: int):
    """解除锁定: the name may be tried again from every address."""
    user = db_session().get(User, user_id) or abort(404)
    org.unlock(uow(), actor(), user, now=now())
    throttle.forget_name(user.username)
    flash(f"已解除「{user.display_name}」的登录锁定", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _user_form(form: UserForm) -> UserForm:
    units = db_session().scalars(select(Unit).order_by(Unit.code)).all()
    form.unit_id.choices = [SelectChoice("", "（无，财政或管理员）")] + [
        SelectChoice(str(u.id), u.name) for u in units
    ]
    return form


def _user_page(form, user, problems=()):
    locked = org.locked_addresses(db_session(), user.username, now=now()) if user else []
    return render_template(
        "admin/user_form.html", form=form, user=user, problems=problems,
        field_problems=problems_by_field(problems), locked=locked,
        lock_minutes=int(org.LOCKOUT_WINDOW.total_seconds() // 60),
    )  # fmt: skip


@bp.route("/scoring-templates", methods=["GET", "POST"])
def scoring_templates():
    """评分模板: the rules choosing a template per unit and/or year; add one here."""
    form = _choice_form(ScoringTemplateChoiceForm())
    problems = []
    if form.validate_on_submit():
        try:
            choice.set_template_choice(
                uow(), unit_id=_choice_unit(form.unit_id.data), year=form.year.data or "",
                template=form.template.data or "", actor=actor(), now=now(),
                lifecycle=lifecycle(),
            )  # fmt: skip
        except InvalidInput as exc:
            problems = exc.problems
        else:
            flash("评分模板规则已添加", "success")
            return redirect(url_for("admin.scoring_templates"))
    page = render_template(
        "admin/scoring_templates.html", rules=choice.choices(db_session()), form=form,
        templates=available_templates(), problems=problems,
        field_problems=problems_by_field(problems),
    )  # fmt: skip
    return page, 422 if problems else 200


@bp.route("/scoring-templates/<int:choice_id>/delete", methods=["POST"])
def delete_scoring_template(choice_id: int):
    """Delete a rule (the global CSRF check guards this post)."""
    choice.delete_template_choice(
        uow(), choice_id, actor=actor(), now=now(), lifecycle=lifecycle()
    )  # fmt: skip
    flash("评分模板规则已删除", "success")
    return redirect(url_for("admin.scoring_templates"))


def _choice_form(form: ScoringTemplateChoiceForm) -> ScoringTemplateChoiceForm:
    units = db_session().scalars(select(Unit).order_by(Unit.code)).all()
    form.unit_id.choices = [SelectChoice("", "（所有单位）")] + [
        SelectChoice(str(u.id), u.name) for u in units
    ]
    form.template.choices = [SelectChoice("", "（请选择）")] + [
        SelectChoice(t.key, t.label) for t in available_templates()
    ]
    return form


def _choice_unit(raw: str | None) -> int | None:
    """ "" is every unit; anything that is not a unit id becomes one that does not exist."""
    if not raw:
        return None
    unit_id = parse_id(raw)
    return -1 if unit_id is None else unit_id
