"""工作台: every user's home page — what waits for them, what falls due, what they handled —
and the 待我办理 count on the navigation of every page."""

from __future__ import annotations

from flask import Blueprint, g, render_template, url_for
from flask_login import current_user

from web.forms import ActionForm
from web.services import actor, db_session, lifecycle, now
from workflow.clock import CHINA
from workflow.org import access
from workflow.workbench import todo_count, workbench

bp = Blueprint("workbench", __name__)


def register(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def todo_badge():
        if not current_user.is_authenticated:
            return {}
        if "todo_badge" not in g:  # the 工作台 itself has counted already
            today = now().astimezone(CHINA).date()
            g.todo_badge = todo_count(db_session(), actor(), lifecycle().spec, today)
        return {"todo_badge": g.todo_badge}


@bp.route("/")
def index():
    user, spec = actor(), lifecycle().spec
    board = workbench(db_session(), user, spec, now=now())
    g.todo_badge = board.todo_count
    return render_template(
        "workbench/index.html", board=board, spec=spec, action_form=ActionForm(),
        today=now().astimezone(CHINA).date(), can_create=access.can_create_project(user),
        can_edit_evaluation=lambda p: access.can_edit_evaluation(user, p, spec),
        fix_link=lambda p: fix_link(user, p, spec),
        can_record=lambda p: access.can_record_milestones(user, p),
    )  # fmt: skip


def fix_link(user, project, spec) -> tuple[str, str] | None:
    """Where a blocked step is put right: the form this user may fill now, if any."""
    if access.can_edit_declaration(user, project, spec):
        return "填写申报表", url_for("declaration.edit", project_id=project.id)
    if access.can_edit_evaluation(user, project, spec):
        return "填写自评表", url_for("evaluation.edit", project_id=project.id)
    if access.can_edit_milestones(user, project):
        return "核对并确认里程碑", url_for("milestones.page", project_id=project.id)
    return None
