"""我的消息: a user's messages, one line each and grouped by project, the full text of one, the
unread count, how email arrives; and the admin's outbox."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from web.forms import VersionForm, page_number
from web.services import actor, db_session, lifecycle, now, uow, writes
from workflow.clock import CHINA
from workflow.lifecycle.operations import work_for
from workflow.notify import operations as ops
from workflow.notify.models import OutboundEmail
from workflow.org import access
from workflow.org.models import EMAIL_MODES, Role
from workflow.projects.models import Project

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.route("/notifications")
def index():
    which = request.args.get("filter", "")
    which = which if which in ops.FILTERS else ""
    page = page_number(request.args, ops.MAX_PAGE)
    box = ops.inbox(db_session(), actor(), lifecycle().spec, which=which, page=page)
    return render_template(
        "notifications/index.html", box=box, groups=box.groups, which=which,
        filters=ops.FILTERS, modes=EMAIL_MODES, form=VersionForm(),
    )  # fmt: skip


@bp.route("/notifications/<int:notification_id>")
@writes
def show(notification_id: int):
    """The full text of one message; opening it marks it read."""
    note = ops.open_message(uow(), actor(), notification_id, now=now())
    project = db_session().get(Project, note.project_id) if note.project_id else None
    spec, today = lifecycle().spec, now().astimezone(CHINA).date()
    visible = project is not None and access.can_view(actor(), project, spec)
    actionable = visible and bool(work_for(actor(), project, spec, today))
    return render_template("notifications/show.html", note=note, project=project,
                           visible=visible, actionable=actionable,
                           item=_item_link(note))  # fmt: skip


def _item_link(note) -> tuple[str, str] | None:
    """A message about something with a workflow of its own (a 监控表, a round of them): the
    words and the address of its page, from the message's topic."""
    kind, _, raw = (note.topic or "").partition(":")
    number = int(raw) if raw.isdigit() and len(raw) < 10 else None
    if number is None:
        return None
    if kind == "monitoring_report":
        return "打开监控表", url_for("monitoring.report_page", report_id=number)
    if kind == "monitoring_round":
        return "打开本单位的监控表", url_for("monitoring.index", round=number)
    return None


@bp.route("/notifications/read", methods=["POST"])
def read_all():
    if not VersionForm().validate_on_submit():
        abort(400)
    ops.mark_all_read(uow(), actor(), now=now())
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/email", methods=["POST"])
def email_preference():
    if not VersionForm().validate_on_submit():
        abort(400)
    ops.set_email_mode(uow(), actor(), mode=request.form.get("email_mode", ""))
    flash(f"邮件接收方式已设为：{EMAIL_MODES[actor().email_mode]}", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/admin/outbox")
def outbox():
    if not actor().has_role(Role.admin):
        abort(403)
    session = db_session()
    rows = session.scalars(select(OutboundEmail).order_by(OutboundEmail.id.desc()).limit(200))
    dead = session.scalar(
        select(func.count()).select_from(OutboundEmail).where(OutboundEmail.status == "dead")
    )
    return render_template("notifications/outbox.html", emails=list(rows), form=VersionForm(),
                           dead=dead)  # fmt: skip


@bp.route("/admin/outbox/<int:email_id>/retry", methods=["POST"])
def retry(email_id: int):
    if not actor().has_role(Role.admin):
        abort(403)
    if not VersionForm().validate_on_submit():
        abort(400)
    ops.retry_email(uow(), email_id, actor=actor(), now=now())
    flash("已重新加入发送队列", "success")
    return redirect(url_for("notifications.outbox"))


@bp.route("/admin/outbox/retry-all", methods=["POST"])
def retry_all():
    """全部重新发送: after a mail server fault is fixed, every failed mail goes again."""
    if not actor().has_role(Role.admin):
        abort(403)
    if not VersionForm().validate_on_submit():
        abort(400)
    count = ops.retry_all_emails(uow(), actor=actor(), now=now())
    flash(f"已将 {count} 封发送失败的邮件重新加入发送队列", "success")
    return redirect(url_for("notifications.outbox"))
