"""Create a project and save its forms: parse what people typed, keep every field, audit edits."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import exists, select

from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.db import MAX_WAN
from workflow.declaration.models import DECLARATION_FIELDS, Declaration, TextField
from workflow.errors import InvalidInput, NotAllowed, Problem
from workflow.evaluation.models import EVALUATION_FIELDS, SelfEvaluation
from workflow.lifecycle.guards import MAX_YEAR, MIN_YEAR
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.uow import UnitOfWork

MAX_NAME = 200
MAX_TEXT = 20_000
_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,6})?")


def parse_amount(raw: str | None, label: str = "申报金额") -> tuple[Decimal | None, Problem | None]:
    """万元 as typed (「350」「1,435.5」) -> Decimal; up to 6 decimals (one fen), never negative."""
    text = (raw or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None, Problem("amount", f"「{label}」未填写")
    if text.startswith("-"):
        return None, Problem("amount", f"「{label}」不能为负数")
    if not _AMOUNT.fullmatch(text):
        return None, Problem("amount", f"「{label}」应为数字（万元，最多6位小数）")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, Problem("amount", f"「{label}」应为数字（万元，最多6位小数）")
    if value > MAX_WAN:
        return None, Problem("amount", f"「{label}」数额过大，请核对单位是否为万元")
    return value, None


def parse_year(raw: str | None) -> tuple[int | None, Problem | None]:
    text = (raw or "").strip()
    if not re.fullmatch(r"\d{4}", text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        return None, Problem("year", f"「项目年度」应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位年份")
    return int(text), None


def _parse_header(data: Mapping[str, str]) -> dict[str, Any]:
    problems: list[Problem] = []
    name = (data.get("name") or "").strip()
    if not name:
        problems.append(Problem("name", "「项目名称」未填写"))
    elif len(name) > MAX_NAME:
        problems.append(Problem("name", f"「项目名称」不能超过 {MAX_NAME} 字"))
    year, p_year = parse_year(data.get("year"))
    amount, p_amount = parse_amount(data.get("amount"))
    problems.extend(p for p in (p_year, p_amount) if p)
    if problems:
        raise InvalidInput(problems)
    return {"name": name, "year": year, "amount": amount}


def _parse_texts(data: Mapping[str, str], fields: tuple[TextField, ...]) -> dict[str, str]:
    values, problems = {}, []
    for f in fields:
        value = (data.get(f.name) or "").replace("\r\n", "\n").replace("\x00", "")
        if len(value) > MAX_TEXT:
            problems.append(Problem(f.name, f"「{f.label}」不能超过 {MAX_TEXT} 字"))
        values[f.name] = value.strip()
    if problems:
        raise InvalidInput(problems)
    return values


def create_project(
    uow: UnitOfWork, data: Mapping[str, str], *, actor: User, now: dt.datetime
) -> Project:
    """A 填报人 starts a project of their own unit, in the initial state, with its declaration."""
    lc = get_lifecycle()
    with uow:
        if not access.can_create_project(actor):
            raise NotAllowed("只有单位填报人可以新建项目")
        header = _parse_header(data)
        texts = _parse_texts(data, DECLARATION_FIELDS)
        project = Project(
            unit_id=actor.unit_id,
            state=lc.spec.initial,
            version=1,
            created_by_id=actor.id,
            created_at=now,
            updated_at=now,
            **header,
        )
        uow.session.add(project)
        uow.session.flush()
        uow.session.add(Declaration(project_id=project.id, **texts))
        chain.append(
            uow.session,
            now=now,
            actor=actor,
            action="create",
            label="新建项目",
            project_id=project.id,
            to_state=project.state,
        )
        uow.commit()
        return project


def save_declaration(
    uow: UnitOfWork,
    project: Project,
    data: Mapping[str, str],
    *,
    actor: User,
    now: dt.datetime,
    expected_version: int | None,
    lifecycle: Lifecycle | None = None,
) -> dict[str, tuple[str, str]]:
    """Save the declaration as typed (complete or not); returns the changes {field: (old, new)}.
    Edits after a first submission go to the audit trail with every change."""
    lc = lifecycle or get_lifecycle()
    with uow:
        access.require_view(actor, project, lc.spec)
        if not access.can_edit_declaration(actor, project, lc.spec):
            raise NotAllowed("当前状态下不能修改申报表")
        header = _parse_header(data)
        texts = _parse_texts(data, DECLARATION_FIELDS)
        declaration = uow.session.get(Declaration, project.id) or Declaration(project_id=project.id)
        uow.session.add(declaration)
        changes = _diff(project, header, _HEADER_LABELS) | _diff(declaration, texts, _LABELS)
        bump_version(uow.session, project, expected_version, updated_at=now, **header)
        for name, value in texts.items():
            setattr(declaration, name, value)
        if changes and _submitted_before(uow.session, project, lc.spec, "editable"):
            _audit_edit(uow, project, actor, now, "edit_declaration", "修改申报表", changes)
        uow.commit()
        return changes


def save_evaluation(
    uow: UnitOfWork,
    project: Project,
    data: Mapping[str, str],
    *,
    actor: User,
    now: dt.datetime,
    expected_version: int | None,
    lifecycle: Lifecycle | None = None,
) -> dict[str, tuple[str, str]]:
    """Save the self-evaluation's narrative as typed; edits after a submission are audited."""
    lc = lifecycle or get_lifecycle()
    with uow:
        access.require_view(actor, project, lc.spec)
        if not access.can_edit_evaluation(actor, project, lc.spec):
            raise NotAllowed("当前状态下不能修改自评表")
        texts = _parse_texts(data, EVALUATION_FIELDS)
        evaluation = uow.session.get(SelfEvaluation, project.id) or SelfEvaluation(
            project_id=project.id
        )
        uow.session.add(evaluation)
        changes = _diff(evaluation, texts, _EVAL_LABELS)
        bump_version(uow.session, project, expected_version, updated_at=now)
        for name, value in texts.items():
            setattr(evaluation, name, value)
        if changes and _submitted_before(uow.session, project, lc.spec, "evaluation_editable"):
            _audit_edit(uow, project, actor, now, "edit_evaluation", "修改自评表", changes)
        uow.commit()
        return changes


def confirm_milestones(
    uow: UnitOfWork,
    project: Project,
    *,
    actor: User,
    now: dt.datetime,
    expected_version: int | None = None,
) -> None:
    """The unit confirms the 项目实施计划 of an approved project (milestone rows come later)."""
    lc = get_lifecycle()
    with uow:
        access.require_view(actor, project, lc.spec)
        if not access.can_confirm_milestones(actor, project):
            raise NotAllowed("只有本单位人员可以确认财政已批复、尚未确认的实施计划")
        bump_version(uow.session, project, expected_version, milestones_confirmed_at=now)
        chain.append(
            uow.session,
            now=now,
            actor=actor,
            action="confirm_milestones",
            label="确认实施计划",
            project_id=project.id,
        )
        uow.commit()


_HEADER_LABELS = {"name": "项目名称", "year": "项目年度", "amount": "申报金额（万元）"}
_LABELS = {f.name: f.label for f in DECLARATION_FIELDS}
_EVAL_LABELS = {f.name: f.label for f in EVALUATION_FIELDS}


def _diff(obj, values: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name, None)
        if old != new and not (old in (None, "") and new in (None, "")):
            changes[labels[name]] = (_show(old), _show(new))
    return changes


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _submitted_before(session, project: Project, spec, editable_flag: str) -> bool:
    """Whether this form was ever submitted out of a state where it is editable: edits after
    that go to the audit trail (before it, a draft is the filler's own business)."""
    states = [name for name, st in spec.states.items() if getattr(st, editable_flag)]
    triggers = [t.trigger for t in spec.transitions if t.submission]
    return bool(
        session.scalar(
            select(
                exists().where(
                    AuditEvent.project_id == project.id,
                    AuditEvent.from_state.in_(states),
                    AuditEvent.action.in_(triggers),
                )
            )
        )
    )


def _audit_edit(uow, project, actor, now, action, label, changes) -> None:
    chain.append(
        uow.session,
        now=now,
        actor=actor,
        action=action,
        label=label,
        project_id=project.id,
        details={"changes": [[k, old, new] for k, (old, new) in changes.items()]},
    )
