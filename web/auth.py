"""Login and logout; every page but these and static files needs a logged-in user."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import UserMixin, current_user, login_url, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from web.forms import problems_by_field
from web.policy import security_policy
from web.services import close_session, now, uow
from workflow.errors import InvalidInput, Problem
from workflow.org import operations as org
from workflow.org import passwords, sessions
from workflow.org.models import User
from workflow.org.operations import authenticate

bp = Blueprint("auth", __name__)
PUBLIC_ENDPOINTS = {"auth.login", "static"}
# What a user who must change their password first may still reach.
BEFORE_A_NEW_PASSWORD = {"auth.change_password", "auth.logout", "static"}


class Principal(UserMixin):
    """Flask-Login's view of a user. Its id is the session's token (kept server-side as a
    hash, see workflow.org.sessions): logging out, a timeout or a change of password, role,
    unit or activation ends the session at its next request."""

    def __init__(self, user: User, token: str) -> None:
        self.user, self.token = user, token

    def get_id(self) -> str:
        return self.token

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
        # The session, the user and their roles in one statement: this runs on every request.
        resumed = sessions.resume(uow(), token, session_policy(), now=now())
        if resumed.user is None:
            g.session_ended = resumed.ended
            return None
        return Principal(resumed.user, token)

    @app.before_request
    def require_login():
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if current_user.is_authenticated:
            if request.endpoint not in BEFORE_A_NEW_PASSWORD and password_reason(current_user.user):
                return redirect(url_for("auth.change_password", next=request.full_path))
            return None
        if g.get("session_ended") == "expired":
            session.clear()
            flash("您已较长时间未操作或登录时间已满，为保护账号已自动退出，请重新登录", "info")
            return redirect(login_url(login_manager.login_view, request.url))
        return login_manager.unauthorized()

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
        policy = security_policy()
        result = authenticate(
            uow(), form.username.data, form.password.data, now=now(), remote_addr=_address(),
            failures=policy.lockout_failures, window=policy.lockout_window,
        )  # fmt: skip
        if result.user is not None:
            # A new session: nothing of the cookie from before the login is kept (fixation).
            session.clear()
            token = sessions.start(uow(), result.user, now=now(), remote_addr=_address())
            login_user(Principal(result.user, token))
            return redirect(_safe_next(request.args.get("next")))
        minutes = policy.lockout_minutes
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
    # Ended on the server: the cookie, or a copy of it saved before, is refused from now on.
    sessions.end(uow(), current_user.get_id(), now=now(), remote_addr=_address())
    logout_user()
    session.clear()
    flash("您已退出登录", "info")
    return redirect(url_for("auth.login"))


class PasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[Length(max=256, message="密码过长")])
    new = PasswordField("新密码", validators=[Length(max=256, message="密码过长")])
    confirm = PasswordField("确认新密码", validators=[Length(max=256, message="密码过长")])


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    """修改密码: any user, any time; the only page open to one who must change it first."""
    user = current_user.user
    form = PasswordForm()
    problems = []
    if form.validate_on_submit():
        try:
            org.change_password(
                uow(), user, form.current.data or "", form.new.data or "",
                form.confirm.data or "", password_policy(), now=now(),
            )  # fmt: skip
        except InvalidInput as exc:
            problems = exc.problems
        else:
            # Every other session of the user has ended; this browser goes on in a new one.
            sessions.end(uow(), current_user.get_id(), now=now(), remote_addr=_address(),
                         log=False)  # fmt: skip
            token = sessions.start(uow(), user, now=now(), remote_addr=_address(), log=False)
            session.clear()
            login_user(Principal(user, token))
            flash("密码已修改；您在其他地方的登录已退出", "success")
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        problems = [Problem(f.name, m) for f in form for m in f.errors] or [
            Problem("current", "页面已失效，请刷新页面后重试")
        ]
    page = render_template(
        "auth/password.html", form=form, reason=password_reason(user), problems=problems,
        field_problems=problems_by_field(problems), policy=password_policy(),
        min_length=passwords.MIN_LENGTH,
    )  # fmt: skip
    return page, 422 if problems else 200


def password_policy() -> passwords.PasswordPolicy:
    return security_policy().password


def password_reason(user: User) -> str | None:
    """Why the user must change their password before anything else, or None."""
    return passwords.must_change(
        user.password_changed_at, user.must_change_password, password_policy(), now=now()
    )


def session_policy() -> sessions.SessionPolicy:
    return security_policy().session


def _address() -> str:
    return request.remote_addr or ""


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an absolute or scheme-relative URL (open redirect).
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("workbench.index")
