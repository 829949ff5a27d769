"""Login and logout; every page but these and static files needs a logged-in user."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from web.services import close_session, db_session, now, uow
from workflow.org.models import User
from workflow.org.operations import LOCKOUT_WINDOW, authenticate

bp = Blueprint("auth", __name__)
PUBLIC_ENDPOINTS = {"auth.login", "static"}


class Principal(UserMixin):
    """Flask-Login's view of a user; the id carries the session version, so a change of
    password, role, unit or activation ends every older session at its next request."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_version}"

    @property
    def is_active(self) -> bool:
        return self.user.is_active


def init_login(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str):
        user_id, _, version = token.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        # The user and their roles in one statement: this runs on every request.
        user = db_session().get(User, int(user_id), options=[joinedload(User.role_rows)])
        if user is None or not user.is_active or user.session_version != int(version):
            return None
        return Principal(user)

    @app.before_request
    def require_login():
        if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None

    app.teardown_appcontext(close_session)


class LoginForm(FlaskForm):
    username = StringField(
        "用户名", validators=[DataRequired("请输入用户名"), Length(max=64, message="用户名过长")]
    )
    password = PasswordField(
        "密码", validators=[DataRequired("请输入密码"), Length(max=256, message="密码过长")]
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("workbench.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(
            uow(), form.username.data, form.password.data,
            now=now(), remote_addr=request.remote_addr or "",
        )  # fmt: skip
        if result.user is not None:
            login_user(Principal(result.user))
            return redirect(_safe_next(request.args.get("next")))
        minutes = int(LOCKOUT_WINDOW.total_seconds() // 60)
        message = (
            f"登录失败次数过多，该账号已暂时锁定，请{minutes}分钟后再试"
            if result.locked
            else "用户名或密码错误"
        )
        flash(message, "error")
        return render_template("auth/login.html", form=form), 401
    if request.method == "POST":  # a blank or over-long name or password: say so
        for message in [*form.username.errors, *form.password.errors] or ["请刷新页面后重新登录"]:
            flash(message, "error")
        return render_template("auth/login.html", form=form), 422
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash("您已退出登录", "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an absolute or scheme-relative URL (open redirect).
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("workbench.index")
