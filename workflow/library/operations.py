"""Keeping the 绩效指标库: the 系统管理员 adds, edits, retires, imports and exports its entries;
finance (the 财政审核人) marks an entry 核心指标 for a 项目类型; units read it when declaring.
Every change is audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.declaration.models import CATEGORIES, PROJECT_TYPES
from workflow.errors import InvalidInput, NotAllowed, NotFound, Problem
from workflow.library.models import DIRECTIONS, LibraryIndicator, LibraryIndicatorType
from workflow.org.models import Role, User
from workflow.text import CELL_MAX, clean, one_line
from workflow.uow import UnitOfWork

PAGE = 100  # entries a page lists (a bureau's library holds hundreds)
FIELDS = {"name": 200, "target": 200, "unit": 32, "explanation": CELL_MAX, "evidence": CELL_MAX}
LABELS = {"name": "指标名称", "category": "类别", "target": "默认目标值", "unit": "计量单位",
          "direction": "方向", "explanation": "指标解释", "evidence": "目标值来源",
          "project_types": "适用项目类型"}  # fmt: skip
_UNIT = re.compile(r"[\d.]+\s*([^\d\s.（(]{1,8})$")


@dataclass(frozen=True)
class Filter:
    project_type: str = ""
    category: str = ""
    q: str = ""
    retired: bool = False  # show the retired ones instead


def entries(session: Session, f: Filter, *, limit: int = PAGE) -> list[LibraryIndicator]:
    """Entries by category (in the form's order) and name; on the indexes of name and type."""
    query = select(LibraryIndicator)
    if f.project_type:
        query = query.where(
            LibraryIndicator.id.in_(
                select(LibraryIndicatorType.indicator_id).where(
                    LibraryIndicatorType.project_type == f.project_type
                )
            )
        )
    if f.category:
        query = query.where(LibraryIndicator.category == f.category)
    if f.q:
        pattern = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(LibraryIndicator.name.like(pattern, escape="\\"))
    query = query.where(
        LibraryIndicator.retired_at.is_not(None)
        if f.retired
        else LibraryIndicator.retired_at.is_(None)
    )
    return list(session.scalars(query.order_by(*LIBRARY_ORDER).limit(limit)))


# The library's own order: by 类别 as the form has them (投入, 产出, 结果, 影响力), then as the
# entries were added: the 共性指标 in DOMAIN's order, the seed forms' in theirs, then promoted
# ones. Not by name: code points put 产出 before 投入 and 财务… before 预算执行率.
LIBRARY_ORDER = (
    case({c: n for n, c in enumerate(CATEGORIES)}, value=LibraryIndicator.category, else_=9),
    LibraryIndicator.id,
)


def core_indicators(session: Session, project_type: str) -> list[LibraryIndicator]:
    """The 核心指标 finance requires of a 项目类型's declarations (retired ones no longer)."""
    if not project_type:
        return []
    return list(
        session.scalars(
            select(LibraryIndicator)
            .join(LibraryIndicatorType)
            .where(LibraryIndicatorType.project_type == project_type, LibraryIndicatorType.core,
                   LibraryIndicator.retired_at.is_(None))
            .order_by(*LIBRARY_ORDER)
        )
    )  # fmt: skip


def read(values: Mapping[str, object]) -> tuple[dict, list[Problem]]:
    """An entry as typed: cleaned values and what is wrong with them, in Chinese."""
    problems, out = [], {}
    for name, limit in FIELDS.items():
        value = clean(values.get(name))
        value = one_line(value) if name in ("name", "target", "unit") else value
        if len(value) > limit:
            problems.append(Problem(name, f"「{LABELS[name]}」过长（最多{limit}字）"))
        out[name] = value[:limit]
    if not out["name"]:
        problems.append(Problem("name", "「指标名称」未填写"))
    category = clean(values.get("category"))
    if category not in CATEGORIES:
        problems.append(Problem("category", "「类别」应为投入、产出、结果或影响力"))
    direction = clean(values.get("direction"))
    if direction not in DIRECTIONS:
        direction = {v: k for k, v in DIRECTIONS.items()}.get(direction)
        if direction is None:
            problems.append(Problem("direction", "「方向」应为越高越好、越低越好或按目标值判断"))
            direction = ""
    types = [clean(t) for t in _list(values.get("project_types")) if clean(t)]
    unknown = [t for t in types if t not in PROJECT_TYPES]
    if unknown:
        problems.append(Problem("project_types", f"未知的项目类型：{'、'.join(unknown[:5])}"))
    if not types:
        problems.append(Problem("project_types", "请至少选择一个适用的项目类型"))
    out |= {"category": category, "direction": direction,
            "project_types": [t for t in PROJECT_TYPES if t in types]}  # fmt: skip
    return out, problems


def _list(value) -> list[str]:
    if isinstance(value, str):
        return re.split(r"[、,，;；\s]+", value)
    return list(value or [])


def save(
    uow: UnitOfWork, entry_id: int | None, values: Mapping[str, object], *, actor: User,
    now: dt.datetime, source: str = "",
) -> LibraryIndicator:  # fmt: skip
    """Add an entry (entry_id None) or change one; a name is unique within its category."""
    _require(actor, Role.admin)
    data, problems = read(values)
    with uow:
        session = uow.session
        entry = None
        if entry_id is not None:
            entry = session.get(LibraryIndicator, entry_id)
            if entry is None:
                raise NotFound()
        clash = session.scalar(
            select(LibraryIndicator.id).where(
                LibraryIndicator.category == data["category"], LibraryIndicator.name == data["name"]
            )
        )
        if clash is not None and (entry is None or clash != entry.id):
            problems.append(
                Problem("name", f"指标库中已有{data['category']}指标「{data['name']}」")
            )
        if problems:
            raise InvalidInput(problems)
        if entry is None:
            entry = LibraryIndicator(created_at=now, source=source)
            session.add(entry)
        _apply(entry, data, now)
        session.flush()
        _audit(session, actor, now, "save_library_indicator", "维护指标库", entry)
        uow.commit()
        return entry


def _apply(entry: LibraryIndicator, data: dict, now: dt.datetime) -> None:
    for name in ("category", "name", "target", "unit", "direction", "explanation", "evidence"):
        setattr(entry, name, data[name])
    core = {t.project_type for t in entry.types if t.core}
    entry.types = [LibraryIndicatorType(project_type=t, core=t in core)
                   for t in data["project_types"]]  # fmt: skip
    entry.updated_at = now


def retire(uow: UnitOfWork, entry_id: int, *, retired: bool, actor: User,
           now: dt.datetime) -> LibraryIndicator:  # fmt: skip
    """停用 (no longer offered, no longer required) or 恢复; nothing is deleted."""
    _require(actor, Role.admin)
    with uow:
        entry = uow.session.get(LibraryIndicator, entry_id) or _missing()
        entry.retired_at, entry.updated_at = (now if retired else None), now
        if retired:
            _audit(uow.session, actor, now, "retire_library_indicator", "停用指标", entry)
        else:
            _audit(uow.session, actor, now, "restore_library_indicator", "恢复指标", entry)
        uow.commit()
        return entry


def set_core(uow: UnitOfWork, entry_id: int, project_type: str, core: bool, *, actor: User,
             now: dt.datetime) -> LibraryIndicator:  # fmt: skip
    """Finance requires (or no longer requires) an entry of a 项目类型's declarations."""
    _require(actor, Role.reviewer)
    with uow:
        entry = uow.session.get(LibraryIndicator, entry_id) or _missing()
        row = next((t for t in entry.types if t.project_type == project_type), None)
        if row is None:
            raise InvalidInput([Problem("project_type", "该指标不适用于所选项目类型")])
        row.core = core
        entry.updated_at = now
        label = "设为核心指标" if core else "取消核心指标"
        _audit(uow.session, actor, now, "set_core_indicator", label, entry,
               project_type=project_type)  # fmt: skip
        uow.commit()
        return entry


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(LibraryIndicator))


def seed_rows(standard_inputs: Iterable[Mapping], seed_forms: Mapping[str, Mapping]) -> list[dict]:
    """The first entries: the 投入 共性指标 (for every 项目类型, but 工程变更合规性 for building
    and 业务运维体系健全性 for IT projects), and the 产出/结果/影响力 indicators of the seed forms
    for their own type, each once, its target as the form wrote it."""
    only = {"工程变更合规性": ["基本建设及维护类"], "业务运维体系健全性": ["信息化工程及维护类"]}
    rows, seen = [], set()
    for row in standard_inputs:
        rows.append({**row, "category": "投入", "unit": _unit(row.get("target", "")),
                     "project_types": only.get(row["name"], list(PROJECT_TYPES)),
                     "source": "苏州市“投入”类共性指标"})  # fmt: skip
        seen.add(("投入", row["name"]))
    for key, form in seed_forms.items():
        for i in form.get("indicators", []):
            name = one_line(clean(i.get("name")))
            if i.get("category") == "投入" or not name or (i["category"], name) in seen:
                continue
            seen.add((i["category"], name))
            target = i.get("target", "")
            rows.append({"category": i["category"], "name": name, "target": target,
                         "unit": _unit(target), "explanation": i.get("explanation", ""),
                         "evidence": i.get("evidence", ""), "source": f"样表 {key}",
                         "project_types": [form["project_type"]]})  # fmt: skip
    return rows


def seed(session: Session, rows: list[dict], *, now: dt.datetime) -> int:
    """Fill an empty library with `rows` (nothing when it has entries); the caller commits."""
    if count(session):
        return 0
    for row in rows:
        data, problems = read(row)
        if problems:
            raise ValueError(f"指标库初始数据有误：{row.get('name')}：{problems[0].message}")
        entry = LibraryIndicator(created_at=now, source=row.get("source", ""))
        session.add(entry)
        _apply(entry, data, now)
    return len(rows)


def _unit(target: str) -> str:
    match = _UNIT.search(one_line(clean(target)))
    return match.group(1) if match else ""


def _require(actor: User, role: Role) -> None:
    if not (actor.is_active and actor.has_role(role)):
        raise NotAllowed()


def _missing():
    raise NotFound()


def _audit(session, actor, now, action, label, entry, **more) -> None:
    chain.append(session, now=now, actor=actor, action=action, label=label,
                 details={"indicator_id": entry.id, "category": entry.category,
                          "name": entry.name, **more})  # fmt: skip


def seed_default(session: Session, *, now: dt.datetime) -> int:
    """An empty library gets its first entries (`jixiao init-db`, the demo); the caller
    commits. Returns how many were added (0: it had entries)."""
    from workflow.declaration.operations import standard_input_indicators
    from workflow.declaration.seed_forms import SEED_FORMS

    return seed(session, seed_rows(standard_input_indicators(), SEED_FORMS), now=now)


def import_rows(
    uow: UnitOfWork, rows: list[tuple[int, dict]], *, actor: User, now: dt.datetime
) -> tuple[int, int]:
    """导入: each row adds an entry or updates the one of the same category and name; all or
    nothing (every row's problems are listed by its row number). Returns (added, updated)."""
    _require(actor, Role.admin)
    problems, read_rows = [], []
    seen: dict[tuple[str, str], int] = {}
    for number, values in rows:
        data, found = read(values)
        problems += [Problem(p.field, f"第{number}行：{p.message}") for p in found]
        key = (data["category"], data["name"])
        if key in seen:
            problems.append(Problem("file", f"第{number}行：与第{seen[key]}行重复"))
        seen[key] = number
        read_rows.append((data, bool(values.get("retired"))))
    if not rows:
        problems.append(Problem("file", "文件中没有指标"))
    if problems:
        raise InvalidInput(problems[:50])
    added = updated = 0
    with uow:
        session = uow.session
        existing = {(e.category, e.name): e for e in session.scalars(select(LibraryIndicator))}
        for data, retired in read_rows:
            entry = existing.get((data["category"], data["name"]))
            if entry is None:
                entry = LibraryIndicator(created_at=now, source="导入")
                session.add(entry)
                added += 1
            else:
                updated += 1
            _apply(entry, data, now)
            entry.retired_at = (entry.retired_at or now) if retired else None
        chain.append(session, now=now, actor=actor, action="import_library",
                     label="导入指标库", details={"added": added, "updated": updated})  # fmt: skip
        uow.commit()
    return added, updated


def as_row(entry: LibraryIndicator) -> dict[str, str]:
    """An entry as a row of the 申报表's 分解目标 (the unit fills in its 子项目 and its own
    target; the library's target is the usual way to write it)."""
    return {"category": entry.category, "sub_projects": "", "name": entry.name,
            "target": entry.target, "direction": entry.direction,
            "explanation": entry.explanation, "evidence": entry.evidence}  # fmt: skip


def input_rows(session: Session, project_type: str) -> list[dict[str, str]] | None:
    """The 投入 rows a new declaration of `project_type` starts with: the library's 投入 entries
    for that type in use (None: the library has none, the caller falls back)."""
    if not project_type:
        return None
    rows = entries(session, Filter(project_type=project_type, category="投入"), limit=PAGE)
    return [as_row(e) for e in rows] or None


def core_by_type(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Every 项目类型's 核心指标 as (category, name), in one statement (the guard's preload)."""
    rows = session.execute(
        select(LibraryIndicatorType.project_type, LibraryIndicator.category, LibraryIndicator.name)
        .join(LibraryIndicator)
        .where(LibraryIndicatorType.core, LibraryIndicator.retired_at.is_(None))
        .order_by(*LIBRARY_ORDER)
    ).all()
    out: dict[str, list[tuple[str, str]]] = {}
    for project_type, category, name in rows:
        out.setdefault(project_type, []).append((category, name))
    return out


def missing_core(
    project_type: str, indicators, core: dict[str, list[tuple[str, str]]]
) -> list[Problem]:
    """What a declaration lacks of its type's 核心指标: one problem naming them all."""
    have = {(i.category, one_line(clean(i.name))) for i in indicators}
    missing = [(c, n) for c, n in core.get(project_type, []) if (c, n) not in have]
    if not missing:
        return []
    names = "、".join(f"「{n}」（{c}）" for c, n in missing)
    return [Problem("indicators", f"缺少财政要求的{project_type}核心指标：{names}，请从指标库添加")]


def promote(
    uow: UnitOfWork, project, indicator_id: int, *, actor: User, now: dt.datetime
) -> LibraryIndicator:
    """「加入指标库」: finance takes an indicator of an approved project (one whose targets were
    frozen as the self-evaluation's yardstick) into the library, for the project's 项目类型.
    The 三员 see no project, so this is the 财政审核人's, who reviewed it (the caller has checked
    that they may see the project)."""
    from workflow.declaration.models import Declaration, Indicator
    from workflow.evaluation.models import EvaluationIndicator

    _require(actor, Role.reviewer)
    with uow:
        session = uow.session
        indicator = session.get(Indicator, indicator_id)
        frozen = select(EvaluationIndicator.id).where(EvaluationIndicator.project_id == project.id)
        approved = session.scalar(frozen.limit(1))
        if indicator is None or indicator.project_id != project.id:
            raise NotFound()
        if approved is None:
            raise InvalidInput([Problem("indicators", "项目经财政批复后，其指标方可加入指标库")])
        declaration = session.get(Declaration, project.id)
        values = {**as_row(indicator), "project_types": [declaration.project_type]
                  if declaration.project_type else list(PROJECT_TYPES)}  # fmt: skip
        data, problems = read(values)
        same = (LibraryIndicator.category == data["category"]) & (
            LibraryIndicator.name == data["name"]
        )
        clash = session.scalar(select(LibraryIndicator.id).where(same))
        if clash is not None:
            message = f"指标库中已有{data['category']}指标「{data['name']}」"
            problems.append(Problem("indicators", message))
        if problems:
            raise InvalidInput(problems)
        entry = LibraryIndicator(created_at=now, source=f"项目 #{project.id}")
        session.add(entry)
        _apply(entry, data, now)
        session.flush()
        _audit(session, actor, now, "promote_library_indicator", "加入指标库", entry,
               project_id=project.id)  # fmt: skip
        uow.commit()
        return entry


def promotable(session: Session, project) -> list[tuple[object, bool]] | None:
    """An approved project's indicators for finance's 「加入指标库」, each with whether the
    library holds one of that category and name already (two statements); None before approval."""
    from workflow.declaration.models import Indicator
    from workflow.evaluation.models import EvaluationIndicator

    frozen = select(EvaluationIndicator.id).where(EvaluationIndicator.project_id == project.id)
    if session.scalar(frozen.limit(1)) is None:
        return None
    rows = list(session.scalars(select(Indicator).where(Indicator.project_id == project.id)
                                .order_by(Indicator.position)))  # fmt: skip
    held = set(session.execute(select(LibraryIndicator.category, LibraryIndicator.name).where(
        LibraryIndicator.name.in_({one_line(clean(i.name)) for i in rows}))).tuples())  # fmt: skip
    return [(i, (i.category, one_line(clean(i.name))) in held) for i in rows if clean(i.name)]
