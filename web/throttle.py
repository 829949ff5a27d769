"""Login throttling with Flask-Limiter: failed logins are counted per source address and per
user name, in Redis when REDIS_URL is set (so every web node shares one count) and in the
node's memory otherwise. Only failures count, so an office behind one address logging in at
nine o'clock is not slowed; trying one password on forty names from one address is, and so is
guessing one name from many addresses. The per-name-and-address lock-out (a stranger cannot
lock the owner out) lives with the login itself (workflow.org.operations.authenticate)."""

from __future__ import annotations

from flask import current_app, flash, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse_many

from web.services import now, uow
from workflow.org import sessions
from workflow.text import clean

THROTTLED = "登录尝试过于频繁，请稍后再试"
KEY_PREFIX = "jixiao"  # the limiter's keys in Redis (RATELIMIT_KEY_PREFIX to change it)


def _address() -> str:
    return request.remote_addr or "-"


def _name() -> str:
    return _name_key(request.form.get("username", ""))


def _name_key(username: str) -> str:
    return "name:" + (clean(username)[:64] or "-")


def forget_name(username: str) -> None:
    """An administrator's 解除锁定 also lifts the slow-down of the name, on every node."""
    limiter = current_app.extensions["jixiao_limiter"]
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", KEY_PREFIX)
    # as Flask-Limiter builds the key: prefix, key, scope
    args = [a for a in (prefix, _name_key(username), "login-name") if a]
    for item in parse_many(current_app.config["LOGIN_LIMIT_PER_NAME"]):
        limiter.limiter.clear(item, *args)


def _failed(response) -> bool:
    return response.status_code == 401  # a wrong password, an unknown name, a lock


def register(app) -> None:
    """One limiter per app (each test's app counts on its own in memory); limits read from
    LOGIN_LIMIT_PER_ADDRESS and LOGIN_LIMIT_PER_NAME."""
    config = app.config
    limiter = Limiter(
        key_func=_address,
        storage_uri=config.get("REDIS_URL") or "memory://",
        key_prefix=config.get("RATELIMIT_KEY_PREFIX", KEY_PREFIX),
        strategy="moving-window",
        # Redis down: each node counts in its own memory meanwhile, and logins go on.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        headers_enabled=False,
    )
    limiter.init_app(app)
    view = app.view_functions["auth.login"]
    for limit, key, scope in (
        (config["LOGIN_LIMIT_PER_ADDRESS"], _address, "login-address"),
        (config["LOGIN_LIMIT_PER_NAME"], _name, "login-name"),
    ):
        # shared: the bucket is the scope alone, which forget_name can name
        view = limiter.shared_limit(
            limit, scope, key_func=key, methods=["POST"], deduct_when=_failed
        )(view)
    app.view_functions["auth.login"] = view
    app.extensions["jixiao_limiter"] = limiter

    @app.errorhandler(RateLimitExceeded)
    def throttled(exc: RateLimitExceeded):
        if request.endpoint != "auth.login":  # no other limits today
            from web.errors import error_page

            return error_page(429, THROTTLED)
        from web.auth import LoginForm

        username = clean(request.form.get("username", ""))
        with uow() as work:
            sessions.record(work.session, username, "throttled", now=now(),
                            remote_addr=request.remote_addr or "")  # fmt: skip
            work.commit()
        current_app.logger.warning("login throttled: %s from %s", username[:64], _address())
        flash(THROTTLED, "error")
        form = LoginForm(formdata=None, username=username[:64])
        return render_template("auth/login.html", form=form), 429
