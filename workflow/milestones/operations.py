"""Milestones: proposed from the plan at approval, corrected and confirmed by the unit, then
followed with actual dates and payments (质保金 releases long after the project is archived)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.clock import CHINA
from workflow.declaration.models import Declaration
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, Problem
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.milestones.plan import (
    ANCHOR_KINDS,
    ProposedMilestone,
    names_anchor,
    propose_milestones,
)
from workflow.milestones.rows import (  # noqa: F401 - the form's rows, used with the operations
    LEGACY_OFFSET_FIELDS,
    MAX_ROWS,
    OFFSET_UNITS,
    ROW_FIELDS,
    AmountBasis,
    anchor_choices,
    basis_of,
    check_milestones,
    computed_amount,
    in_form_order,
    read_rows,
    row_label,
    to_rows,
)
from workflow.numbers import NumberError, parse_date, parse_wan, show_wan
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import COMMENT_MAX, clean
from workflow.uow import UnitOfWork


def milestones_of(session: Session, project: Project) -> list[Milestone]:
    query = select(Milestone).where(Milestone.project_id == project.id)
    return list(session.scalars(query.order_by(Milestone.position)))


def plan_notes(session: Session, project: Project) -> list[str]:
    """The parts of the 项目实施计划 that gave no milestone, for the person to handle."""
    declaration = session.get(Declaration, project.id)
    return propose_milestones(declaration.implementation_plan, year=project.year).notes


def propose_for(session: Session, project: Project) -> list[Milestone]:
    """Milestone rows proposed from the plan (on approval). A due counted from a milestone the
    plan never dates (「终验起算3年」) gets that milestone added, undated, for the unit to fill;
    a payment share gets the amount it implies (`AmountBasis`)."""
    declaration = session.get(Declaration, project.id)
    proposals = propose_milestones(declaration.implementation_plan, year=project.year)
    basis = basis_of(project.amount, declaration.implementation_plan)
    rows = [_row(p, basis) for p in proposals.milestones]
    for proposal, row in list(zip(proposals.milestones, rows, strict=True)):
        if proposal.relative:
            row.anchor = _anchor(rows, proposal.relative.anchor, row)
    for position, row in enumerate(rows):
        row.project_id, row.position = project.id, position
    session.add_all(rows)
    return rows


def _row(p: ProposedMilestone, basis: AmountBasis) -> Milestone:
    relative = p.relative
    return Milestone(
        kind=p.kind.value, title=p.title, planned_start=p.start, due=p.due,
        percentage=p.percentage, amount=basis.share(p.percentage), source=p.source,
        offset_years=relative.years if relative else 0,
        offset_months=relative.months if relative else 0,
        offset_days=relative.days if relative else 0,
        offset_workdays=relative.workdays if relative else 0,
    )  # fmt: skip


def _anchor(rows: list[Milestone], name: str, row: Milestone) -> Milestone:
    """The milestone `name` (「终验」「合同签订」「验收」) names: the last one before `row`, else
    the last one at all; else one added, undated, for the unit to fill."""
    named = [r for r in rows if r is not row and names_anchor(name, r.kind, r.title)]
    before = [r for r in named if rows.index(r) < rows.index(row)]
    if before or named:
        return (before or named)[-1]
    kind = ANCHOR_KINDS.get(name, "phase")
    note = "由质保金条款推断，请填写计划日期" if row.kind == "warranty_release" else (
        "由付款或时限条款推断，请填写计划日期")  # fmt: skip
    anchor = Milestone(kind=kind, title=name, note=note)
    rows.append(anchor)
    return anchor


def amount_basis(session: Session, project: Project) -> AmountBasis:
    """What payment shares are counted from: the contract amount the 项目实施计划 names, else
    the project's 申报金额."""
    declaration = session.get(Declaration, project.id)
    return basis_of(project.amount, declaration.implementation_plan if declaration else "")


def milestone_problems(milestones: Sequence[Milestone]) -> list[Problem]:
    """What keeps a set of saved milestones from being confirmed."""
    return check_milestones(milestones)


def _require_editor(actor: User, project: Project) -> None:
    access.require_view(actor, project, get_lifecycle().spec)
    if not access.can_edit_milestones(actor, project):
        raise NotAllowed("只有本单位人员可以在确认前修改里程碑")


def save_milestones(
    uow: UnitOfWork,
    project: Project,
    rows: Sequence[Mapping[str, Any]],
    *,
    actor: User,
    now: dt.datetime,
    expected_version: int | None,
) -> list[Milestone]:
    """Replace the proposed milestones with the unit's rows (before confirmation). Rows that
    cannot be read raise InvalidInput naming each by its row number; nothing is saved then."""
    with uow:
        _require_editor(actor, project)
        read = read_rows(rows, amount_basis(uow.session, project))
        if read.problems:
            raise InvalidInput(read.problems)
        _replace(uow.session, project, read.milestones, expected_version, updated_at=now)
        uow.commit()
        return read.milestones


def save_and_confirm(
    uow: UnitOfWork,
    project: Project,
    rows: Sequence[Mapping[str, Any]],
    *,
    actor: User,
    now: dt.datetime,
    expected_version: int | None,
) -> list[Milestone]:
    """「确认里程碑」 on the form: save the rows as typed and confirm them, in one transaction.
    What cannot be read and what keeps them from being confirmed come back together as one
    InvalidInput (by row number, each cause once); then nothing is saved or confirmed."""
    with uow:
        _require_editor(actor, project)
        read = read_rows(rows, amount_basis(uow.session, project))
        problems = read.confirm_problems()
        if problems:
            raise InvalidInput(problems)
        _replace(uow.session, project, read.milestones, expected_version, updated_at=now,
                 milestones_confirmed_at=now)  # fmt: skip
        _confirmed(uow.session, project, read.milestones, actor=actor, now=now)
        uow.commit()
        return read.milestones


def _replace(session: Session, project: Project, milestones: list[Milestone],
             expected_version: int | None, **values) -> None:  # fmt: skip
    bump_version(session, project, expected_version, **values)
    for old in milestones_of(session, project):
        session.delete(old)
    session.flush()
    for position, m in enumerate(milestones):
        m.project_id, m.position = project.id, position
    session.add_all(milestones)


def _confirmed(session: Session, project: Project, milestones: Sequence[Milestone], *,
               actor: User, now: dt.datetime) -> None:  # fmt: skip
    chain.append(session, now=now, actor=actor, action="confirm_milestones", label="确认里程碑",
                 project_id=project.id,
                 details={"milestones": [_describe(m) for m in milestones]})  # fmt: skip


def confirm(uow: UnitOfWork, project: Project, *, actor: User, now: dt.datetime,
            expected_version: int | None = None) -> None:  # fmt: skip
    """The unit confirms the milestones as saved; implementation may start once they are."""
    with uow:
        access.require_view(actor, project, get_lifecycle().spec)
        if not access.can_edit_milestones(actor, project):
            raise NotAllowed("只有本单位人员可以确认财政已批复、尚未确认的里程碑")
        milestones = milestones_of(uow.session, project)
        problems = milestone_problems(milestones)
        if problems:
            raise GuardFailed(problems)
        bump_version(uow.session, project, expected_version, milestones_confirmed_at=now)
        _confirmed(uow.session, project, milestones, actor=actor, now=now)
        uow.commit()


def record_actual(uow: UnitOfWork, project: Project, milestone: Milestone,
                  data: Mapping[str, Any], *, actor: User, now: dt.datetime,
                  today: dt.date | None = None) -> None:  # fmt: skip
    """Record what happened: the actual date, the amount paid, a note. An actual date after
    `today` (China's date; by default `now`'s) is refused, as is anything unreadable: then
    InvalidInput names each field and nothing changes. After the archive only what is still
    outstanding (a 质保金 release) may be recorded."""
    spec = get_lifecycle().spec
    today = today or now.astimezone(CHINA).date()
    with uow:
        access.require_view(actor, project, spec)
        if milestone.project_id != project.id or not access.can_record_milestones(actor, project):
            raise NotAllowed("只有本单位人员可以在实施阶段及以后登记实际完成情况")
        if not access.can_record_milestone(actor, project, milestone, spec):
            raise NotAllowed(f"项目{spec.state_label(project.state)}，已登记的完成情况不能再修改")
        values, problems = _read_actual(milestone, data, today)
        if problems:
            raise InvalidInput(problems)
        before = _describe(milestone)
        milestone.actual_date, milestone.paid_amount, milestone.note = (
            values["actual_date"], values["paid_amount"], values["note"])  # fmt: skip
        bump_version(uow.session, project, None, updated_at=now)
        chain.append(uow.session, now=now, actor=actor, action="record_milestone",
                     label="登记里程碑完成情况", project_id=project.id,
                     details={"before": before, "after": _describe(milestone)})  # fmt: skip
        uow.commit()


def _read_actual(milestone: Milestone, data: Mapping[str, Any],
                 today: dt.date) -> tuple[dict[str, Any], list[Problem]]:  # fmt: skip
    problems: list[Problem] = []
    label = f"{milestone.title}·"  # the reader wraps it in 「」
    values: dict[str, Any] = {}
    for field, parse, name in (("actual_date", parse_date, "实际日期"),
                               ("paid_amount", parse_wan, "实际支付金额（万元）")):  # fmt: skip
        try:
            values[field] = parse(str(data.get(field) or ""), f"{label}{name}")
        except NumberError as exc:
            problems.append(Problem(field, exc.message))
            values[field] = None
    if values["actual_date"] is not None and values["actual_date"] > today:
        problems.append(Problem("actual_date",
                                f"「{label}实际日期」{values['actual_date']:%Y-%m-%d}晚于今天"
                                f"（{today:%Y-%m-%d}）：请在完成之后登记"))  # fmt: skip
    values["note"] = clean(data.get("note"))
    if len(values["note"]) > COMMENT_MAX:
        problems.append(Problem("note", f"备注不能超过{COMMENT_MAX}字"))
    return values, problems


def _describe(m: Milestone) -> dict[str, str]:
    return {
        "title": m.title, "kind": m.kind,
        "due": m.due.isoformat() if m.due else "",
        "relative": f"{m.anchor.title}后{m.offset_label}" if m.anchor else "",
        "percentage": "" if m.percentage is None else show_wan(m.percentage),
        "amount": "" if m.amount is None else show_wan(m.amount),
        "actual_date": m.actual_date.isoformat() if m.actual_date else "",
        "paid_amount": str(m.paid_amount) if m.paid_amount is not None else "",
    }  # fmt: skip
