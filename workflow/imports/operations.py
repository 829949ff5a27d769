"""导入申报表: a file a 填报人 already has becomes a new draft declaration of their unit, filled
with everything recognized; the import report keeps, for each field, the text it was read from,
and every text that found no place (shown beside the form, never dropped). Nothing is
submitted: the draft is the user's to check. The same file imported again into the same unit
gives back the draft it made (a file is known by its content)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflow.audit import chain
from workflow.declaration import operations as declarations
from workflow.declaration.form import _limit, _walk
from workflow.errors import InvalidInput, NotAllowed, Problem
from workflow.imports import grid
from workflow.imports.declaration import Reading, read_declaration
from workflow.imports.models import DeclarationImport
from workflow.library import operations as library
from workflow.org import access
from workflow.org.models import Unit, User
from workflow.projects.models import Project
from workflow.text import clean
from workflow.uow import UnitOfWork

SOURCE_MAX = 300  # characters of a field's source text kept in the report
UNPLACED_MAX = 2_000  # texts that found no place, kept in the report (the rest counted)
FILENAME_MAX = 255


@dataclass(frozen=True)
class Imported:
    project: Project
    record: DeclarationImport
    again: bool  # the file had been imported before: its draft, not a new one


def file_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def import_declaration(
    uow: UnitOfWork, content: bytes, filename: str, *, actor: User | None, now: dt.datetime,
    creator: User | None = None,
) -> Imported:  # fmt: skip
    """Read the file and make the draft (InvalidInput with the reason, nothing written, when the
    file cannot be read). On a page the actor is a unit's 填报人 (NotAllowed otherwise) and the
    draft is theirs; from the command line (actor None) the draft is `creator`'s, a 填报人 of the
    unit the operator named."""
    with uow:
        session = uow.session
        owner = actor if actor is not None else creator
        if owner is None or not access.can_create_project(owner):
            raise NotAllowed("只有单位填报人可以导入申报表")
        filename = _filename(filename)
        sha256 = file_key(content)
        known = _known(session, owner.unit_id, sha256)
        if known is not None:
            return Imported(known.project, known, again=True)
        try:
            document = grid.read(content, filename)
        except grid.Unreadable as exc:
            raise InvalidInput([Problem("file", f"「{filename}」：{exc}")]) from None
        reading = read_declaration(document)
        unit = session.get(Unit, owner.unit_id)
        form, name, year, notes = _form(session, reading, filename, unit, now)
        project = declarations.create_from_form(uow, form, name=name, year=year, actor=owner,
                                                now=now, audit_actor=actor)  # fmt: skip
        record = DeclarationImport(
            unit_id=owner.unit_id, project_id=project.id, sha256=sha256, filename=filename,
            kind=document.kind, report=json.dumps(_report(reading, notes), ensure_ascii=False),
            imported_by_id=actor.id if actor else None, imported_at=now,
        )  # fmt: skip
        session.add(record)
        try:
            session.flush()
        except IntegrityError:  # the same file, imported a moment ago in another tab
            raise InvalidInput([Problem("file", f"「{filename}」正在导入，请稍后刷新")]) from None
        chain.append(
            session, now=now, actor=actor, action="import_declaration", label="导入申报表",
            project_id=project.id, to_state=project.state,
            details={"filename": filename, "sha256": sha256, "kind": document.kind,
                     "fields": len(reading.found), "unplaced": len(reading.unplaced)},
        )  # fmt: skip
        uow.commit()
        return Imported(project, record, again=False)


def filler_of(session, unit_code: str) -> User:
    """The 填报人 a folder imported from the command line is filed under: the unit's first
    active one by user name (InvalidInput when the unit or its 填报人 is missing)."""
    unit = session.scalar(select(Unit).where(Unit.code == clean(unit_code)))
    if unit is None:
        raise InvalidInput([Problem("unit", f"单位编码 {clean(unit_code)[:40]} 不存在")])
    fillers = [u for u in session.scalars(select(User).where(User.unit_id == unit.id,
                                                             User.is_active.is_(True))
                                          .order_by(User.username))
               if access.can_create_project(u)]  # fmt: skip
    if not fillers:
        raise InvalidInput(
            [Problem("unit", f"「{unit.name}」没有可用的填报人账号，导入的草稿无人可交")]
        )
    return fillers[0]


def _filename(raw: str) -> str:
    name = clean(PurePath((raw or "").replace("\\", "/")).name)
    return name[:FILENAME_MAX] or "（未命名文件）"


def _known(session, unit_id: int | None, sha256: str) -> DeclarationImport | None:
    return session.scalar(
        select(DeclarationImport).where(DeclarationImport.unit_id == unit_id,
                                        DeclarationImport.sha256 == sha256)
    )  # fmt: skip


def _form(session, reading: Reading, filename: str, unit: Unit | None, now: dt.datetime):
    """The form data of the draft, its name and year, and what the report must say of them: a
    missing name or year is put in from the file's name and this year, a text too long for its
    field is moved to what found no place (whole)."""
    data: dict[str, Any] = json.loads(json.dumps(reading.data))  # a copy, plain
    notes: list[str] = []
    for path, value in list(_walk(data)):
        if isinstance(value, str) and len(value.strip()) > _limit(path):
            reading.unplaced.append((f"「{path}」（超过 {_limit(path)} 字，未填入）", value))
            _clear(data, path)
    name = clean(data.pop("name", ""))[: declarations.MAX_NAME]
    if not name:
        name = PurePath(filename).stem[: declarations.MAX_NAME] or "导入的项目"
        notes.append(f"文件中没有找到「项目名称」，暂以文件名「{name}」命名，请修改")
    year_text = clean(data.pop("year", ""))
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    if year is None or not declarations.MIN_YEAR <= year <= declarations.MAX_YEAR:
        year = now.year
        notes.append(f"文件中没有找到有效的「项目年度」，暂按 {year} 年，请核对")
    if not data["indicators"]:
        inputs = library.input_rows(session, data.get("project_type", "")) or list(
            declarations.standard_input_indicators()
        )
        data["indicators"] = [dict(row) for row in inputs]
        notes.append("文件中没有找到绩效指标表，已按新建项目填入投入类共性指标")
    for row in data["indicators"]:
        row.pop("subcategory", None)
    if reading.unit_name and unit is not None and reading.unit_name != unit.name:
        notes.append(
            f"文件中的申报单位为「{reading.unit_name}」，已作为本单位（{unit.name}）的草稿导入"
        )
    return data, name, year, notes


def _clear(data: dict, path: str) -> None:
    parts = path.split("-")
    node: Any = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[parts[-1]] = ""


def _report(reading: Reading, notes: list[str]) -> dict:
    return {
        "found": [[f.path, f.label, f.value[:SOURCE_MAX], f.source[:SOURCE_MAX], f.where]
                  for f in reading.found],
        "unplaced": [[where, text] for where, text in reading.unplaced[:UNPLACED_MAX]],
        "unplaced_more": max(0, len(reading.unplaced) - UNPLACED_MAX),
        "notes": notes,
    }  # fmt: skip


def report_of(record: DeclarationImport) -> dict:
    return json.loads(record.report)


def imports_of(session, project: Project) -> list[DeclarationImport]:
    return list(session.scalars(
        select(DeclarationImport).where(DeclarationImport.project_id == project.id)
        .order_by(DeclarationImport.id)
    ))  # fmt: skip
