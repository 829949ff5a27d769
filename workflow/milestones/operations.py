"""Milestones: proposed from the plan at approval, corrected and confirmed by the unit, then
followed with actual dates and payments (质保金 releases long after the project is archived)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.declaration.models import Declaration
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, Problem
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import KIND_LABELS, Milestone
from workflow.milestones.plan import ProposedMilestone, propose_milestones
from workflow.numbers import NumberError, parse_date, parse_percent, parse_wan
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import clean
from workflow.uow import UnitOfWork

ROW_FIELDS = ("kind", "title", "planned_start", "due", "anchor", "offset_years",
              "offset_months", "offset_days", "percentage", "amount")  # fmt: skip
MAX_ROWS = 100


def milestones_of(session: Session, project: Project) -> list[Milestone]:
    query = select(Milestone).where(Milestone.project_id == project.id)
    return list(session.scalars(query.order_by(Milestone.position)))


def plan_notes(session: Session, project: Project) -> list[str]:
    """The parts of the 项目实施计划 that gave no milestone, for the person to handle."""
    declaration = session.get(Declaration, project.id)
    return propose_milestones(declaration.implementation_plan, year=project.year).notes


def propose_for(session: Session, project: Project) -> list[Milestone]:
    """Milestone rows proposed from the plan (on approval). A due counted from a milestone the
    plan never dates (「终验起算3年」) gets that milestone added, undated, for the unit to fill."""
    declaration = session.get(Declaration, project.id)
    proposals = propose_milestones(declaration.implementation_plan, year=project.year)
    rows = [_row(p) for p in proposals.milestones]
    for proposal, row in list(zip(proposals.milestones, rows, strict=True)):
        if proposal.relative:
            row.anchor = _anchor(rows, proposal.relative.anchor)
    for position, row in enumerate(rows):
        row.project_id, row.position = project.id, position
    session.add_all(rows)
    return rows


def _row(p: ProposedMilestone) -> Milestone:
    relative = p.relative
    return Milestone(
        kind=p.kind.value, title=p.title, planned_start=p.start, due=p.due,
        percentage=p.percentage, source=p.source,
        offset_years=relative.years if relative else 0,
        offset_months=relative.months if relative else 0,
        offset_days=relative.days if relative else 0,
    )  # fmt: skip


def _anchor(rows: list[Milestone], name: str) -> Milestone:
    named = [r for r in rows if r.kind == "acceptance" and name in r.title]
    if named:
        return named[-1]
    anchor = Milestone(kind="acceptance", title=name, note="由质保金条款推断，请填写计划日期")
    rows.append(anchor)
    return anchor


def to_rows(milestones: Sequence[Milestone]) -> list[dict[str, str]]:
    """Milestones as the form's rows (strings; the anchor as the 1-based row number)."""

    def text(value) -> str:
        return "" if value in (None, 0) else str(value)

    return [
        {"kind": m.kind, "title": m.title, "planned_start": text(m.planned_start),
         "due": text(m.due), "anchor": text(milestones.index(m.anchor) + 1 if m.anchor else None),
         "offset_years": text(m.offset_years), "offset_months": text(m.offset_months),
         "offset_days": text(m.offset_days), "percentage": text(m.percentage),
         "amount": text(m.amount)}
        for m in milestones
    ]  # fmt: skip


def milestone_problems(milestones: Sequence[Milestone]) -> list[Problem]:
    """What keeps a set of milestones from being confirmed."""
    if not milestones:
        return [Problem("milestones", "尚无里程碑：请至少填写一个实施节点")]
    problems = []
    for i, m in enumerate(milestones):
        row = f"第{i + 1}个里程碑"
        if not m.title.strip():
            problems.append(Problem(f"milestones-{i}-title", f"{row}未填写名称"))
        if m.due is None and m.anchor is None:
            problems.append(Problem(f"milestones-{i}-due", f"{row}（{m.title}）未填写计划日期"))
        if m.planned_start and m.due and m.planned_start > m.due:
            problems.append(Problem(f"milestones-{i}-planned_start", f"{row}开始日期晚于完成日期"))
    return problems


def save_milestones(
    uow: UnitOfWork,
    project: Project,
    rows: Sequence[Mapping[str, Any]],
    *,
    actor: User,
    now: dt.datetime,
    expected_version: int | None,
) -> list[Milestone]:
    """Replace the proposed milestones with the unit's corrections (before confirmation)."""
    with uow:
        access.require_view(actor, project, get_lifecycle().spec)
        if not access.can_edit_milestones(actor, project):
            raise NotAllowed("只有本单位人员可以在确认前修改里程碑")
        milestones = _parse_rows(rows)
        bump_version(uow.session, project, expected_version, updated_at=now)
        for old in milestones_of(uow.session, project):
            uow.session.delete(old)
        uow.session.flush()
        for position, m in enumerate(milestones):
            m.project_id, m.position = project.id, position
        uow.session.add_all(milestones)
        uow.commit()
        return milestones


def _parse_rows(rows: Sequence[Mapping[str, Any]]) -> list[Milestone]:
    problems: list[Problem] = []
    kept = [r for r in list(rows)[:MAX_ROWS] if any(clean(r.get(f)) for f in ROW_FIELDS[1:])]
    milestones = [_parse_row(i, r, problems) for i, r in enumerate(kept)]
    for i, row in enumerate(kept):
        anchor = clean(row.get("anchor"))
        if not anchor:
            continue
        if not _small_number(anchor) or not 1 <= int(anchor) <= len(kept) or int(anchor) == i + 1:
            problems.append(Problem(f"milestones-{i}-anchor", f"第{i + 1}个里程碑的起算节点无效"))
        else:
            milestones[i].anchor = milestones[int(anchor) - 1]
    if problems:
        raise InvalidInput(problems)
    return milestones


def _small_number(text: str) -> bool:
    # ASCII only: 「²」 passes str.isdigit but not int(); ten digits at most, never a huge int.
    return text.isascii() and text.isdigit() and len(text) <= 10


def _parse_row(i: int, row: Mapping[str, Any], problems: list[Problem]) -> Milestone:
    def read(field, parse, label):
        try:
            return parse(str(row.get(field) or ""), f"第{i + 1}个里程碑{label}")
        except NumberError as exc:
            problems.append(Problem(f"milestones-{i}-{field}", exc.message))
            return None

    kind = str(row.get("kind") or "")
    if kind not in KIND_LABELS:
        problems.append(Problem(f"milestones-{i}-kind", f"第{i + 1}个里程碑未选择类别"))
    offsets = {}
    for field in ("offset_years", "offset_months", "offset_days"):
        text = clean(row.get(field)) or "0"
        if not _small_number(text) or int(text) > 3650:
            problems.append(
                Problem(f"milestones-{i}-{field}", f"第{i + 1}个里程碑的间隔应为0–3650的整数")
            )
            text = "0"
        offsets[field] = int(text)
    return Milestone(
        kind=kind, title=clean(row.get("title")),
        planned_start=read("planned_start", parse_date, "开始日期"),
        due=read("due", parse_date, "计划完成日期"),
        percentage=read("percentage", parse_percent, "支付比例"),
        amount=read("amount", parse_wan, "金额"), **offsets,
    )  # fmt: skip


def confirm(uow: UnitOfWork, project: Project, *, actor: User, now: dt.datetime,
            expected_version: int | None = None) -> None:  # fmt: skip
    """The unit confirms the milestones; implementation may start once they are confirmed."""
    with uow:
        access.require_view(actor, project, get_lifecycle().spec)
        if not access.can_edit_milestones(actor, project):
            raise NotAllowed("只有本单位人员可以确认财政已批复、尚未确认的里程碑")
        milestones = milestones_of(uow.session, project)
        problems = milestone_problems(milestones)
        if problems:
            raise GuardFailed(problems)
        bump_version(uow.session, project, expected_version, milestones_confirmed_at=now)
        chain.append(uow.session, now=now, actor=actor, action="confirm_milestones",
                     label="确认里程碑", project_id=project.id,
                     details={"milestones": [_describe(m) for m in milestones]})  # fmt: skip
        uow.commit()


def record_actual(uow: UnitOfWork, project: Project, milestone: Milestone,
                  data: Mapping[str, Any], *, actor: User, now: dt.datetime) -> None:  # fmt: skip
    """Record what happened: the actual date, the amount paid, a note. After the archive only
    what is still outstanding (a 质保金 release) may be recorded."""
    spec = get_lifecycle().spec
    with uow:
        access.require_view(actor, project, spec)
        if milestone.project_id != project.id or not access.can_record_milestones(actor, project):
            raise NotAllowed("只有本单位人员可以在实施阶段及以后登记实际完成情况")
        if not access.can_record_milestone(actor, project, milestone, spec):
            raise NotAllowed(f"项目{spec.state_label(project.state)}，已登记的完成情况不能再修改")
        problems: list[Problem] = []
        label = f"{milestone.title}·"  # the reader wraps it in 「」
        values = {}
        for field, parse, name in (("actual_date", parse_date, "实际日期"),
                                   ("paid_amount", parse_wan, "实际支付金额（万元）")):  # fmt: skip
            try:
                values[field] = parse(str(data.get(field) or ""), f"{label}{name}")
            except NumberError as exc:
                problems.append(Problem(field, exc.message))
        note = clean(data.get("note"))
        if len(note) > 2000:
            problems.append(Problem("note", "备注不能超过2000字"))
        if problems:
            raise InvalidInput(problems)
        before = _describe(milestone)
        milestone.actual_date, milestone.paid_amount, milestone.note = (
            values["actual_date"], values["paid_amount"], note)  # fmt: skip
        bump_version(uow.session, project, None, updated_at=now)
        chain.append(uow.session, now=now, actor=actor, action="record_milestone",
                     label="登记里程碑完成情况", project_id=project.id,
                     details={"before": before, "after": _describe(milestone)})  # fmt: skip
        uow.commit()


def _describe(m: Milestone) -> dict[str, str]:
    return {
        "title": m.title, "kind": m.kind,
        "due": m.due.isoformat() if m.due else "",
        "relative": f"{m.anchor.title}后{m.offset_label}" if m.anchor else "",
        "actual_date": m.actual_date.isoformat() if m.actual_date else "",
        "paid_amount": str(m.paid_amount) if m.paid_amount is not None else "",
    }  # fmt: skip
