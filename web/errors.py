"""Domain errors and HTTP errors as Chinese pages."""

from __future__ import annotations

from flask import g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflow.errors import (
    Conflict,
    DomainError,
    GuardFailed,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
)

STATUS = {NotAllowed: 403, NotFound: 404, InvalidTransition: 409, GuardFailed: 409, Conflict: 409,
          InvalidInput: 422}  # fmt: skip
HTTP_MESSAGES = {
    400: "请求无效",
    403: "您没有权限访问此页面",
    404: "页面不存在，或您无权查看",
    405: "不支持此请求方式",
    409: "操作与当前状态冲突",
    413: "提交的内容过大",
    422: "填写的内容有误",
    429: "请求过于频繁",
    500: "服务器内部错误，请稍后重试；如问题持续，请联系管理员",
}


def error_page(status: int, message: str, problems=()):
    title = HTTP_MESSAGES.get(status, "出错了")
    return render_template(
        "errors/error.html", status=status, title=title, message=message, problems=problems
    ), status


def register(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        return error_page(status, exc.message, getattr(exc, "problems", ()))

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_page(400, "表单已失效或缺少安全令牌，请刷新页面后重新提交")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        return error_page(status, HTTP_MESSAGES.get(status, "请求无法处理"))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        # A failed statement leaves PostgreSQL's transaction aborted: roll it back, or the error
        # page's own queries (the unread count) fail too and the user gets Werkzeug's English page.
        session = g.get("db_session")
        if session is not None:
            session.rollback()
        return error_page(500, HTTP_MESSAGES[500])
