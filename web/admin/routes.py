"""The pages of the 三员 who keep the system (三员分立): the 系统管理员 keeps units, accounts and
the scoring-template rules; the 安全管理员 grants roles, resets passwords, lifts lock-outs and
sets the security policy. Each route names the duty it belongs to and refuses everyone else; the
安全审计员's pages are in web/audit."""

from __future__ import annotations

import functools

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from web import throttle
from web.admin.forms import (
    LightsRuleChoiceForm,
    PolicyForm,
    ReviewersForm,
    RolesForm,
    ScoringTemplateChoiceForm,
    UnitForm,
    UserForm,
)
from web.forms import parse_id, problems_by_field
from web.policy import changed, security_policy
from web.services import actor, db_session, lifecycle, now, uow
from workflow.errors import InvalidInput
from workflow.evaluation import choice
from workflow.evaluation.templates import available_templates
from workflow.monitoring import choice as lights_choice
from workflow.monitoring import lights
from workflow.org import access, policy
from workflow.org import operations as org
from workflow.org.models import ROLE_LABELS, Role, Unit, User, UserRole

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def duty(*roles: Role, post: tuple[Role, ...] | None = None):
    """The route is the work of these roles (its POST, of `post` when given); anyone else is
    refused (403)."""

    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            allowed = post if post is not None and request.method == "POST" else roles
            if not actor().roles & set(allowed):
                abort(403)
            return view(*args, **kwargs)

        checked.duty, checked.post_duty = roles, post if post is not None else roles
        return checked

    return wrap


@bp.route("/units", methods=["GET", "POST"])
@duty(Role.admin)
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
    reviewers = _reviewers()
    held = access.assignments(actor()) or {}  # every unit's reviewers, in one statement
    order = {i: n for n, i in enumerate(reviewers)}.get  # the names' order
    page = render_template(
        "admin/units.html", units=rows, form=form, problems=problems,
        field_problems=problems_by_field(problems),
        assigned_names={u.id: "、".join(reviewers[i] for i in sorted(
            (i for i in held.get(u.id, ()) if i in reviewers), key=order)) for u in rows},
        unassigned=[u for u in rows if not held.get(u.id)] if reviewers else [],
    )  # fmt: skip
    return page, 422 if problems else 200


def _reviewers() -> dict[int, str]:
    """Every active 财政审核人, id → name, in name order."""
    rows = db_session().execute(
        select(User.id, User.display_name)
        .where(User.is_active.is_(True), User.role_rows.any(UserRole.role == Role.reviewer.value))
        .order_by(User.display_name, User.id)
    )  # fmt: skip
    return dict(rows.tuples().all())


@bp.route("/units/<int:unit_id>/reviewers", methods=["POST"])
@duty(Role.admin)
def unit_reviewers(unit_id: int):
    unit = db_session().get(Unit, unit_id) or abort(404)
    form = ReviewersForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        chosen = org.assign_reviewers(uow(), unit, form.reviewers.data or [], actor=actor(),
                                      now=now())  # fmt: skip
    except InvalidInput as exc:
        flash(exc.problems[0].message, "error")
        return redirect(url_for("admin.edit_unit", unit_id=unit.id))
    if chosen:
        names = "、".join(u.display_name for u in chosen)
        flash(f"已保存：{unit.name}的财政审核人为{names}", "success")
    else:
        flash(f"已保存：{unit.name}未分配财政审核人，其项目全部财政审核人可见、可办理", "success")
    return redirect(url_for("admin.edit_unit", unit_id=unit.id))


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@duty(Role.admin)
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
    reviewers = _reviewers()
    assigned = ReviewersForm(formdata=None, reviewers=sorted(unit.reviewer_ids))
    assigned.reviewers.choices = list(reviewers.items())
    page = render_template(
        "admin/unit_form.html", unit=unit, form=form, problems=problems,
        field_problems=problems_by_field(problems), reviewers_form=assigned,
    )  # fmt: skip
    return page, 422 if problems else 200


@bp.route("/users")
@duty(Role.admin, Role.security_admin)
def users():
    rows = db_session().scalars(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", users=rows, role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@duty(Role.admin)
def new_user():
    """新建用户 (系统管理员): an account without roles, and its one-time password."""
    form = _user_form(UserForm(is_active=True) if request.method == "GET" else UserForm())
    if form.validate_on_submit():
        try:
            user = org.create_user(
                uow(), username=form.username.data, display_name=form.display_name.data,
                password=None, unit_id=_choice_unit(form.unit_id.data), email=form.email.data,
                actor=actor(), now=now(),
            )  # fmt: skip
        except InvalidInput as exc:
            return _user_page(form, None, exc.problems), 422
        return _one_time_page(user, user.one_time_password, created=True)
    return _user_page(form, None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@duty(Role.admin, Role.security_admin, post=(Role.admin,))
def user(user_id: int):
    """A user's page: the 系统管理员 edits the account; the 安全管理员 sees it and grants
    roles, resets the password and lifts a lock-out below."""
    user = db_session().get(User, user_id) or abort(404)
    if request.method == "GET":
        form = _user_form(UserForm(obj=user))
        form.unit_id.data = str(user.unit_id or "")
        return _user_page(form, user)
    form = _user_form(UserForm())
    if form.validate_on_submit():
        try:
            org.update_user(
                uow(), user, display_name=form.display_name.data,
                unit_id=_choice_unit(form.unit_id.data), is_active=bool(form.is_active.data),
                email=form.email.data, actor=actor(), now=now(),
            )  # fmt: skip
        except InvalidInput as exc:
            return _user_page(form, user, exc.problems), 422
        flash("用户已保存；如修改了单位或状态，其原有登录已失效", "success")
        return redirect(url_for("admin.users"))
    return _user_page(form, user)


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@duty(Role.security_admin)
def set_roles(user_id: int):
    """分配角色 (安全管理员)."""
    user = db_session().get(User, user_id) or abort(404)
    roles_form = RolesForm()
    try:
        org.set_roles(uow(), user, roles_form.roles.data or [], actor=actor(), now=now())
    except InvalidInput as exc:
        form = _user_form(UserForm(obj=user))
        form.unit_id.data = str(user.unit_id or "")
        return _user_page(form, user, exc.problems, roles_form=roles_form), 422
    flash(f"已保存「{user.display_name}」的角色；其原有登录已失效", "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@duty(Role.security_admin)
def reset_password(user_id: int):
    """重置密码: a one-time password, shown once to the 安全管理员 to hand over."""
    user = db_session().get(User, user_id) or abort(404)
    one_time = org.reset_password(uow(), actor(), user, now=now())
    throttle.forget_name(user.username)
    return _one_time_page(user, one_time, created=False)


def _one_time_page(user: User, one_time: str, *, created: bool):
    # Rendered, never flashed: a flash would travel in the (signed, not encrypted) cookie.
    return render_template("admin/one_time_password.html", user=user, one_time=one_time,
                           created=created)  # fmt: skip


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@duty(Role.security_admin)
def unlock_user(user_id: int):
    """解除锁定: the name may be tried again from every address."""
    user = db_session().get(User, user_id) or abort(404)
    org.unlock(uow(), actor(), user, now=now())
    throttle.forget_name(user.username)
    flash(f"已解除「{user.display_name}」的登录锁定", "success")
    return redirect(url_for("admin.user", user_id=user.id))


def _user_form(form: UserForm) -> UserForm:
    units = db_session().scalars(select(Unit).order_by(Unit.code)).all()
    form.unit_id.choices = [SelectChoice("", "（无：财政审核人或三员）")] + [
        SelectChoice(str(u.id), u.name) for u in units
    ]
    return form


def _user_page(form, user, problems=(), roles_form=None):
    rules = security_policy()
    locked = (
        org.locked_addresses(db_session(), user.username, now=now(),
                             failures=rules.lockout_failures, window=rules.lockout_window)
        if user else []
    )  # fmt: skip
    if user is not None and roles_form is None:
        roles_form = RolesForm(roles=sorted(r.value for r in user.roles))
    return render_template(
        "admin/user_form.html", form=form, user=user, problems=problems,
        field_problems=problems_by_field(problems), locked=locked,
        lock_minutes=rules.lockout_minutes, roles_form=roles_form,
        may_edit=actor().has_role(Role.admin),
        may_secure=actor().has_role(Role.security_admin) and user is not None
        and user.id != actor().id,
    )  # fmt: skip


@bp.route("/policy", methods=["GET", "POST"])
@duty(Role.security_admin)
def security_policy_page():
    """安全策略 (安全管理员): password life and reuse, session times, lock-out."""
    current = security_policy()
    form = PolicyForm(data=current.values()) if request.method == "GET" else PolicyForm()
    problems = []
    if request.method == "POST":
        try:
            saved = policy.save(uow(), form.values(), actor=actor(), now=now(), before=current)
        except InvalidInput as exc:
            problems = exc.problems
        else:
            changed(saved)
            flash("安全策略已保存，即时生效", "success")
            return redirect(url_for("admin.security_policy_page"))
    page = render_template(
        "admin/policy.html", form=form, policy=current, fields=policy.FIELDS, problems=problems,
        field_problems=problems_by_field(problems),
    )  # fmt: skip
    return page, 422 if problems else 200


@bp.route("/scoring-templates", methods=["GET", "POST"])
@duty(Role.admin)
def scoring_templates():
    """评分模板: the rules choosing a template per unit and/or year; add one here."""
    templates = available_templates()

    def add(unit_id, year, name):
        choice.set_template_choice(uow(), unit_id=unit_id, year=year, template=name,
                                   actor=actor(), now=now(), lifecycle=lifecycle())  # fmt: skip

    return _rules_page(
        ScoringTemplateChoiceForm(), choice.SCORING, {t.key: t.label for t in templates}, add,
        choice.choices, "admin/scoring_templates.html", "admin.delete_scoring_template",
        templates=templates,
    )  # fmt: skip


@bp.route("/scoring-templates/<int:choice_id>/delete", methods=["POST"])
@duty(Role.admin)
def delete_scoring_template(choice_id: int):
    """Delete a rule (the global CSRF check guards this post)."""
    choice.delete_template_choice(
        uow(), choice_id, actor=actor(), now=now(), lifecycle=lifecycle()
    )  # fmt: skip
    flash("评分模板规则已删除", "success")
    return redirect(url_for("admin.scoring_templates"))


@bp.route("/lights-rules", methods=["GET", "POST"])
@duty(Role.admin)
def lights_rules():
    """预警规则: the rules choosing a lights file per unit and/or year, as for scoring templates."""
    files = lights.available_rules()

    def add(unit_id, year, name):
        lights_choice.set_rules_choice(uow(), unit_id=unit_id, year=year, rules=name,
                                       actor=actor(), now=now())  # fmt: skip

    return _rules_page(
        LightsRuleChoiceForm(), lights_choice.LIGHTS, {r.key: r.label for r in files}, add,
        lights_choice.choices, "admin/lights_rules.html", "admin.delete_lights_rules",
        files=files, bases=lights.BASES, light_order=("red", "yellow", "green", "blue"),
        light_labels={light.value: label for light, label in lights.LIGHT_LABELS.items()},
    )  # fmt: skip


@bp.route("/lights-rules/<int:choice_id>/delete", methods=["POST"])
@duty(Role.admin)
def delete_lights_rules(choice_id: int):
    """Delete a rule (the global CSRF check guards this post)."""
    lights_choice.delete_rules_choice(uow(), choice_id, actor=actor(), now=now())
    flash("预警规则已删除", "success")
    return redirect(url_for("admin.lights_rules"))


def _rules_page(form, kind, titles: dict[str, str], add, listed, template, delete_endpoint,
                **extra):  # fmt: skip
    """A page of rules choosing a shipped file per unit and/or year (scoped_rules): the rules,
    the form adding one (its choices the units and the files), refusals in Chinese (422)."""
    units = db_session().scalars(select(Unit).order_by(Unit.code)).all()
    form.unit_id.choices = [SelectChoice("", "（所有单位）")] + [
        SelectChoice(str(u.id), u.name) for u in units
    ]
    form[kind.field].choices = [SelectChoice("", "（请选择）")] + [
        SelectChoice(key, label) for key, label in titles.items()
    ]
    problems = []
    if form.validate_on_submit():
        try:
            add(_choice_unit(form.unit_id.data), form.year.data or "",
                form[kind.field].data or "")  # fmt: skip
        except InvalidInput as exc:
            problems = exc.problems
        else:
            flash(f"{kind.rule}已添加", "success")
            return redirect(request.path)
    page = render_template(
        template, rules=listed(db_session()), form=form, titles=titles, problems=problems,
        field_problems=problems_by_field(problems), noun=kind.noun, file_field=kind.field,
        delete_endpoint=delete_endpoint, **extra,
    )  # fmt: skip
    return page, 422 if problems else 200


def _choice_unit(raw: str | None) -> int | None:
    """ "" is no unit (or, for a rule, every unit); anything that is not a unit id becomes one
    that does not exist, so the check says 「所选单位不存在」."""
    if not raw:
        return None
    unit_id = parse_id(raw)
    return -1 if unit_id is None else unit_id
