"""绩效目标调整: proposing, editing and approving changes to a project's approved yardstick, and
the versions it has had.

The yardstick is the 自评表's copy of the approved indicators and 子项目 (EvaluationIndicator,
EvaluationFundItem): the self-evaluation is scored against it. Version 1 is what finance approved
with the declaration; each approved proposal applies its changes to it, under the project's row
lock, and keeps the result as the next version. A proposal is drafted against the version then
current and can only be approved while that version is still the current one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.adjustment.models import (
    AdjustmentChange,
    AdjustmentDeadline,
    TargetAdjustment,
    YardstickVersion,
)
from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.declaration.models import CATEGORIES, INDICATOR_DIRECTIONS
from workflow.declaration.snapshot import diff
from workflow.errors import Conflict, InvalidInput, NotAllowed, Problem
from workflow.evaluation.checks import indicators_of
from workflow.evaluation.models import EvaluationFundItem, EvaluationIndicator
from workflow.lifecycle.spec import LifecycleSpec
from workflow.numbers import NumberError, parse_wan, show_wan
from workflow.org.models import Role, User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import CELL_MAX, clean
from workflow.uow import UnitOfWork

WORKFLOW = "adjustment"  # the proposal's workflow in states.yaml (`workflows:`)
TARGET_MAX = 200
DIRECTIONS = dict(INDICATOR_DIRECTIONS)
MAX_NEW = 20  # indicators one proposal adds


# --- the yardstick and its versions ------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One version of a project's yardstick: its indicators and 子项目, when and by whom it was
    approved, and the proposal that made it (None: the declaration as approved)."""

    number: int
    approved_at: dt.datetime | None
    approved_by: str
    adjustment_id: int | None
    indicators: list[dict]
    fund_items: list[dict]

    @property
    def planned_total(self) -> Decimal | None:
        """The 子项目's amounts added up, 万元 (None when none has an amount)."""
        amounts = [Decimal(f["planned"]) for f in self.fund_items if f.get("planned") is not None]
        return sum(amounts, Decimal(0)) if amounts else None

    @property
    def label(self) -> str:
        when = self.approved_at.astimezone(CHINA).date() if self.approved_at else None
        how = "申报批复" if self.adjustment_id is None else "调整批复"
        return f"第 {self.number} 版（{how}{f'，{when}' if when else ''}）"


def snapshot(session: Session, project: Project) -> dict:
    """The yardstick as it stands: the 自评表's indicators and 子项目 with their amounts."""
    funds = session.scalars(
        select(EvaluationFundItem).where(EvaluationFundItem.project_id == project.id)
        .order_by(EvaluationFundItem.position)
    ).all()  # fmt: skip
    return {
        "indicators": [{"category": i.category, "name": i.name, "target": i.target,
                        "direction": i.direction} for i in indicators_of(session, project)],
        "fund_items": [{"name": f.name, "planned": None if f.planned is None else str(f.planned)}
                       for f in funds],
    }  # fmt: skip


def versions(session: Session, project: Project) -> list[Version]:
    """Every version, the first first. A project never adjusted has its approved yardstick
    as version 1 (kept as a row once a first adjustment is approved)."""
    rows = session.execute(
        select(YardstickVersion, User.display_name)
        .outerjoin(User, User.id == YardstickVersion.approved_by_id)
        .where(YardstickVersion.project_id == project.id).order_by(YardstickVersion.number)
    ).all()  # fmt: skip
    if not rows:
        return [_version(1, None, "", None, snapshot(session, project))]
    return [_version(v.number, v.approved_at, name or "", v.adjustment_id, json.loads(v.snapshot))
            for v, name in rows]  # fmt: skip


def _version(number, approved_at, by, adjustment_id, data) -> Version:
    return Version(number, approved_at, by, adjustment_id, data["indicators"], data["fund_items"])


def current_number(session: Session, project: Project) -> int:
    """The number of the version the yardstick is now (1 until an adjustment is approved)."""
    found = session.scalar(
        select(func.max(YardstickVersion.number)).where(YardstickVersion.project_id == project.id)
    )
    return found or 1


def labelled(version: Version) -> dict[str, str]:
    """A version as labelled values (「产出·培训参与人数·目标值」), for the field-by-field diff:
    rows are named by their category and name, so removing one does not renumber the rest."""
    values = {}
    for i in version.indicators:
        where = f"{i['category']}·{i['name']}"
        values[f"{where}·目标值"] = i["target"]
        if i.get("direction"):
            values[f"{where}·指标方向"] = DIRECTIONS.get(i["direction"], i["direction"])
    for f in version.fund_items:
        if f.get("planned") is not None:
            values[f"子项目「{f['name']}」·预算金额（万元）"] = show_wan(Decimal(f["planned"]))
    return values


def compare(older: Version, newer: Version) -> list[list[str]]:
    """[field, old, new] for what differs between two versions (declaration's diff)."""
    return diff(labelled(older), labelled(newer))


# --- proposing -----------------------------------------------------------------------------


def deadline_of(session: Session, year: int) -> dt.date | None:
    found = session.get(AdjustmentDeadline, year)
    return found.deadline if found is not None else None


def set_deadline(uow: UnitOfWork, *, year: int | None, deadline: dt.date | None, actor: User,
                 now: dt.datetime) -> None:  # fmt: skip
    """A 财政审核人 sets (or moves) the last day the year's targets may be proposed for
    adjustment; audited."""
    with uow:
        if not actor.is_active or Role.reviewer not in actor.roles:
            raise NotAllowed()
        problems = []
        if year is None or not 2000 <= year <= 2100:
            problems.append(Problem("year", "请填写项目年度（如 2027）"))
        if deadline is None:
            problems.append(Problem("deadline", "请填写调整申请截止日期"))
        if problems:
            raise InvalidInput(problems)
        found = uow.session.get(AdjustmentDeadline, year)
        if found is None:
            uow.session.add(AdjustmentDeadline(year=year, deadline=deadline, set_by_id=actor.id,
                                               set_at=now))  # fmt: skip
        else:
            found.deadline, found.set_by_id, found.set_at = deadline, actor.id, now
        chain.append(uow.session, now=now, actor=actor, action="adjustment.deadline",
                     label="设置绩效目标调整截止日期",
                     details={"year": year, "deadline": deadline.isoformat()})  # fmt: skip
        uow.commit()


def timing_problems(session: Session, project: Project, spec: LifecycleSpec,
                    today: dt.date) -> list[Problem]:  # fmt: skip
    """Why the project's targets cannot be proposed for adjustment now: only while it is being
    implemented (a state states.yaml marks `monitored`), and until the year's deadline."""
    state = spec.states.get(project.state)
    if state is None or not state.monitored:
        return [Problem("project", "只有实施中的项目可以申请调整绩效目标")]
    deadline = deadline_of(session, project.year)
    if deadline is not None and today > deadline:
        return [Problem("project", f"{project.year} 年度绩效目标调整申请已于 {deadline} 截止")]
    return []


def open_proposal(session: Session, project: Project) -> TargetAdjustment | None:
    """The project's proposal still under way (one at a time), if any."""
    flow_ended = ("approved", "cancelled")
    return session.scalar(
        select(TargetAdjustment)
        .where(TargetAdjustment.project_id == project.id, TargetAdjustment.state.not_in(flow_ended))
        .order_by(TargetAdjustment.id.desc()).limit(1)
    )  # fmt: skip


def propose(uow: UnitOfWork, project: Project, *, actor: User, spec: LifecycleSpec,
            now: dt.datetime) -> TargetAdjustment:  # fmt: skip
    """A 填报人 of the project's unit starts a proposal against the current version."""
    with uow:
        session = uow.session
        if not (actor.is_active and Role.filler in actor.roles
                and actor.unit_id == project.unit_id):  # fmt: skip
            raise NotAllowed()
        flow = spec.workflows.get(WORKFLOW)
        if flow is None:
            raise InvalidInput([Problem("workflow", "流程定义文件未声明绩效目标调整的流程"
                                                    "（workflows.adjustment）")])  # fmt: skip
        today = now.astimezone(CHINA).date()
        problems = timing_problems(session, project, spec, today)
        if open_proposal(session, project) is not None:
            problems.append(Problem("project", "该项目已有尚未办结的调整申请，请在其中修改"))
        if problems:
            raise InvalidInput(problems)
        item = TargetAdjustment(project_id=project.id, state=flow.initial, version=1, reason="",
                                base_number=current_number(session, project),
                                created_by_id=actor.id, created_at=now, updated_at=now)  # fmt: skip
        session.add(item)
        session.flush()
        chain.append(session, now=now, actor=actor, action="adjustment.create",
                     label="拟订绩效目标调整", project_id=project.id,
                     details={"target_adjustment": item.id})  # fmt: skip
        uow.commit()
        return item


@dataclass(frozen=True)
class RowChange:
    """What is typed against one indicator of the current version."""

    new_target: str = ""
    direction: str = ""
    remove: bool = False
    reason: str = ""


@dataclass(frozen=True)
class NewIndicator:
    category: str = ""
    name: str = ""
    target: str = ""
    direction: str = ""
    reason: str = ""


@dataclass(frozen=True)
class AmountChange:
    new_amount: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ProposalInput:
    """A proposal as typed: its overall reason; per indicator of the current version, in order,
    its new target or removal; indicators to add; per 子项目, its new amount."""

    reason: str = ""
    rows: tuple[RowChange, ...] = ()
    added: tuple[NewIndicator, ...] = ()
    amounts: tuple[AmountChange, ...] = ()


def can_edit(user: User, item: TargetAdjustment, spec: LifecycleSpec) -> bool:
    state = spec.workflows[WORKFLOW].states.get(item.state)
    return (user.is_active and Role.filler in user.roles
            and user.unit_id == item.project.unit_id
            and state is not None and state.editable)  # fmt: skip


def save(
    uow: UnitOfWork, item: TargetAdjustment, data: ProposalInput, *, actor: User,
    spec: LifecycleSpec, now: dt.datetime, expected_version: int | None = None,
) -> None:  # fmt: skip
    """Keep what is typed as the proposal's changes (replacing the earlier ones). InvalidInput
    with every reason, and nothing saved, for what cannot be read; what is only incomplete is
    saved and said before submission (the guard adjustment_complete)."""
    with uow:
        session = uow.session
        if not can_edit(actor, item, spec):
            raise NotAllowed()
        if expected_version is not None and expected_version != item.version:
            raise Conflict()
        base = versions(session, item.project)[-1]
        changes, problems = _read(base, data)
        reason = clean(data.reason)
        if len(reason) > CELL_MAX:
            problems.append(Problem("reason", f"调整原因不能超过 {CELL_MAX} 字"))
        if item.base_number != base.number:
            problems.append(Problem("base", "绩效目标已有新的批复版本，请撤销本申请后重新拟订"))
        if problems:
            raise InvalidInput(problems)
        before = _said(item.changes, item.reason)
        item.changes = changes
        item.reason = reason
        bump_version(session, item, expected_version, updated_at=now)
        edited = diff(before, _said(changes, reason))
        if item.submitted_by_id is not None and edited:  # returned, and changed since
            chain.append(session, now=now, actor=actor, action="adjustment.edit",
                         label="修改绩效目标调整申请", project_id=item.project_id,
                         details={"target_adjustment": item.id, "changes": edited})  # fmt: skip
        uow.commit()


def _said(changes: list[AdjustmentChange], reason: str) -> dict[str, str]:
    """A proposal as labelled values, for the field-by-field record of an edit."""
    values = {"调整原因": reason}
    for c in changes:
        where = f"{c.kind_label}「{c.name}」"
        values[f"{where}·调整后"] = c.new_value or ("（删除）" if c.kind == "remove" else "")
        values[f"{where}·调整理由"] = c.reason
    return {k: v for k, v in values.items() if v}


def _read(base: Version, data: ProposalInput) -> tuple[list[AdjustmentChange], list[Problem]]:
    problems: list[Problem] = []
    changes: list[AdjustmentChange] = []
    if len(data.rows) != len(base.indicators) or len(data.amounts) != len(base.fund_items):
        return [], [Problem("rows", "指标或子项目行数与当前版本不一致，请刷新页面后重新填写")]
    if len(data.added) > MAX_NEW:
        return [], [Problem("added", f"一次最多新增 {MAX_NEW} 项指标")]
    for n, (row, typed) in enumerate(zip(base.indicators, data.rows, strict=True), start=1):
        where = f"第{n}项指标「{row['name'][:30]}」"
        target, reason = clean(typed.new_target), clean(typed.reason)
        _lengths(problems, f"rows-{n}", where, target=target, reason=reason)
        direction = typed.direction if typed.direction in DIRECTIONS else ""
        common = {"row": n - 1, "category": row["category"], "name": row["name"],
                  "old_value": row["target"], "reason": reason}  # fmt: skip
        if typed.remove:
            changes.append(AdjustmentChange(kind="remove", new_value="", direction="", **common))
        elif target and (target != row["target"] or direction != row.get("direction", "")):
            changes.append(AdjustmentChange(kind="target", new_value=target, direction=direction,
                                            **common))  # fmt: skip
        elif reason:
            problems.append(Problem(f"rows-{n}-target", f"{where}写了调整理由，请填写调整后目标值"))
    for n, typed in enumerate(data.added, start=1):
        name, target, reason = clean(typed.name), clean(typed.target), clean(typed.reason)
        category = clean(typed.category)
        if not (name or target or reason):
            continue
        where = f"新增第{n}项指标"
        if category not in CATEGORIES:
            problems.append(Problem(f"added-{n}-category",
                                    f"{where}请选择类别（{'、'.join(CATEGORIES)}）"))  # fmt: skip
        _lengths(problems, f"added-{n}", where, target=target, reason=reason, name=name)
        changes.append(AdjustmentChange(
            kind="add", row=None, category=category, name=name, old_value="", new_value=target,
            direction=typed.direction if typed.direction in DIRECTIONS else "", reason=reason,
        ))  # fmt: skip
    for n, (fund, typed) in enumerate(zip(base.fund_items, data.amounts, strict=True), start=1):
        where = f"子项目「{fund['name'][:30]}」"
        reason = clean(typed.reason)
        _lengths(problems, f"amounts-{n}", where, reason=reason)
        try:
            amount = parse_wan(typed.new_amount, f"{where}调整后金额")
        except NumberError as error:
            problems.append(Problem(f"amounts-{n}-amount", error.message))
            continue
        old = Decimal(fund["planned"]) if fund.get("planned") is not None else None
        if amount is not None and amount != old:
            changes.append(AdjustmentChange(
                kind="amount", row=n - 1, category="", name=fund["name"],
                old_value="" if old is None else show_wan(old), new_value=show_wan(amount),
                direction="", reason=reason,
            ))  # fmt: skip
    for position, change in enumerate(changes):
        change.position = position
    return changes, problems


def _lengths(problems, field, where, *, target="", reason="", name="") -> None:
    if len(target) > TARGET_MAX:
        problems.append(Problem(f"{field}-target", f"{where}的目标值不能超过 {TARGET_MAX} 字"))
    if len(name) > CELL_MAX:
        problems.append(Problem(f"{field}-name", f"{where}的指标名称不能超过 {CELL_MAX} 字"))
    if len(reason) > CELL_MAX:
        problems.append(Problem(f"{field}-reason", f"{where}的调整理由不能超过 {CELL_MAX} 字"))


def completeness(item: TargetAdjustment) -> list[Problem]:
    """What a proposal lacks before it goes on: at least one change, the overall reason, and
    each change's reason (an added indicator also its category, name and target)."""
    found = []
    if not item.changes:
        found.append(Problem("changes", "请至少填写一项调整：目标值、新增或删除指标、子项目金额"))
    if not item.reason.strip():
        found.append(Problem("reason", "请填写调整原因"))
    for change in item.changes:
        what = f"{change.kind_label}「{change.name[:30] or '（未命名）'}」"
        if change.kind == "add" and not (change.name and change.new_value and change.category):
            found.append(Problem("added", f"{what}：请填写类别、指标名称和目标值"))
        if not change.reason.strip():
            found.append(Problem("changes", f"{what}：请填写调整理由"))
    return found


# --- approving --------------------------------------------------------------------------


def _keep_first(session: Session, project: Project, first: Version, now: dt.datetime) -> None:
    """Keep version 1 as a row, dated and signed by finance's approval of the declaration (the
    last step into a state that froze the targets, states.yaml `freeze_targets`)."""
    from workflow.lifecycle.machine import get_lifecycle

    frozen = [n for n, s in get_lifecycle().spec.states.items() if "freeze_targets" in s.on_enter]
    approval = session.execute(
        select(AuditEvent.at, AuditEvent.actor_id)
        .where(AuditEvent.project_id == project.id, AuditEvent.to_state.in_(frozen))
        .order_by(AuditEvent.seq.desc()).limit(1)
    ).first()  # fmt: skip
    data = {"indicators": first.indicators, "fund_items": first.fund_items}
    session.add(YardstickVersion(
        project_id=project.id, number=1, adjustment_id=None,
        snapshot=json.dumps(data, ensure_ascii=False),
        approved_at=approval.at if approval else now,
        approved_by_id=approval.actor_id if approval else None,
    ))  # fmt: skip


def apply(session: Session, item: TargetAdjustment, *, actor: User, now: dt.datetime) -> dict:
    """Apply an approved proposal to the yardstick and keep the result as the next version,
    under the project's row lock (two approvals of the same project are applied one at a
    time; a proposal drafted against an older version is refused). What it changed, for the
    audit record."""
    project = item.project
    session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
    stored = versions(session, project)
    if stored[-1].number != item.base_number:
        raise Conflict("绩效目标已有新的批复版本，本申请所依据的版本已过时，请退回单位重新拟订")
    if not session.scalar(select(func.count()).where(YardstickVersion.project_id == project.id)):
        _keep_first(session, project, stored[0], now)
    rows = indicators_of(session, project)
    removed = set()
    for change in item.changes:
        if change.kind == "target":
            row = rows[change.row]
            row.target, row.direction = change.new_value, change.direction
        elif change.kind == "remove":
            removed.add(change.row)
    for n in sorted(removed, reverse=True):
        session.delete(rows[n])
    kept = [r for n, r in enumerate(rows) if n not in removed]
    for change in item.changes:
        if change.kind == "add":
            row = EvaluationIndicator(
                project_id=project.id,
                position=0,
                category=change.category,
                name=change.name,
                target=change.new_value,
                direction=change.direction,
            )
            session.add(row)
            kept.append(row)
    session.flush()  # deletions first: positions are reused below
    for position, row in enumerate(kept):
        row.position = position
    funds = session.scalars(
        select(EvaluationFundItem).where(EvaluationFundItem.project_id == project.id)
        .order_by(EvaluationFundItem.position)
    ).all()  # fmt: skip
    for change in item.changes:
        if change.kind == "amount":
            funds[change.row].planned = parse_wan(change.new_value, change.name)
    session.flush()
    number = stored[-1].number + 1
    after = snapshot(session, project)
    session.add(YardstickVersion(project_id=project.id, number=number, adjustment_id=item.id,
                                 snapshot=json.dumps(after, ensure_ascii=False),
                                 approved_at=now, approved_by_id=actor.id))  # fmt: skip
    item.result_number = number
    session.flush()
    made = _version(number, now, actor.display_name, item.id, after)
    return {"yardstick_version": number, "changes": compare(stored[-1], made)}
