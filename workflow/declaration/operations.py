"""Create a project with its declaration, save the declaration as typed, copy it to a new year."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from sqlalchemy import select

from workflow.audit import chain
from workflow.declaration.checks import MAX_YEAR, MIN_YEAR, fund_items_sum
from workflow.declaration.form import apply_form, to_form
from workflow.declaration.models import PROJECT_TYPES, Declaration
from workflow.declaration.snapshot import diff, flatten
from workflow.errors import Conflict, EditConflict, InvalidInput, NotAllowed, Problem
from workflow.library import operations as library
from workflow.lifecycle.history import submitted_before
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import clean
from workflow.uow import UnitOfWork

MAX_NAME = 200
STANDARD_INPUTS_FILE = Path(__file__).with_name("standard_inputs.yaml")


@functools.cache
def standard_input_indicators() -> tuple[dict[str, str], ...]:
    """The 投入 rows every declaration starts with (苏州市“投入”类共性指标)."""
    rows = yaml.safe_load(STANDARD_INPUTS_FILE.read_text(encoding="utf-8"))
    return tuple({"category": "投入", "sub_projects": "", **row} for row in rows)


def parse_header(data: Mapping[str, Any]) -> tuple[str, int | None, list[Problem]]:
    """项目名称 and 项目年度 as typed, with a problem for each that cannot be used."""
    problems = []
    name = clean(data.get("name"))
    if not name:
        problems.append(Problem("name", "「项目名称」未填写"))
    elif len(name) > MAX_NAME:
        problems.append(Problem("name", f"「项目名称」内容过长（不能超过 {MAX_NAME} 字）"))
    year_text = clean(data.get("year"))
    year = int(year_text) if re.fullmatch(r"\d{4}", year_text) else None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        year = None
        problems.append(Problem("year", f"「项目年度」应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位年份"))
    return name, year, problems


def create_project(
    uow: UnitOfWork, data: Mapping[str, Any], *, actor: User, now: dt.datetime
) -> Project:
    """A 填报人 starts a project of their own unit: name and year first, the form after, with
    the 投入 indicators already in place: the 绩效指标库's for the 项目类型 chosen (the 投入
    共性指标 of that type), else the standard 投入 共性指标."""
    with uow:
        if not access.can_create_project(actor):
            raise NotAllowed("只有单位填报人可以新建项目")
        name, year, problems = parse_header(data)
        project_type = clean(data.get("project_type"))
        if project_type and project_type not in PROJECT_TYPES:
            problems.append(Problem("project_type", "「项目类型」无效，请从列表中选择"))
        if problems:
            raise InvalidInput(problems)
        inputs = library.input_rows(uow.session, project_type) or list(standard_input_indicators())
        form = {"indicators": inputs, "project_type": project_type,
                **_people_of_last_project(uow.session, actor.unit_id)}  # fmt: skip
        project = _new_project(uow, actor, now, name, year, form)
        _audit(uow, project, actor, now, "create", "新建项目", to_state=project.state)
        uow.commit()
        return project


def create_from_form(
    uow: UnitOfWork, form: Mapping[str, Any], *, name: str, year: int, actor: User,
    now: dt.datetime, audit_actor: User | None = None,
) -> Project:  # fmt: skip
    """A draft of the actor's unit made from form data (an imported file's, workflow/imports/):
    saved as read, complete or not, in the caller's transaction (the caller commits). The trail
    names `audit_actor` (None: the command line)."""
    if not access.can_create_project(actor):
        raise NotAllowed("只有单位填报人可以新建项目")
    project = _new_project(uow, actor, now, name, year, form)
    _audit(uow, project, audit_actor, now, "create", "新建项目", to_state=project.state)
    return project


def _people_of_last_project(session, unit_id: int | None) -> dict[str, list[dict[str, str]]]:
    """项目负责人 and 联系人 as the unit wrote them on its latest project: the people rarely
    change from one project to the next."""
    latest = session.scalar(
        select(Declaration).join(Project, Project.id == Declaration.project_id)
        .where(Project.unit_id == unit_id).order_by(Project.created_at.desc(), Project.id.desc())
        .limit(1)
    )  # fmt: skip
    if latest is None:
        return {}
    return {"leaders": [{"name": p.name} for p in latest.leaders],
            "contacts": [{"name": p.name, "phone": p.phone} for p in latest.contacts]}  # fmt: skip


def _as_saved(project: Project, data: Mapping[str, Any], name: str, year: int | None):
    """The form data as it would be saved, labelled like `flatten` (nothing is written)."""
    draft = Declaration(project_id=project.id)
    apply_form(draft, data)
    stand_in = SimpleNamespace(name=name, year=year or project.year)
    return flatten(stand_in, draft)


def _stale(project: Project, saved: dict[str, str], typed: dict[str, str]) -> None:
    """The page was older than what is saved: fine if it says the same, else a conflict that
    lists what differs (and keeps what was typed, on the page)."""
    if saved != typed:
        raise EditConflict(diff(saved, typed), project.version)


def _new_project(uow, actor, now, name, year, form: Mapping[str, Any]) -> Project:
    project = Project(unit_id=actor.unit_id, state=get_lifecycle().spec.initial, version=1,
                      created_by_id=actor.id, created_at=now, updated_at=now,
                      state_entered_at=now, name=name,
                      year=year, amount=0)  # fmt: skip
    uow.session.add(project)
    uow.session.flush()
    declaration = Declaration(project_id=project.id)
    apply_form(declaration, form)
    uow.session.add(declaration)
    uow.session.flush()
    project.amount = fund_items_sum(declaration)
    return project


def save_declaration(
    uow: UnitOfWork,
    project: Project,
    data: Mapping[str, Any],
    *,
    actor: User,
    now: dt.datetime,
    expected_version: int | None,
    lifecycle: Lifecycle | None = None,
) -> list[list[str]]:
    """Save the form as typed, complete or not; returns the changes [label, old, new]. Edits
    after the form was first submitted go to the audit trail with every change."""
    lc = lifecycle or get_lifecycle()
    with uow:
        access.require_view(actor, project, lc.spec)
        if not access.can_edit_declaration(actor, project, lc.spec):
            raise NotAllowed("当前状态下不能修改申报表")
        declaration = uow.session.get(Declaration, project.id)
        before = flatten(project, declaration)
        name, year, _ = parse_header(data)  # a blank name or bad year is kept and reported
        if len(name) > MAX_NAME:
            raise InvalidInput([Problem("name", f"「项目名称」内容过长（不能超过 {MAX_NAME} 字）")])
        typed = _as_saved(project, data, name, year)
        if expected_version is not None and expected_version != project.version:
            _stale(project, before, typed)  # a repeat of what is saved is no conflict
            return []
        # Take the row (version check) before touching the child rows, so a losing
        # concurrent save stops here instead of racing on them.
        try:
            bump_version(uow.session, project, expected_version, updated_at=now, name=name,
                         year=year or project.year)  # fmt: skip
        except Conflict:  # saved a moment ago by a request that began with ours (a double click)
            uow.session.expire_all()
            _stale(project, flatten(project, uow.session.get(Declaration, project.id)), typed)
            return []
        apply_form(declaration, data)
        if year is None:  # keep what was typed, like any other unreadable value
            declaration.unparsed = json.dumps({**json.loads(declaration.unparsed),
                                               "year": str(data.get("year") or "")},
                                              ensure_ascii=False, sort_keys=True)  # fmt: skip
        uow.session.flush()
        project.amount = fund_items_sum(declaration)
        changes = diff(before, flatten(project, declaration))
        if changes and submitted_before(uow.session, project, lc.spec, "editable"):
            _audit(uow, project, actor, now, "edit_declaration", "修改申报表",
                   details={"changes": changes})  # fmt: skip
        uow.commit()
        return changes


def copy_as_new_year(uow: UnitOfWork, source: Project, *, actor: User, now: dt.datetime) -> Project:
    """「复制为新年度申报」: a new draft for the next year with everything of `source` but its
    signatures and dates, for the unit to revise."""
    with uow:
        access.require_view(actor, source, get_lifecycle().spec)
        if not access.can_copy_project(actor, source):
            raise NotAllowed("只能复制本单位的项目")
        form = to_form(uow.session.get(Declaration, source.id))
        form |= {"unit_head_name": "", "filled_by": "", "filled_on": ""}  # the history signs
        project = _new_project(uow, actor, now, source.name, source.year + 1, form)
        _audit(uow, project, actor, now, "create", "新建项目", to_state=project.state,
               details={"copied_from": source.id})  # fmt: skip
        uow.commit()
        return project


def _audit(uow, project, actor, now, action, label, *, to_state=None, details=None) -> None:
    chain.append(uow.session, now=now, actor=actor, action=action, label=label,
                 project_id=project.id, to_state=to_state, details=details)  # fmt: skip
