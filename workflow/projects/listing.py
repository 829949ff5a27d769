"""The project list people search every day: a name search, filters by unit, year, state and
项目类型, sorting by 金额, 更新时间 or 年度, and pages — always inside what the user may see (a
filter narrows, never widens). One query gives a page and the total at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from workflow.declaration.models import PROJECT_TYPES, Declaration
from workflow.lifecycle.operations import todo_projects
from workflow.lifecycle.spec import LifecycleSpec
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.text import clean

PAGE_SIZE = 50
MAX_PAGE = 1_000_000  # an address asking for more is read as the last page
MAX_QUERY = 100  # characters of a name search
EXPORT_LIMIT = 10_000  # rows of one XLSX export
#: sort key -> column; a leading "-" sorts descending.
SORTS = {"updated": Project.updated_at, "amount": Project.amount, "year": Project.year,
         "waiting": Project.state_entered_at}  # fmt: skip
DEFAULT_SORT = "-updated"


@dataclass(frozen=True)
class ProjectFilter:
    """What the list shows, as the address says it (/projects?q=消防&unit=3&year=2027…)."""

    q: str = ""
    unit_id: int | None = None
    year: int | None = None
    state: str = ""
    project_type: str = ""
    sort: str = DEFAULT_SORT
    mine: bool = False  # only what waits for the user (待我办理)

    @classmethod
    def from_args(cls, args, spec: LifecycleSpec) -> ProjectFilter:
        """Read the address; whatever cannot be read is left out, never an error."""
        sort = args.get("sort", "")
        mine = args.get("todo") == "1"
        return cls(
            q=clean(args.get("q", ""))[:MAX_QUERY],
            unit_id=_small_int(args.get("unit")),
            year=_small_int(args.get("year")),
            state=args.get("state", "") if args.get("state", "") in spec.states else "",
            project_type=args.get("type", "") if args.get("type", "") in PROJECT_TYPES else "",
            sort=sort if sort.lstrip("-") in SORTS else ("waiting" if mine else DEFAULT_SORT),
            mine=mine,
        )

    def args(self, **changes) -> dict[str, str | int]:
        """The address of this filter (with `changes`), for links that keep it."""
        f = replace(self, **changes)
        values = {"q": f.q, "unit": f.unit_id, "year": f.year, "state": f.state,
                  "type": f.project_type, "todo": 1 if f.mine else None,
                  "sort": f.sort if f.sort != DEFAULT_SORT else None}  # fmt: skip
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def narrowed(self) -> bool:
        """Whether a search or filter leaves projects out."""
        return bool(self.q or self.unit_id or self.year or self.state or self.project_type)

    def sorted_by(self, key: str) -> str:
        """The sort a column heading switches to: its own, reversed if it is the current one."""
        return key if self.sort == f"-{key}" else f"-{key}"


def _small_int(raw) -> int | None:
    raw = str(raw or "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def filtered(
    user: User, spec: LifecycleSpec, f: ProjectFilter, today: dt.date
) -> Select[tuple[Project]]:
    """The projects the filter keeps among those the user may see, in the filter's order."""
    query = todo_projects(user, spec, today) if f.mine else access.visible_projects(user, spec)
    if f.q:
        query = query.where(Project.name.contains(f.q, autoescape=True))
    if f.unit_id is not None:
        query = query.where(Project.unit_id == f.unit_id)
    if f.year is not None:
        query = query.where(Project.year == f.year)
    if f.state:
        query = query.where(Project.state == f.state)
    if f.project_type:
        kind = select(Declaration.project_id).where(Declaration.project_type == f.project_type)
        query = query.where(Project.id.in_(kind))
    column = SORTS[f.sort.lstrip("-")]
    order = column.desc() if f.sort.startswith("-") else column.asc()
    tie = Project.id.desc() if f.sort.startswith("-") else Project.id.asc()
    return query.order_by(order, tie)


@dataclass(frozen=True)
class ProjectPage:
    projects: list[Project]
    total: int
    page: int
    pages: int


def page_of(session: Session, query: Select[tuple[Project]], page: int) -> ProjectPage:
    """One page and the total in one statement (a window count), not a count and a page that
    each scan what the filter keeps; a page past the end shows the last one."""
    page = min(max(page, 1), MAX_PAGE)
    rows = _rows(session, query, page)
    if not rows and page > 1:  # past the end: the total says where the end is
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        page = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        rows = _rows(session, query, page)
    total = rows[0][1] if rows else 0
    return ProjectPage([p for p, _ in rows], total, page,
                       max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1))  # fmt: skip


def _rows(session: Session, query: Select[tuple[Project]], page: int):
    counted = query.add_columns(func.count().over())
    return session.execute(counted.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()


def for_export(session: Session, query: Select[tuple[Project]]) -> tuple[list[Project], bool]:
    """Everything the filter keeps, up to EXPORT_LIMIT rows; True when there was more."""
    rows = list(session.scalars(query.limit(EXPORT_LIMIT + 1)))
    return rows[:EXPORT_LIMIT], len(rows) > EXPORT_LIMIT


def years(session: Session, user: User, spec: LifecycleSpec) -> list[int]:
    """The years the user's projects have, newest first (the year filter's choices)."""
    visible = access.visible_projects(user, spec).with_only_columns(Project.year).distinct()
    return sorted(session.scalars(visible.order_by(None)), reverse=True)
