"""工作台: every user's home page — what waits for them, what falls due, what they handled —
and the 待我办理 count on the navigation of every page."""

from __future__ import annotations

from flask import Blueprint, g, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from web.forms import ActionForm
from web.policy import security_policy
from web.services import actor, db_session, lifecycle, now
from workflow.clock import CHINA
from workflow.lifecycle import items
from workflow.lifecycle.operations import todo_count_query
from workflow.notify.operations import unread_count_query
from workflow.org import access
from workflow.org.duties import officer_duties
from workflow.org.models import OFFICER_ROLES
from workflow.workbench import workbench

bp = Blueprint("workbench", __name__)


def register(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def navigation_counts():
        """The 待我办理 and unread counts on the navigation, in one statement (the 工作台
        has counted its 待我办理 already)."""
        if not current_user.is_authenticated:
            return {}
        if "unread_count" not in g:
            user, unread = actor(), unread_count_query(actor()).scalar_subquery()
            if "todo_badge" in g:
                g.unread_count = db_session().scalar(select(unread))
            else:
                today, spec = now().astimezone(CHINA).date(), lifecycle().spec
                todo = todo_count_query(user, spec, today).scalar_subquery()
                kinds = [k for k in items.KINDS.values() if k.workflow in spec.workflows]
                others = [items.todo(user, kind, spec).with_only_columns(func.count())
                          .order_by(None).scalar_subquery() for kind in kinds]  # fmt: skip
                todo_count, g.unread_count, *counts = db_session().execute(
                    select(todo, unread, *others)
                ).one()  # fmt: skip
                g.todo_badge = todo_count + sum(counts)
        return {"todo_badge": g.todo_badge, "unread_count": g.unread_count}


@bp.route("/")
def index():
    user, spec = actor(), lifecycle().spec
    if user.roles & OFFICER_ROLES:
        return _officer_board(user)
    board = workbench(db_session(), user, spec, now=now())
    g.todo_badge = board.badge
    return render_template(
        "workbench/index.html", board=board, spec=spec, action_form=ActionForm(),
        today=now().astimezone(CHINA).date(), can_create=access.can_create_project(user),
        can_edit_evaluation=lambda p: access.can_edit_evaluation(user, p, spec),
        fix_link=lambda p: fix_link(user, p, spec),
        can_record=lambda p: access.can_record_milestones(user, p),
    )  # fmt: skip


def _officer_board(user):
    """The 工作台 of the 三员: what the system needs of them, each with the page to act on."""
    rules = security_policy()
    duties = officer_duties(
        db_session(), user, now=now(), lockout_failures=rules.lockout_failures,
        lockout_window=rules.lockout_window,
    )  # fmt: skip
    g.todo_badge = 0  # the badge counts projects; the 三员 have none (their duties are here)
    return render_template("workbench/officer.html", duties=duties,
                           today=now().astimezone(CHINA).date())  # fmt: skip


def fix_link(user, project, spec) -> tuple[str, str] | None:
    """Where a blocked step is put right: the form this user may fill now, if any."""
    if access.can_edit_declaration(user, project, spec):
        return "填写申报表", url_for("declaration.edit", project_id=project.id)
    if access.can_edit_evaluation(user, project, spec):
        return "填写自评表", url_for("evaluation.edit", project_id=project.id)
    if access.can_edit_milestones(user, project):
        return "核对并确认里程碑", url_for("milestones.page", project_id=project.id)
    return None
