"""绩效运行监控: finance opens a round and follows it; each unit fills its 监控表 (figures in,
lights out), signs it and sends it to finance, which accepts or returns it. Every step goes
through the 监控表's workflow in states.yaml (`workflows: monitoring`)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from web.errors import error_page
from web.forms import ActionForm, page_number, parse_id, parse_version, problems_by_field
from web.items import take_step
from web.monitoring import charts
from web.pdf import Owner, pdf_download, stylesheets
from web.services import actor, base_url, db_session, lifecycle, now, uow
from workflow.clock import CHINA
from workflow.errors import InvalidInput, NotAllowed, NotFound, Problem
from workflow.exports.dashboard_xlsx import dashboard_xlsx as dashboard_workbook
from workflow.lifecycle import items
from workflow.lifecycle.history import event_changes
from workflow.monitoring import choice, lights
from workflow.monitoring import dashboard as dashboard_ops
from workflow.monitoring.hooks import KIND
from workflow.monitoring.models import CAUSES, MonitoringReport, MonitoringRound
from workflow.monitoring.operations import (
    ReportInput,
    RowInput,
    can_edit,
    explanation_problems,
    missing,
    open_round,
    readings,
    save_report,
)
from workflow.numbers import show_wan
from workflow.org import access
from workflow.org.models import UNIT_ROLES, Role, Unit
from workflow.projects.models import Project

bp = Blueprint("monitoring", __name__, template_folder="templates")
PAGE_SIZE = 50
LIGHT_ORDER = ("red", "yellow", "green", "blue")


def _today() -> dt.date:
    return now().astimezone(CHINA).date()


def _flow():
    return items.workflow_of(KIND, lifecycle())


@bp.route("/monitoring")
def index():
    """Finance: the rounds, each with where its 监控表 stand and their lights. A unit: its own
    监控表, by round (`?round=` for one)."""
    user, session = actor(), db_session()
    flow = _flow()
    reviewer = Role.reviewer in user.roles
    if not (reviewer or user.roles & UNIT_ROLES):
        raise NotAllowed()
    rounds = session.scalars(
        select(MonitoringRound).order_by(MonitoringRound.opened_at.desc(),
                                         MonitoringRound.id.desc()).limit(PAGE_SIZE)
    ).all()  # fmt: skip
    counts = _counts(session, user, [r.id for r in rounds]) if reviewer else {}
    mine = []
    if user.roles & UNIT_ROLES:
        wanted = parse_id(request.args.get("round"))
        query = items.visible(user, KIND, lifecycle().spec).where(Project.unit_id == user.unit_id)
        if wanted is not None:
            query = query.where(MonitoringReport.round_id == wanted)
        mine = session.scalars(
            query.order_by(MonitoringReport.round_id.desc(), Project.name, Project.id)
            .limit(500)
        ).all()  # fmt: skip
    return render_template(
        "monitoring/index.html", rounds=rounds, counts=counts, mine=mine, spec=flow.spec,
        reviewer=reviewer, today=_today(), light_labels=_light_labels(),
        light_order=LIGHT_ORDER,
    )  # fmt: skip


def _counts(session, user, round_ids: list[int]) -> dict[int, dict]:
    """For each round, among the 监控表 of the units the reviewer reviews: how many in each
    state, and the lights of those that reached finance. Two grouped statements."""
    if not round_ids:
        return {}
    flow = _flow()
    scope = (
        select(MonitoringReport.round_id, MonitoringReport.state, MonitoringReport.light,
               func.count())
        .join(Project, Project.id == MonitoringReport.project_id)
        .where(MonitoringReport.round_id.in_(round_ids),
               access.visible_projects(user, lifecycle().spec).whereclause)
        .group_by(MonitoringReport.round_id, MonitoringReport.state, MonitoringReport.light)
    )  # fmt: skip
    shown = {name for name, s in flow.spec.states.items() if s.finance_visible}
    found: dict[int, dict] = {}
    for round_id, state, light, n in session.execute(scope):
        entry = found.setdefault(round_id, {**EMPTY_COUNTS, "states": {}, "lights": {}})
        entry["states"][state] = entry["states"].get(state, 0) + n
        entry["total"] += n
        if state in shown:
            entry["submitted"] += n
            key = light or "none"
            entry["lights"][key] = entry["lights"].get(key, 0) + n
    return found


EMPTY_COUNTS = {"states": {}, "lights": {}, "total": 0, "submitted": 0}


def _light_labels() -> dict[str, str]:
    return {light.value: label for light, label in lights.LIGHT_LABELS.items()} | {"none": "未评"}


class RoundForm(FlaskForm):
    pass


@bp.route("/monitoring/new", methods=["GET", "POST"])
def new():
    """A 财政审核人 opens a round for a year's implementing projects of the units they review."""
    user, session = actor(), db_session()
    if Role.reviewer not in user.roles:
        raise NotAllowed()
    _flow()
    units = [u for u in session.scalars(select(Unit).order_by(Unit.code, Unit.id))
             if access.reviews_unit(user, u)]  # fmt: skip
    today = _today()
    form = RoundForm()
    values = {"name": "", "year": str(today.year), "cutoff": _month_end_before(today).isoformat(),
              "due": (today + dt.timedelta(days=30)).isoformat(), "rules": choice.BY_UNIT,
              "units": []}  # fmt: skip
    problems: list[Problem] = []
    if request.method == "POST":
        if not form.validate_on_submit():
            return error_page(400, "表单已失效，请刷新页面后重试")
        values = {key: (request.form.get(key) or "").strip()[:200]
                  for key in ("name", "year", "cutoff", "due", "rules")}  # fmt: skip
        values["units"] = [i for raw in request.form.getlist("units")[:1000]
                           if (i := parse_id(raw)) is not None]  # fmt: skip
        year = parse_id(values["year"])
        cutoff = _date(values["cutoff"], "cutoff", "数据截止日期", problems)
        due = _date(values["due"], "due", "填报截止日期", problems)
        if values["rules"] not in {choice.BY_UNIT, *(r.key for r in lights.available_rules())}:
            problems.append(Problem("rules", "请选择预警规则"))
        if not problems:
            try:
                item = open_round(
                    uow(), actor=user, name=values["name"], year=year, cutoff=cutoff, due=due,
                    unit_ids=values["units"], rules=values["rules"], spec=lifecycle().spec,
                    now=now(), today=today, base_url=base_url(),
                )  # fmt: skip
            except InvalidInput as exc:
                problems = exc.problems
            else:
                made = db_session().scalar(
                    select(func.count()).where(MonitoringReport.round_id == item.id)
                )
                flash(f"已开展「{item.name}」：{made} 个项目的监控表已生成，"
                      "各单位填报人已收到待办", "success")  # fmt: skip
                return redirect(url_for("monitoring.round_page", round_id=item.id))
    page = render_template(
        "monitoring/new.html", form=form, values=values, units=units, problems=problems,
        field_problems=problems_by_field(problems), rules=lights.available_rules(),
    )  # fmt: skip
    return page, 422 if problems else 200


def _month_end_before(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def _date(raw: str, field: str, label: str, problems: list[Problem]) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        problems.append(Problem(field, f"{label}请按“年-月-日”填写，如 2027-07-31"))
        return None


@bp.route("/monitoring/rounds/<int:round_id>")
def round_page(round_id: int):
    """One round for finance: where its 监控表 stand, by light and state, page by page."""
    user, session = actor(), db_session()
    if Role.reviewer not in user.roles:
        raise NotAllowed()
    item = session.get(MonitoringRound, round_id)
    if item is None:
        raise NotFound()
    flow = _flow()
    counts = _counts(session, user, [item.id]).get(item.id, EMPTY_COUNTS)
    query = (
        select(MonitoringReport)
        .join(Project, Project.id == MonitoringReport.project_id)
        .where(MonitoringReport.round_id == item.id,
               access.visible_projects(user, lifecycle().spec).whereclause)
    )  # fmt: skip
    light = request.args.get("light")
    if light in LIGHT_ORDER:
        shown = [name for name, s in flow.spec.states.items() if s.finance_visible]
        query = query.where(MonitoringReport.light == light, MonitoringReport.state.in_(shown))
    state = request.args.get("state")
    if state in flow.spec.states:
        query = query.where(MonitoringReport.state == state)
    unit = session.get(Unit, parse_id(request.args.get("unit")) or 0)
    if unit is not None:  # the dashboard's figures of one unit link here
        query = query.where(Project.unit_id == unit.id)
    narrowed = light in LIGHT_ORDER or state in flow.spec.states or unit is not None
    total = counts["total"] if not narrowed else None
    page = page_number(request.args, 10_000)
    reports = session.scalars(
        query.order_by(Project.unit_id, Project.name, MonitoringReport.id)
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    ).all()  # fmt: skip
    more = len(reports) > PAGE_SIZE
    return render_template(
        "monitoring/round.html", item=item, counts=counts, reports=reports[:PAGE_SIZE],
        more=more, page=page, total=total, spec=flow.spec, light=light, state=state, unit=unit,
        light_labels=_light_labels(), light_order=LIGHT_ORDER,
        viewable=lambda r: items.can_view(user, r, KIND, lifecycle().spec), show_wan=show_wan,
        units=_unit_names(session, reports), today=_today(),
    )  # fmt: skip


def _unit_names(session, reports) -> dict[int, str]:
    ids = {r.project.unit_id for r in reports}
    if not ids:
        return {}
    return dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).tuples().all())


def _report(report_id: int) -> MonitoringReport:
    report = db_session().get(MonitoringReport, report_id)
    if report is None or not items.can_view(actor(), report, KIND, lifecycle().spec):
        raise NotFound()
    return report


@bp.route("/monitoring/reports/<int:report_id>", methods=["GET", "POST"])
def report_page(report_id: int):
    """A 监控表: the form for the unit's 填报人 while it is theirs to fill, read-only for
    everyone else who may open it; the lights recomputed on every save, with their reasons."""
    user = actor()
    report = _report(report_id)
    spec = lifecycle().spec
    problems: list[Problem] = []
    typed = None
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            return error_page(400, "表单已失效，请刷新页面后重试")
        typed = _typed(report)
        try:
            save_report(uow(), report, typed, actor=user, spec=spec, now=now(),
                        expected_version=parse_version(request.form.get("version")))  # fmt: skip
        except InvalidInput as exc:
            problems = exc.problems
        else:
            flash("监控表已保存，预警灯已按所填数据重新计算", "success")
            return redirect(url_for("monitoring.report_page", report_id=report.id))
    rules = lights.load_rules(report.rules)
    found = readings(report, rules, report.round.cutoff)
    actions = items.available_actions(db_session(), report, user, kind=KIND, now=now(),
                                      lifecycle=lifecycle())  # fmt: skip
    flow = _flow()
    page = render_template(
        "monitoring/report.html", report=report, item=report.round, project=report.project,
        editable=can_edit(user, report, spec), readings=found, rules=rules,
        pending=missing(report) + explanation_problems(report, rules, found),
        problems=problems, field_problems=problems_by_field(problems), typed=typed,
        actions=actions, action_form=ActionForm(), spec=flow.spec, causes=CAUSES,
        likelihoods=lights.LIKELIHOODS, show_wan=show_wan, light_labels=_light_labels(),
        history=items.history(db_session(), report, KIND), changes_of=event_changes,
        time_share=lights.time_share(report.round.cutoff),
    )  # fmt: skip
    return page, 422 if problems else 200


ROW_FIELDS = ("actual", "forecast", "likelihood", "cause", "explanation", "measures")


def _typed(report: MonitoringReport) -> ReportInput:
    form = request.form
    rows = tuple(
        RowInput(**{key: form.get(f"row-{n}-{key}", "") for key in ROW_FIELDS})
        for n in range(1, len(report.rows) + 1)
    )
    return ReportInput(
        executed=form.get("executed", ""), forecast=form.get("forecast", ""),
        cause=form.get("budget-cause", ""), explanation=form.get("budget-explanation", ""),
        measures=form.get("budget-measures", ""), rows=rows,
    )  # fmt: skip


@bp.route("/monitoring/reports/<int:report_id>/actions/<trigger>", methods=["POST"])
def act(report_id: int, trigger: str):
    """Every button of a 监控表 posts here, and every one goes through `fire_item`."""
    report = _report(report_id)
    refused = take_step(report, KIND, trigger)
    if refused is not None:
        return refused
    return redirect(url_for("monitoring.report_page", report_id=report.id))


def _dashboard():
    user = actor()
    if not dashboard_ops.may_view(user):
        raise NotAllowed()
    _flow()
    today = _today()
    year = parse_id(request.args.get("year")) or today.year
    if not 2000 <= year <= 2100:
        raise NotFound()
    wanted = parse_id(request.args.get("round"))
    return dashboard_ops.dashboard(db_session(), user, lifecycle().spec, year=year,
                                   round_id=wanted, today=today)  # fmt: skip


@bp.route("/dashboard")
def dashboard():
    """财政 dashboard: a round's 监控表 by light and by unit, the units still to send theirs,
    execution against time, the year's self-evaluation grades, the 质保金 releases due; charts
    with their tables beneath."""
    board = _dashboard()
    labels = _light_labels()
    return render_template(
        "monitoring/dashboard.html", board=board, labels=labels, light_order=LIGHT_ORDER,
        **_charts(board, labels),
        reviewer=Role.reviewer in actor().roles, show_wan=show_wan,
        release_days=dashboard_ops.RELEASE_DAYS,
    )  # fmt: skip


def _charts(board, labels) -> dict[str, str]:
    """The dashboard's charts as image addresses (empty where there is nothing to draw)."""
    return {
        "lights_svg": charts.data_uri(charts.lights_chart(board.by_light, labels))
        if board.chosen else "",
        "execution_svg": charts.data_uri(charts.execution_chart(board.by_unit, board.time_share))
        if board.chosen and any(u.rate is not None for u in board.by_unit) else "",
        "grades_svg": charts.data_uri(charts.grades_chart(board.grades)) if board.graded else "",
    }  # fmt: skip


@bp.route("/monitoring/rounds/<int:round_id>/report.pdf")
def round_pdf(round_id: int):
    """The round's 绩效运行监控报告 as PDF: its figures and charts as the dashboard draws them,
    and the red and yellow 监控表 with their causes and measures (finance's own units; the
    admin's, the figures only). Made by the renderer like a project's PDFs."""
    user, session = actor(), db_session()
    if not dashboard_ops.may_view(user):
        raise NotAllowed()
    _flow()
    item = session.get(MonitoringRound, round_id)
    if item is None:
        raise NotFound()
    spec = lifecycle().spec
    board = dashboard_ops.dashboard(session, user, spec, year=item.year, round_id=item.id,
                                    today=_today())  # fmt: skip
    reviewer = Role.reviewer in user.roles
    labels = _light_labels()
    html = render_template(
        "monitoring/round_pdf.html", board=board, item=item, labels=labels,
        light_order=LIGHT_ORDER, css=stylesheets(), reviewer=reviewer, viewer=user,
        flagged=dashboard_ops.flagged(session, user, spec, item) if reviewer else [],
        flagged_most=dashboard_ops.FLAGGED_LISTED,
        **_charts(board, labels),
    )  # fmt: skip
    back = (url_for("monitoring.round_page", round_id=item.id) if reviewer
            else url_for("monitoring.dashboard", year=item.year, round=item.id))  # fmt: skip
    owner = Owner(item.name, back, "返回监控批次" if reviewer else "返回监控看板", round_id=item.id)
    return pdf_download(owner, "monitoring_round", html, f"{item.name}-绩效运行监控报告.pdf")


@bp.route("/dashboard.xlsx")
def dashboard_xlsx():
    """The dashboard's tables as a workbook: values, never formulas."""
    board = _dashboard()
    data = dashboard_workbook(board, _light_labels())
    name = f"绩效运行监控统计-{board.year}.xlsx"
    response = make_response(data)
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
