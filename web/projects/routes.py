"""Projects: the scoped list, the detail page with its actions and history, and the actions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from web.adjustment.routes import project_panel
from web.declaration.routes import sheet
from web.errors import error_page
from web.forms import ActionForm, VersionForm, page_number, parse_id, parse_version
from web.projects.dossier import XLSX, download_file
from web.services import actor, base_url, db_session, lifecycle, now, uow, visible_project
from web.workbench import fix_link
from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.declaration.models import PROJECT_TYPES, Declaration
from workflow.exports.evaluation_report import GOAL_FIELDS, evaluation_report
from workflow.exports.project_list_xlsx import project_list_xlsx
from workflow.library import operations as library
from workflow.lifecycle import votes
from workflow.lifecycle.history import event_changes, standing_return
from workflow.lifecycle.operations import available_actions, fire
from workflow.milestones.operations import milestones_of
from workflow.org import access
from workflow.org.models import Role, Unit
from workflow.projects import listing
from workflow.projects.listing import ProjectFilter
from workflow.projects.models import Project
from workflow.workbench import holding

bp = Blueprint("projects", __name__, template_folder="templates")


@bp.route("/projects")
def list_projects():
    """The list, as the address filters, sorts and pages it (bookmarkable, shareable)."""
    spec, session, user = lifecycle().spec, db_session(), actor()
    f = ProjectFilter.from_args(request.args, spec)
    query = listing.filtered(user, spec, f, now().astimezone(CHINA).date())
    result = listing.page_of(
        session, query, f, page_number(request.args, listing.MAX_PAGE),
        after=request.args.get("after", ""), before=request.args.get("before", ""),
    )  # fmt: skip
    return render_template(
        "projects/list.html", result=result, f=f, spec=spec, project_types=PROJECT_TYPES,
        units=_units(user), years=listing.years(session, user, spec),
        can_create=access.can_create_project(user),
    )  # fmt: skip


@bp.route("/projects.xlsx")
def export_list():
    """Exactly what the list's filters keep, every page of it (up to EXPORT_LIMIT rows)."""
    spec, user = lifecycle().spec, actor()
    f = ProjectFilter.from_args(request.args, spec)
    query = listing.filtered(user, spec, f, now().astimezone(CHINA).date())
    projects, truncated = listing.for_export(db_session(), query)
    today = now().astimezone(CHINA).date()
    content = project_list_xlsx(projects, spec, truncated=truncated,
                                title=f"项目列表（{today.isoformat()} 导出）")  # fmt: skip
    return download_file(content, f"项目列表-{today.isoformat()}.xlsx", XLSX)


def _units(user) -> list[Unit]:
    """The units the unit filter offers: the user's own, or every unit for finance."""
    query = select(Unit).order_by(Unit.name)
    if Role.reviewer not in user.roles:
        query = query.where(Unit.id == user.unit_id)
    return list(db_session().scalars(query))


#: The sections of the project page, each a page of its own (?tab=), under one header.
TABS = {"overview": "概览", "declaration": "申报表", "milestones": "里程碑",
        "evaluation": "自评表", "history": "办理记录"}  # fmt: skip


@bp.route("/projects/<int:project_id>")
def detail(project_id: int):
    """A header that always shows where the project stands (state, who holds it since when,
    key figures, 待核实事项, a standing return, the actions), and one section below it."""
    project = visible_project(project_id)
    session, user, spec = db_session(), actor(), lifecycle().spec
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.project_id == project.id).order_by(AuditEvent.seq)
    ).all()
    report = evaluation_report(session, project)
    milestones = milestones_of(session, project)
    tabs = {k: v for k, v in TABS.items()
            if (k != "milestones" or milestones) and (k != "evaluation" or report)}  # fmt: skip
    tab = request.args.get("tab", "overview")
    tab = tab if tab in tabs else "overview"
    today = now().astimezone(CHINA).date()
    cosigns = votes.cosigns(session, project, spec)
    return render_template(
        "projects/detail.html", project=project, spec=spec, tab=tab, tabs=tabs,
        report=report, events=events, changes=event_changes, milestones=milestones,
        holding=holding(spec, user, project, today,
                        done=any(c.tally.voted(user) for c in cosigns)), today=today,
        standing=standing_return(events, spec), approved=_approved(events, spec),
        actions=available_actions(session, project, user, now=now(), lifecycle=lifecycle()),
        cosigns=cosigns,
        action_form=ActionForm(), copy_form=VersionForm(),
        can_copy=access.can_copy_project(user, project), fix=fix_link(user, project, spec),
        can_edit_declaration=access.can_edit_declaration(user, project, spec),
        can_edit_evaluation=access.can_edit_evaluation(user, project, spec),
        can_edit_milestones=access.can_edit_milestones(user, project),
        can_record_milestones=access.can_record_milestones(user, project),
        **(sheet(project, events) if tab == "declaration" else {}),
        promotable=library.promotable(session, project)
        if tab == "declaration" and user.has_role(Role.reviewer) else None,
        **(_overview(session, project, report, milestones, today) if tab == "overview" else {}),
        **(project_panel(session, user, project) if tab == "overview" and (
            report is not None or getattr(spec.states.get(project.state), "monitored", False)
        ) else {}),
    )  # fmt: skip


def _overview(session, project: Project, report, milestones, today) -> dict:
    """What the 概览 shows beside the header: the 项目概况 (the 自评表 has read it already,
    once there is one) and how the milestones stand."""
    if report is not None:
        summary = report.goals[GOAL_FIELDS.index("summary")][1]
    else:
        query = select(Declaration.summary).where(Declaration.project_id == project.id)
        summary = session.scalar(query)
    if not milestones:
        return {"summary": summary, "progress": None}
    statuses = [m.status(today) for m in milestones]
    ahead = [m for m, s in zip(milestones, statuses, strict=True) if s == "planned"]
    return {"summary": summary, "progress": {
        "total": len(milestones), "done": statuses.count("done"),
        "overdue": statuses.count("overdue"),
        "next": min(ahead, key=lambda m: m.effective_due()) if ahead else None,
    }}  # fmt: skip


def _approved(events, spec) -> bool:
    """Whether finance approved the project: it entered a state that freezes the approved
    targets (states.yaml's on_enter), so its amount is the approved one."""
    frozen = {name for name, s in spec.states.items() if "freeze_targets" in s.on_enter}
    return any(e.to_state in frozen for e in events)


@bp.route("/projects/<int:project_id>/actions/<trigger>", methods=["POST"])
def act(project_id: int, trigger: str):
    """Every lifecycle button posts here, and every one goes through `fire`."""
    project = visible_project(project_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return error_page(400, "表单已失效，请刷新页面后重试")
    event = fire(
        uow(), project, trigger, actor=actor(), now=now(), comment=form.comment.data or "",
        expected_version=parse_version(form.version.data), lifecycle=lifecycle(),
        base_url=base_url(), on_behalf_of=_behalf(),
    )  # fmt: skip
    if event.to_state is None:  # 会签: an approval that does not yet meet the rule
        flash(f"已{event.label}，尚待其他人员同意", "success")
    else:
        flash(f"已{event.label}：项目现为「{lifecycle().spec.state_label(event.to_state)}」",
              "success")  # fmt: skip
    return redirect(url_for("projects.detail", project_id=project.id))


def _behalf() -> int | None:
    """委托: `?for=<id>`, the colleague in whose name the button acts; a garbled one is refused
    as acting for nobody it could name."""
    raw = request.args.get("for")
    if raw is None:
        return None
    found = parse_id(raw)
    return found if found is not None else -1  # no delegation from -1 runs: NotAllowed
