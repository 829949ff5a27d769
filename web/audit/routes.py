"""The 安全审计员's pages: the audit trail and the login log with their filters (the address
holds them: bookmarkable), XLSX exports of exactly what is filtered, and the chain's last check
and checkpoint. Only the auditor reaches them; they only read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request

from web.projects.dossier import XLSX, download_file
from web.services import actor, db_session, lifecycle, now
from workflow.audit import checkpoints, trail
from workflow.clock import CHINA
from workflow.errors import Problem
from workflow.exports.audit_xlsx import events_xlsx, logins_xlsx
from workflow.org.models import LOGIN_RESULTS, Role

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")
TEXT_MAX = 100  # a filter's text: a name, a project number or name, an address


@bp.before_request
def auditor_only():
    if not actor().has_role(Role.auditor):
        abort(403)


@bp.route("")
def events():
    """审计记录: newest first, 50 a page; 「更早」 carries on from the last one shown."""
    f, problems = _event_filter()
    query, unmatched = trail.event_query(db_session(), f)
    rows, more = trail.page_of_events(db_session(), query, before=_cursor(problems))
    spec = lifecycle().spec
    return render_template(
        "audit/events.html", rows=rows, more=more, f=f, problems=problems + unmatched,
        names=trail.project_names(db_session(), rows),
        actions=trail.actions(spec), states={n: s.label for n, s in spec.states.items()},
        check=trail.latest_verification(db_session()), checkpoint=_last_checkpoint(),
    )  # fmt: skip


@bp.route("/events.xlsx")
def export_events():
    f, problems = _event_filter()
    if problems:
        abort(400)
    query, _ = trail.event_query(db_session(), f)
    rows, truncated = trail.for_export(db_session(), query)
    states = {n: s.label for n, s in lifecycle().spec.states.items()}
    day = now().astimezone(CHINA).date().isoformat()
    content = events_xlsx(rows, states, title=f"审计记录（{day} 导出；{_describe(f)}）",
                          truncated=truncated)  # fmt: skip
    return download_file(content, f"审计记录-{day}.xlsx", XLSX)


@bp.route("/logins")
def logins():
    """登录日志: every attempt, logout and timeout, newest first."""
    f, problems = _login_filter()
    query = trail.login_query(f)
    rows, more = trail.page_of_logins(db_session(), query, before=_cursor(problems))
    return render_template("audit/logins.html", rows=rows, more=more, f=f, problems=problems,
                           results=LOGIN_RESULTS)  # fmt: skip


@bp.route("/logins.xlsx")
def export_logins():
    f, problems = _login_filter()
    if problems:
        abort(400)
    rows, truncated = trail.for_export(db_session(), trail.login_query(f))
    day = now().astimezone(CHINA).date().isoformat()
    content = logins_xlsx(rows, title=f"登录日志（{day} 导出）", truncated=truncated)
    return download_file(content, f"登录日志-{day}.xlsx", XLSX)


def _event_filter() -> tuple[trail.EventFilter, list[Problem]]:
    span, problems = _span()
    action = _text("action")
    if action and action not in trail.actions(lifecycle().spec):
        problems.append(Problem("action", "所选操作不存在"))
        action = ""
    f = trail.EventFilter(span, person=_text("person"), project=_text("project"), action=action)
    return f, problems


def _login_filter() -> tuple[trail.LoginFilter, list[Problem]]:
    span, problems = _span()
    result = _text("result")
    if result and result not in LOGIN_RESULTS:
        problems.append(Problem("result", "所选结果不存在"))
        result = ""
    f = trail.LoginFilter(span, username=_text("username"), result=result,
                          address=_text("address"))  # fmt: skip
    return f, problems


def _span() -> tuple[trail.Span, list[Problem]]:
    problems, days = [], {}
    for name, label in (("start", "起始日期"), ("end", "截止日期")):
        raw = _text(name)
        try:
            days[name] = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            problems.append(Problem(name, f"「{label}」应为日期，如 2026-12-01"))
            days[name] = None
    if days["start"] and days["end"] and days["start"] > days["end"]:
        problems.append(Problem("end", "「截止日期」不能早于「起始日期」"))
    return trail.Span(days["start"], days["end"]), problems


def _text(name: str) -> str:
    return " ".join(request.args.get(name, "").split())[:TEXT_MAX]


def _cursor(problems: list[Problem]) -> int | None:
    raw = request.args.get("before", "")
    if raw.isdigit() and len(raw) < 19:
        return int(raw)
    if raw:
        problems.append(Problem("before", "翻页参数无效，已从最新一条开始显示"))
    return None


def _last_checkpoint() -> checkpoints.Checkpoint | None:
    try:
        points = checkpoints.read(Path(current_app.config["AUDIT_CHECKPOINTS"]))
    except (OSError, ValueError):
        return None
    return points[-1] if points else None


def _describe(f: trail.EventFilter) -> str:
    parts = [
        f"{f.span.start or '…'} 至 {f.span.end or '…'}" if f.span.start or f.span.end else "",
        f"操作人：{f.person}" if f.person else "",
        f"项目：{f.project}" if f.project else "",
        f"操作：{trail.actions(lifecycle().spec).get(f.action, '')}" if f.action else "",
    ]
    return "；".join(p for p in parts if p) or "全部"
