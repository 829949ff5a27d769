"""The project list people search every day: a name search, filters by unit, year, state and
项目类型, sorting by 金额, 更新时间 or 年度, and pages — always inside what the user may see (a
filter narrows, never widens). One query gives a page and the total at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import Select, func, literal, select, tuple_
from sqlalchemy.orm import Session

from workflow.declaration.models import PROJECT_TYPES, Declaration
from workflow.evaluation.models import SelfEvaluation
from workflow.evaluation.operations import signed_states
from workflow.lifecycle.operations import todo_projects
from workflow.lifecycle.spec import LifecycleSpec
from workflow.org import access
from workflow.org.models import Role, User
from workflow.projects.models import Project
from workflow.text import clean

PAGE_SIZE = 50
MAX_PAGE = 1_000_000  # an address asking for more is not found (404)
MAX_QUERY = 100  # characters of a name search
GRADE_MAX = 16
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
    grade: str = ""  # 自评等级 as the unit signed it (the dashboard's grade links)

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
            grade=clean(args.get("grade", ""))[:GRADE_MAX],
        )

    def args(self, **changes) -> dict[str, str | int]:
        """The address of this filter (with `changes`), for links that keep it."""
        f = replace(self, **changes)
        values = {"q": f.q, "unit": f.unit_id, "year": f.year, "state": f.state,
                  "type": f.project_type, "todo": 1 if f.mine else None,
                  "sort": f.sort if f.sort != DEFAULT_SORT else None,
                  "grade": f.grade}  # fmt: skip
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def narrowed(self) -> bool:
        """Whether a search or filter leaves projects out."""
        return bool(self.q or self.unit_id or self.year or self.state or self.project_type
                    or self.grade)  # fmt: skip

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
    if f.grade:
        graded = select(SelfEvaluation.project_id).where(SelfEvaluation.grade == f.grade)
        query = query.where(Project.id.in_(graded), Project.state.in_(signed_states(spec)))
    column = SORTS[f.sort.lstrip("-")]
    order = column.desc() if f.sort.startswith("-") else column.asc()
    tie = Project.id.desc() if f.sort.startswith("-") else Project.id.asc()
    return query.order_by(order, tie)


@dataclass(frozen=True)
class ProjectPage:
    """One page of the list. `total` is exact up to COUNT_CAP (`capped` beyond it: the list
    says 「1000 个以上」 rather than count every visible project on each view); `pages` is None
    when capped. `after` and `before` are the keyset cursors of the next and previous pages
    (None where there is none)."""

    projects: list[Project]
    total: int
    capped: bool
    page: int
    pages: int | None
    after: str | None
    before: str | None


#: Counted exactly up to here; a province's reviewer sees 100,000 projects, and counting them
#: all on every page view was most of the list's time.
COUNT_CAP = 1000


def page_of(
    session: Session, query: Select[tuple[Project]], f: ProjectFilter, page: int,
    *, after: str = "", before: str = "",
) -> ProjectPage:  # fmt: skip
    """One page of `query` (ordered as `f.sort` says) and its capped count. A page is found
    by its keyset cursor (`after` the last row of the page before it, or `before` the first row
    of the page after it) when the address carries one, so a deep page costs what page 1 costs;
    a bare page number skips rows (bookmarks, typed addresses); past the end is the last page."""
    page = min(max(page, 1), MAX_PAGE)
    column, descending = _sort(f)
    total, capped = _count(session, query)
    if cursor := _read_cursor(after or before, column):
        forward = bool(after)
        rows = _keyset_rows(session, query, column, descending, cursor, forward)
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE] if forward else list(reversed(rows[:PAGE_SIZE]))
        if rows:
            has_next = more if forward else True
            has_prev = True if forward else more
            return _page(rows, total, capped, page, column, has_next, has_prev)
        page = 1  # a cursor past the end (the rows moved on): start again
    last = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if not capped:
        page = min(page, last)
    offset = (page - 1) * PAGE_SIZE
    rows = list(session.scalars(query.limit(PAGE_SIZE + 1).offset(offset)))
    if not rows and page > 1:  # past the end of more than COUNT_CAP rows: count them this once
        total_all = session.scalar(
            select(func.count()).select_from(query.order_by(None).subquery())
        )
        page = max((total_all + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        rows = list(session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    has_next = len(rows) > PAGE_SIZE
    return _page(rows[:PAGE_SIZE], total, capped, page, column, has_next, page > 1)


def _page(rows, total, capped, page, column, has_next, has_prev) -> ProjectPage:
    pages = None if capped else max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return ProjectPage(
        rows, total, capped, page, pages,
        after=_cursor(rows[-1], column) if rows and has_next else None,
        before=_cursor(rows[0], column) if rows and has_prev and page > 2 else None,
    )  # fmt: skip


def _sort(f: ProjectFilter):
    return SORTS[f.sort.lstrip("-")], f.sort.startswith("-")


def _count(session: Session, query: Select[tuple[Project]]) -> tuple[int, bool]:
    """The number of rows the query keeps, counted up to COUNT_CAP + 1."""
    first = query.order_by(None).with_only_columns(Project.id).limit(COUNT_CAP + 1)
    n = session.scalar(select(func.count()).select_from(first.subquery()))
    return min(n, COUNT_CAP), n > COUNT_CAP


def _keyset_rows(session, query, column, descending, cursor, forward) -> list[Project]:
    """PAGE_SIZE + 1 rows after (forward) or before the cursor, in the list's order (forward)
    or the reverse (backward, to be reversed by the caller)."""
    value, id_ = cursor
    key, mark = tuple_(column, Project.id), tuple_(literal(value, column.type), literal(id_))
    later = key < mark if descending else key > mark  # later in the list's order
    if forward:
        page = query.where(later)
    else:
        earlier = key > mark if descending else key < mark
        reverse = (column.asc(), Project.id.asc()) if descending else (
            column.desc(), Project.id.desc())  # fmt: skip
        page = query.where(earlier).order_by(None).order_by(*reverse)
    return list(session.scalars(page.limit(PAGE_SIZE + 1)))


def cursor(project: Project, f: ProjectFilter) -> str:
    """The keyset cursor of `project` in the list `f` orders: `after=` it is the next page."""
    return _cursor(project, _sort(f)[0])


def _cursor(project: Project, column) -> str:
    value = getattr(project, column.key)
    text = value.isoformat() if isinstance(value, dt.datetime) else str(value)
    return f"{text}_{project.id}"


def _read_cursor(raw: str, column):
    """(value, id) of a cursor this list wrote; anything else is None (the page by number)."""
    text, _, id_ = (raw or "")[:80].rpartition("_")
    if not (id_.isascii() and id_.isdigit() and len(id_) <= 9 and text):
        return None
    try:
        if column.key in ("updated_at", "state_entered_at"):
            value = dt.datetime.fromisoformat(text)
            if value.tzinfo is None:
                return None
        elif column.key == "amount":
            value = Decimal(text)
            if not value.is_finite() or abs(value) >= 10**12:
                return None
        else:
            value = int(text) if text.isascii() and text.lstrip("-").isdigit() else None
            if value is None or abs(value) > 9999:
                return None
    except (ValueError, ArithmeticError):
        return None
    return value, int(id_)


def for_export(session: Session, query: Select[tuple[Project]]) -> tuple[list[Project], bool]:
    """Everything the filter keeps, up to EXPORT_LIMIT rows; True when there was more."""
    rows = list(session.scalars(query.limit(EXPORT_LIMIT + 1)))
    return rows[:EXPORT_LIMIT], len(rows) > EXPORT_LIMIT


def years(session: Session, user: User, spec: LifecycleSpec) -> list[int]:
    """The years the year filter offers, newest first: those of the user's unit's projects;
    for finance, who sees nearly every project of the province, every year
    from the first project's to the last (two index lookups, not a scan of 100,000 rows)."""
    if Role.reviewer in user.roles:
        first, last = session.execute(select(func.min(Project.year), func.max(Project.year))).one()
        return list(range(last, first - 1, -1)) if first is not None else []
    visible = access.visible_projects(user, spec).with_only_columns(Project.year).distinct()
    return sorted(session.scalars(visible.order_by(None)), reverse=True)
