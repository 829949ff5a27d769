"""The admin's rules choosing a shipped rule file per unit, per year, or per unit in a year: the
scoring templates (评分模板, workflow/evaluation/choice.py) and the warning-light rules (预警规则,
workflow/monitoring/choice.py) are chosen the same way, by this one piece.

The most specific rule wins (unit + year > unit > year); without one, the kind's default. A
rule's table has `unit_id`, `year`, the chosen file's stem (`file`), `set_by_id` and `set_at`,
one rule per scope (its constraints), and a rule names a unit, a year or both. Setting and
deleting a rule are the admin's, and audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, UniqueConstraint, select
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship

from workflow.audit import chain
from workflow.db import UTCDateTime
from workflow.declaration.checks import MAX_YEAR, MIN_YEAR
from workflow.errors import InvalidInput, NotAllowed, NotFound, Problem
from workflow.org.models import Role, Unit, User
from workflow.text import clean


class ScopedRule:
    """The columns every rule table shares (a mixin of its model): the unit and/or the year it
    covers, who set it and when; and its constraints, one rule per scope (`constraints`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int | None] = mapped_column(Integer)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    @declared_attr
    def unit(cls) -> Mapped[Unit | None]:
        return relationship(Unit)

    @declared_attr
    def set_by(cls) -> Mapped[User | None]:
        return relationship(User)

    @staticmethod
    def constraints(table: str) -> tuple:
        """One rule per scope. NULLs are distinct in unique constraints on SQLite and PostgreSQL
        alike, so one constraint cannot say it: the unit+year pair has a plain unique
        constraint, and the unit-only and year-only rules a partial unique index each."""
        return (
            UniqueConstraint("unit_id", "year"),
            Index(
                f"uq_{table}_unit_only", "unit_id", unique=True,
                sqlite_where=sql("year IS NULL"), postgresql_where=sql("year IS NULL"),
            ),
            Index(
                f"uq_{table}_year_only", "year", unique=True,
                sqlite_where=sql("unit_id IS NULL"), postgresql_where=sql("unit_id IS NULL"),
            ),
            CheckConstraint("unit_id IS NOT NULL OR year IS NOT NULL", name="unit_or_year"),
            Index(f"ix_{table}_set_by_id", "set_by_id"),  # a foreign key
        )  # fmt: skip


@dataclass(frozen=True)
class RuleKind:
    """One kind of rule file the admin chooses by scope."""

    model: type  # the rules' table
    field: str  # the form field naming the file ("template", "rules")
    noun: str  # 评分模板, 预警规则
    rule: str  # what one rule is called: 评分模板规则, 预警规则
    default: str  # the file used where no rule applies
    files: Callable[[], dict[str, str]]  # the shipped files: stem -> Chinese title
    without: str  # what the default does, for 「都不选时，所有项目按默认的「…」{without}」
    actions: tuple[str, str]  # the audit actions of setting and of deleting a rule


def resolve(rules: Iterable, unit_id: int, year: int, default: str) -> str:
    """The file the rules give a project of `unit_id` and `year`: most specific wins."""
    best, best_rank = default, 0
    for rule in rules:
        if rule.unit_id not in (None, unit_id) or rule.year not in (None, year):
            continue
        rank = (2 if rule.unit_id is not None else 0) + (1 if rule.year is not None else 0)
        if rank > best_rank:
            best, best_rank = rule.file, rank
    return best


def applying(session: Session, kind: RuleKind, unit_id: int, year: int) -> list:
    """The rules that could apply to a project of `unit_id` and `year` (at most four)."""
    model = kind.model
    return list(session.scalars(select(model).where(
        model.unit_id.is_(None) | (model.unit_id == unit_id),
        model.year.is_(None) | (model.year == year),
    )))  # fmt: skip


def ordered(session: Session, kind: RuleKind) -> list:
    """Every rule, by year (rules for all years last), then unit."""
    rules = session.scalars(select(kind.model)).all()
    return sorted(rules, key=lambda r: (r.year is None, -(r.year or 0), r.unit_id is not None,
                                        r.unit.code if r.unit else ""))  # fmt: skip


def add(session: Session, kind: RuleKind, *, unit_id, year, name, actor: User | None,
        now: dt.datetime):  # fmt: skip
    """Check and add a rule (flushed, not committed): one per scope, an existing file."""
    require_admin(actor)
    unit, year, name = _checked(session, kind, unit_id, year, name)
    rule = kind.model(unit_id=unit.id if unit else None, year=year, file=name,
                      set_by_id=actor.id if actor else None, set_at=now)  # fmt: skip
    session.add(rule)
    duplicate = _duplicate(kind, unit, year)  # a failed flush expires `unit`: word it before
    try:
        session.flush()
    except IntegrityError:  # another admin added the same rule a moment ago (PostgreSQL)
        raise InvalidInput([duplicate]) from None
    return rule


def find(session: Session, kind: RuleKind, rule_id: int, actor: User | None):
    require_admin(actor)
    rule = session.get(kind.model, rule_id)
    if rule is None:
        raise NotFound(f"该{kind.rule}不存在或已被删除")
    return rule


def audit(session: Session, kind: RuleKind, rule, *, deleting: bool, actor: User | None,
          now: dt.datetime, **details) -> None:  # fmt: skip
    action = kind.actions[1 if deleting else 0]
    chain.append(
        session, now=now, actor=actor, action=action,
        label=("删除" if deleting else "设置") + kind.noun,
        details={"choice_id": rule.id, "unit_id": rule.unit_id, "year": rule.year,
                 kind.field: rule.file, **details},
    )  # fmt: skip


def require_admin(actor: User | None) -> None:
    # actor None: the command line, run by whoever operates the server.
    if actor is not None and not (actor.is_active and actor.has_role(Role.admin)):
        raise NotAllowed()


def _checked(session, kind: RuleKind, unit_id, year, name) -> tuple[Unit | None, int | None, str]:
    problems = []
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit_id is not None and unit is None:
        problems.append(Problem("unit_id", "所选单位不存在"))
    year, year_problem = _year(year)
    problems += year_problem
    name = clean(name)
    files = kind.files()
    if name not in files:
        message = f"请选择{kind.noun}" if not name else f"{kind.noun}「{name[:64]}」不存在"
        problems.append(Problem(kind.field, message))
    if unit_id is None and year is None and not year_problem:
        default = files.get(kind.default, kind.default)
        message = f"请选择单位或年度（都不选时，所有项目按默认的「{default}」{kind.without}）"
        problems.append(Problem("unit_id", message))
    if not problems and _exists(session, kind, unit, year):
        problems.append(_duplicate(kind, unit, year))
    if problems:
        raise InvalidInput(problems)
    return unit, year, name


def _year(raw: int | str | None) -> tuple[int | None, list[Problem]]:
    text = raw if isinstance(raw, int) else clean(raw)
    if text == "":
        return None, []
    if isinstance(text, str) and not (text.isascii() and text.isdigit() and len(text) <= 4):
        text = -1
    if not MIN_YEAR <= int(text) <= MAX_YEAR:
        return None, [Problem("year", f"「年度」应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份")]
    return int(text), []


def _exists(session: Session, kind: RuleKind, unit: Unit | None, year: int | None) -> bool:
    model = kind.model
    query = select(model.id).where(
        model.unit_id.is_(None) if unit is None else model.unit_id == unit.id,
        model.year.is_(None) if year is None else model.year == year,
    )
    return session.scalar(query) is not None


def _duplicate(kind: RuleKind, unit: Unit | None, year: int | None) -> Problem:
    scope = (
        f"「{unit.name}」{year}年度" if unit and year
        else f"「{unit.name}」（所有年度）" if unit
        else f"{year}年度（所有单位）"
    )  # fmt: skip
    return Problem("unit_id", f"{scope}已有{kind.rule}；如需更改，请先删除原规则")
