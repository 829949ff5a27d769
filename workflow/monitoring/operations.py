"""Opening a 绩效运行监控 round, and reading a 监控表's lights.

A 财政审核人 opens a round for a year's projects in a monitored state (states.yaml `monitored`),
optionally for some units only, among the projects they review. Each project gets its 监控表 in
the same transaction: the approved budget, 执行数 prefilled with the payments recorded by the
cut-off, and a row for each indicator of the approved yardstick (the 自评表's frozen copy). The
opening is audited. Lights follow from the round's rule file; they are stored on the rows so that
lists and the dashboard count them by index, and recomputed whenever the table is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.errors import Conflict, InvalidInput, NotAllowed, Problem
from workflow.evaluation.models import EvaluationIndicator
from workflow.lifecycle.spec import LifecycleSpec
from workflow.milestones.models import Milestone
from workflow.monitoring import choice, lights
from workflow.monitoring.models import (
    CAUSES,
    MonitoringIndicator,
    MonitoringReport,
    MonitoringRound,
    MonitoringRoundUnit,
)
from workflow.notify.delivery import DEFAULT_BASE_URL, EMAILS, Message, deliver_all
from workflow.numbers import NumberError, parse_wan, show_wan
from workflow.org import access
from workflow.org.models import Role, Unit, User, UserRole
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import CELL_MAX, clean
from workflow.uow import UnitOfWork

NAME_MAX = 100
WORKFLOW = "monitoring"  # the 监控表's workflow in states.yaml (`workflows:`)
#: The milestones whose payments count as executed budget by the cut-off.
PAYMENT_KINDS = ("payment", "warranty_release")


def open_round(
    uow: UnitOfWork, *, actor: User, name: str, year: int | None, cutoff: dt.date | None,
    due: dt.date | None, unit_ids: Iterable[int] = (), rules: str = choice.BY_UNIT,
    spec: LifecycleSpec, now: dt.datetime, today: dt.date, base_url: str = "",
) -> MonitoringRound:  # fmt: skip
    """Open a round and make every 监控表 in its scope, each read by `rules` (a lights file), or
    by the admin's 预警规则 for its unit and year (choice.BY_UNIT). NotAllowed unless the actor
    is an active 财政审核人; InvalidInput with every reason, and nothing written, when it cannot
    open."""
    with uow:
        session = uow.session
        if not actor.is_active or Role.reviewer not in actor.roles:
            raise NotAllowed()
        name, units = clean(name), sorted(set(unit_ids))
        flow = spec.workflows.get(WORKFLOW)
        if flow is None:
            raise InvalidInput(
                [
                    Problem(
                        "workflow",
                        "流程定义文件未声明监控表的流程（workflows.monitoring），无法开展监控",
                    )
                ]
            )
        found = _problems(session, name, year, cutoff, due, units, rules, today)
        if found:
            raise InvalidInput(found)
        assert year is not None and cutoff is not None and due is not None
        projects = _scope(session, actor, spec, year, units)
        if not projects:
            where = "所选单位" if units else "您负责的单位"
            raise InvalidInput([Problem("scope", f"{where}没有 {year} 年度处于实施中的项目")])
        covered = [MonitoringRoundUnit(unit_id=u) for u in units]
        item = MonitoringRound(name=name, year=year, cutoff=cutoff, due=due, rules=rules,
                               opened_by_id=actor.id, opened_at=now, unit_rows=covered)  # fmt: skip
        session.add(item)
        session.flush()
        made = _make_reports(session, item, projects, flow.initial, now)
        _tell_fillers(session, item, projects, now, base_url)
        chain.append(
            session, now=now, actor=actor, action="open_monitoring_round", label="开展绩效运行监控",
            details={"round_id": item.id, "name": name, "year": year,
                     "cutoff": cutoff.isoformat(), "due": due.isoformat(), "rules": rules,
                     "units": units, "reports": made},
        )  # fmt: skip
        uow.commit()
        return item


def _problems(session, name, year, cutoff, due, units, rules, today) -> list[Problem]:
    found = []
    if not name:
        found.append(Problem("name", "请填写监控名称，如「2027年1—7月绩效运行监控」"))
    elif len(name) > NAME_MAX:
        found.append(Problem("name", f"监控名称不能超过 {NAME_MAX} 字"))
    if year is None or not 2000 <= year <= 2100:
        found.append(Problem("year", "请填写项目年度（如 2027）"))
    if cutoff is None:
        found.append(Problem("cutoff", "请填写数据截止日期"))
    elif year is not None and cutoff.year != year:
        found.append(Problem("cutoff", f"数据截止日期应在 {year} 年内"))
    if due is None:
        found.append(Problem("due", "请填写填报截止日期"))
    elif due < today:
        found.append(Problem("due", "填报截止日期不能早于今天"))
    elif cutoff is not None and due < cutoff:
        found.append(Problem("due", "填报截止日期不能早于数据截止日期"))
    if rules != choice.BY_UNIT:
        try:
            lights.load_rules(rules)
        except ValueError as error:
            found.append(Problem("rules", str(error)))
    known = session.scalars(select(Unit.id).where(Unit.id.in_(units))).all() if units else []
    if len(known) != len(units):
        found.append(Problem("units", "所选单位不存在"))
    if not found and session.scalar(
        select(MonitoringRound.id).where(MonitoringRound.year == year,
                                         MonitoringRound.name == name)
    ):  # fmt: skip
        found.append(Problem("name", f"{year} 年度已有名为「{name}」的监控"))
    return found


def _scope(session, actor, spec, year, units) -> list[Project]:
    """The year's projects in a monitored state that the opener reviews (and of these units)."""
    monitored = [n for n, s in spec.states.items() if s.monitored]
    query = access.visible_projects(actor, spec).where(
        Project.year == year, Project.state.in_(monitored)
    )
    if units:
        query = query.where(Project.unit_id.in_(units))
    return list(session.scalars(query.order_by(Project.unit_id, Project.id)))


def _make_reports(session: Session, item: MonitoringRound, projects, first: str, now) -> int:
    """Every 监控表 of the round, in a number of statements that does not grow with them: the
    figures read in two, the tables and their rows written in one bulk INSERT each."""
    ids = [p.id for p in projects]
    paid = dict(session.execute(
        select(Milestone.project_id, func.sum(Milestone.paid_amount))
        .where(Milestone.project_id.in_(ids), Milestone.kind.in_(PAYMENT_KINDS),
               Milestone.actual_date.is_not(None), Milestone.actual_date <= item.cutoff,
               Milestone.paid_amount.is_not(None))
        .group_by(Milestone.project_id)
    ).tuples().all())  # fmt: skip
    rows: dict[int, list[EvaluationIndicator]] = {}
    yardstick = select(EvaluationIndicator).where(EvaluationIndicator.project_id.in_(ids))
    for row in session.scalars(yardstick.order_by(EvaluationIndicator.position)):
        rows.setdefault(row.project_id, []).append(row)
    file_for = choice.resolver(session, item.year, item.rules)
    reports = []
    for project in projects:  # transient: read for their lights, then inserted in bulk
        rules = file_for(project.unit_id)
        report = MonitoringReport(
            rules=rules,
            round_id=item.id, project_id=project.id, state=first, budget=project.amount,
            executed=paid.get(project.id), version=1, created_at=now, updated_at=now,
            cause="", explanation="", measures="",
            rows=[MonitoringIndicator(position=n, category=r.category, name=r.name,
                                      target=r.target, direction=r.direction, actual="",
                                      forecast="", likelihood="", cause="", explanation="",
                                      measures="")
                  for n, r in enumerate(rows.get(project.id, []))],
        )  # fmt: skip
        relight(report, lights.load_rules(rules), item.cutoff)
        reports.append(report)
    if not reports:
        return 0
    report_columns = ("round_id", "project_id", "state", "budget", "executed", "forecast",
                      "cause", "explanation", "measures", "light", "rules", "version",
                      "created_at", "updated_at")  # fmt: skip
    made = session.execute(
        insert(MonitoringReport).returning(MonitoringReport.id, MonitoringReport.project_id),
        [{c: getattr(r, c) for c in report_columns} for r in reports],
    ).all()
    ids = {project_id: report_id for report_id, project_id in made}
    row_columns = ("position", "category", "name", "target", "direction", "actual", "forecast",
                   "likelihood", "cause", "explanation", "measures", "light")  # fmt: skip
    indicator_rows = [{"report_id": ids[r.project_id], **{c: getattr(x, c) for c in row_columns}}
                      for r in reports for x in r.rows]  # fmt: skip
    if indicator_rows:
        session.execute(insert(MonitoringIndicator), indicator_rows)
    return len(reports)


def readings(report: MonitoringReport, rules: lights.LightRules, cutoff: dt.date) -> list:
    """The lights of a 监控表 read from its figures, budget first, then each row's, each with
    the words that explain it; nothing is changed."""
    found = [lights.budget_light(rules, report.budget, report.executed, cutoff)]
    for row in report.rows:
        found.append(lights.indicator_light(
            rules, name=row.name, target=row.target, direction=row.direction, actual=row.actual,
            forecast=row.forecast, likelihood=row.likelihood, cutoff=cutoff,
        ))  # fmt: skip
    return found


def _tell_fillers(session: Session, item: MonitoringRound, projects, now, base_url) -> None:
    """Each 填报人 of a unit in the round gets one 待办 for the round (not one per project):
    how many of the unit's projects it covers, until when, and where to fill them in. In a
    number of statements that does not grow with the units."""
    counts: dict[int, int] = {}
    for project in projects:
        counts[project.unit_id] = counts.get(project.unit_id, 0) + 1
    fillers = session.scalars(
        select(User).where(User.unit_id.in_(counts), User.is_active.is_(True),
                           User.role_rows.any(UserRole.role == Role.filler.value))
        .order_by(User.id)
    ).all()  # fmt: skip
    link = f"{(base_url or DEFAULT_BASE_URL).rstrip('/')}/monitoring?round={item.id}"
    due = f"{item.due.year}年{item.due.month}月{item.due.day}日"
    messages = [
        Message(user=user, kind="todo", project=None, topic=f"monitoring_round:{item.id}",
                title=f"请于{due}前填报「{item.name}」监控表（{counts[user.unit_id]} 个项目）",
                body=EMAILS.get_template("monitoring_round.txt").render(
                    user=user, item=item, count=counts[user.unit_id], due=due, link=link))
        for user in fillers
    ]  # fmt: skip
    deliver_all(session, messages, now=now)


def relight(report: MonitoringReport, rules: lights.LightRules, cutoff: dt.date) -> list:
    """Store the lights of a 监控表 (the rows', and the project's: the worst of all), as read
    from its figures; the readings, for the page to explain them."""
    found = readings(report, rules, cutoff)
    for row, reading in zip(report.rows, found[1:], strict=True):
        row.light = reading.light.value if reading.light else None
    light = lights.worst(r.light for r in found)
    report.light = light.value if light else None
    return found


def missing(report: MonitoringReport) -> list[Problem]:
    """The figures a 监控表 must give before it is submitted."""
    found = []
    if report.executed is None:
        found.append(Problem("executed", "请填写截至监控时点执行数"))
    if report.forecast is None:
        found.append(Problem("forecast", "请填写全年预计执行数"))
    for n, row in enumerate(report.rows, start=1):
        asked = (("截至监控时点实际完成值", row.actual), ("全年预计完成值", row.forecast),
                 ("完成目标可能性", row.likelihood))  # fmt: skip
        lacking = [label for label, value in asked if not value]
        if lacking:
            found.append(Problem(f"row-{n}", f"第{n}项指标「{row.name}」：请填写"
                                             + "、".join(lacking)))  # fmt: skip
    return found


def explanation_problems(report: MonitoringReport, rules: lights.LightRules, readings) -> list:
    """What a 监控表 lacks before it can be submitted: each light the rules want explained
    needs a 偏差原因 (in a standard category) with its explanation, and 纠偏措施."""
    found = []
    budget, *rows = readings
    if rules.needs_explanation(budget.light) and not _explained(report):
        found.append(
            Problem("budget", f"预算执行为{budget.label}，请填写偏差原因、具体说明和纠偏措施")
        )
    for n, (row, reading) in enumerate(zip(report.rows, rows, strict=True), start=1):
        if rules.needs_explanation(reading.light) and not _explained(row):
            found.append(Problem(f"row-{n}", f"第{n}项指标「{row.name}」为{reading.label}，"
                                             "请填写偏差原因、具体说明和纠偏措施"))  # fmt: skip
    return found


def _explained(item) -> bool:
    """A 偏差原因 of a standard category, its explanation and the 纠偏措施 are all given."""
    return item.cause in CAUSES and bool(item.explanation.strip() and item.measures.strip())


@dataclass(frozen=True)
class RowInput:
    """What the unit types on one indicator row of a 监控表."""

    actual: str = ""
    forecast: str = ""
    likelihood: str = ""
    cause: str = ""
    explanation: str = ""
    measures: str = ""


@dataclass(frozen=True)
class ReportInput:
    """What the unit types on a 监控表: the budget's figures (万元, as typed) and its
    explanation, and one RowInput per indicator row, in their order."""

    executed: str = ""
    forecast: str = ""
    cause: str = ""
    explanation: str = ""
    measures: str = ""
    rows: tuple[RowInput, ...] = ()


#: What the audit trail names each field of a 监控表 by.
FIELD_LABELS = {"executed": "截至监控时点执行数", "forecast": "全年预计执行数", "cause": "偏差原因",
                "explanation": "偏差原因说明", "measures": "纠偏措施", "actual": "实际完成值",
                "likelihood": "完成目标可能性"}  # fmt: skip
ROW_TEXT_MAX = 200  # a value as typed (「95%」「约 1.2 万人次」)


def can_edit(user: User, report: MonitoringReport, spec: LifecycleSpec) -> bool:
    """The unit's 填报人, while the table is in a state its workflow marks editable."""
    state = spec.workflows[WORKFLOW].states.get(report.state)
    return (user.is_active and Role.filler in user.roles
            and user.unit_id == report.project.unit_id
            and state is not None and state.editable)  # fmt: skip


def save_report(
    uow: UnitOfWork, report: MonitoringReport, data: ReportInput, *, actor: User,
    spec: LifecycleSpec, now: dt.datetime, expected_version: int | None = None,
) -> list[lights.Reading]:  # fmt: skip
    """Save what the unit typed and recompute the lights; the readings. InvalidInput with every
    reason (and nothing saved) for what cannot be read; NotAllowed unless the actor may edit.
    Edits to a table that was submitted before (and returned) are audited, field by field."""
    with uow:
        if not can_edit(actor, report, spec):
            raise NotAllowed()
        if expected_version is not None and expected_version != report.version:
            raise Conflict()
        values, rows, problems = _read(report, data)
        if problems:
            raise InvalidInput(problems)
        changes = _apply(report, values, rows)
        found = relight(report, lights.load_rules(report.rules), report.round.cutoff)
        bump_version(uow.session, report, expected_version, updated_at=now)
        if changes and report.submitted_by_id is not None:
            chain.append(uow.session, now=now, actor=actor, action="monitoring.edit",
                         label="修改监控表", project_id=report.project_id,
                         details={"monitoring_report": report.id, "changes": changes})  # fmt: skip
        uow.commit()
        return found


def _read(report: MonitoringReport, data: ReportInput):
    problems: list[Problem] = []
    values: dict = {}
    for key, label in (("executed", "截至监控时点执行数"), ("forecast", "全年预计执行数")):
        try:
            amount = parse_wan(getattr(data, key), label)
        except NumberError as error:
            problems.append(Problem(key, error.message))
            continue
        if amount is not None and report.budget is not None and amount > report.budget:
            most = show_wan(report.budget)
            problems.append(Problem(key, f"「{label}」不能超过年度预算数 {most} 万元"))
        values[key] = amount
    if data.executed and data.forecast and not problems and values["forecast"] < values["executed"]:
        problems.append(Problem("forecast", "「全年预计执行数」不能少于截至监控时点执行数"))
    values |= _texts("budget", "预算执行", data, problems)
    if len(data.rows) != len(report.rows):
        problems.append(Problem("rows", "指标行数与监控表不一致，请刷新页面后重新填写"))
        return values, [], problems
    rows = []
    for n, (row, typed) in enumerate(zip(report.rows, data.rows, strict=True), start=1):
        where = f"第{n}项指标「{row.name[:30]}」"
        found = {}
        for key in ("actual", "forecast"):
            value = clean(getattr(typed, key))
            if len(value) > ROW_TEXT_MAX:
                problems.append(Problem(f"row-{n}-{key}",
                                        f"{where}的{FIELD_LABELS.get(key, '全年预计完成值')}"
                                        f"不能超过 {ROW_TEXT_MAX} 字"))  # fmt: skip
            found[key] = value
        likelihood = clean(typed.likelihood)
        if likelihood and likelihood not in lights.LIKELIHOODS:
            problems.append(
                Problem(
                    f"row-{n}-likelihood",
                    f"{where}的完成目标可能性应为{'、'.join(lights.LIKELIHOODS)}之一",
                )
            )
        found["likelihood"] = likelihood
        found |= _texts(f"row-{n}", where, typed, problems)
        rows.append(found)
    return values, rows, problems


def _texts(field: str, where: str, typed, problems: list[Problem]) -> dict:
    cause = clean(typed.cause)
    if cause and cause not in CAUSES:
        problems.append(Problem(f"{field}-cause", f"{where}的偏差原因应为{'、'.join(CAUSES)}之一"))
    found = {"cause": cause}
    for key in ("explanation", "measures"):
        value = clean(getattr(typed, key))
        if len(value) > CELL_MAX:
            problems.append(
                Problem(f"{field}-{key}", f"{where}的{FIELD_LABELS[key]}不能超过 {CELL_MAX} 字")
            )
        found[key] = value
    return found


def _apply(report: MonitoringReport, values: dict, rows: list[dict]) -> list[list[str]]:
    """Set the values; the changes, as the audit trail lists them: [field, old, new]."""
    changes = []

    def put(item, key, value, label):
        old = getattr(item, key)
        if old != value:
            shown = [show_wan(v) if isinstance(v, Decimal) else (v or "") for v in (old, value)]
            changes.append([label, *shown])
            setattr(item, key, value)

    for key, value in values.items():
        put(report, key, value, f"预算执行·{FIELD_LABELS[key]}")
    for n, (row, found) in enumerate(zip(report.rows, rows, strict=True), start=1):
        for key, value in found.items():
            label = "全年预计完成值" if key == "forecast" else FIELD_LABELS[key]
            put(row, key, value, f"第{n}项指标·{label}")
    return changes
