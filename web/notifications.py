"""我的消息: a user's reminders, the unread count, the email preference; the admin's outbox."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from web.forms import VersionForm
from web.services import actor, db_session, now, uow
from workflow.notify import operations as ops
from workflow.notify.models import OutboundEmail
from workflow.org.models import Role

bp = Blueprint("notifications", __name__)


def register(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def unread():
        if not current_user.is_authenticated:
            return {}
        return {"unread_count": ops.unread_count(db_session(), actor())}


@bp.route("/notifications")
def index():
    return render_template(
        "notifications/index.html", items=ops.latest(db_session(), actor()), form=VersionForm()
    )


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
    wants = not actor().wants_email
    ops.set_email_preference(uow(), actor(), wants_email=wants)
    flash("已开启邮件提醒" if wants else "已关闭邮件提醒（系统内消息照常）", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/admin/outbox")
def outbox():
    if not actor().has_role(Role.admin):
        abort(403)
    rows = db_session().scalars(select(OutboundEmail).order_by(OutboundEmail.id.desc()).limit(200))
    return render_template("notifications/outbox.html", emails=list(rows), form=VersionForm())


@bp.route("/admin/outbox/<int:email_id>/retry", methods=["POST"])
def retry(email_id: int):
    if not actor().has_role(Role.admin):
        abort(403)
    if not VersionForm().validate_on_submit():
        abort(400)
    ops.retry_email(uow(), email_id, actor=actor(), now=now())
    flash("已重新加入发送队列", "success")
    return redirect(url_for("notifications.outbox"))
