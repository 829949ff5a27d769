"""工作台: what a user has to do now (待我办理), what falls due (即将到期 / 已逾期) and what they
handled lately (我经办的), gathered from every area in a fixed number of queries however many
projects, milestones or events there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import case, false, func, select
from sqlalchemy.orm import Session

from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.lifecycle import guards, items
from workflow.lifecycle.operations import (
    Action,
    delegated_todo_projects,
    todo_count,
    todo_projects,
    todo_states,
    work_for,
)
from workflow.lifecycle.spec import LifecycleSpec
from workflow.milestones.models import Milestone
from workflow.notify.reminders import EVALUATION_PENDING, evaluation_deadline_of, open_milestones
from workflow.org import access
from workflow.org.delegation import running_involving
from workflow.org.models import UNIT_ROLES, Delegation, Role, User
from workflow.projects.models import Project
from workflow.workdays import workdays_between

LIMIT = 50  # rows listed per block; the counts are exact
HANDLED = 20  # projects listed under 我经办的
HANDLED_SCAN = 500  # the user's latest events looked at to find them


@dataclass(frozen=True)
class TodoItem:
    """A project waiting for this user: the actions they may take (each enabled, or blocked
    with its reasons), since when it waits, who submitted it, and the step that brought it here
    (a return's comment, shown in full)."""

    project: Project
    actions: list[Action]
    since: dt.date
    waited: int  # working days
    submitter: str
    arrival: AuditEvent | None
    limit: int | None = None  # the state's 时限 in working days (states.yaml `sla`)

    @property
    def late(self) -> bool:
        """It has waited longer than its state's 时限: shown as overdue to all who hold it."""
        return self.limit is not None and self.waited > self.limit


@dataclass(frozen=True)
class DueItem:
    """A milestone, 质保金 release or self-evaluation deadline of a project in the user's scope."""

    project: Project
    title: str
    deadline: dt.date
    days_left: int  # below 0: overdue by that many days
    milestone_id: int | None  # None: the self-evaluation deadline


@dataclass(frozen=True)
class Holding:
    """Who holds a project now: the user themselves, other roles, nobody for now (实施中 during
    its year) or nobody any more; and since when (in working days)."""

    holders: list[str]  # role labels of whom it waits for
    yours: bool  # it waits for this user (it is under their 待我办理)
    ended: bool  # the lifecycle is over (已归档, 不予支持)
    since: dt.date
    waited: int  # working days since


@dataclass(frozen=True)
class HandledItem:
    """A project the user acted on lately: their last step, and who holds it now."""

    project: Project
    last_label: str
    last_at: dt.datetime
    holding: Holding


@dataclass(frozen=True)
class DelegatedWork:
    """委托: the 待我办理 of a colleague the user stands in for, beyond their own."""

    delegation: Delegation
    todos: list[TodoItem]
    count: int


@dataclass(frozen=True)
class ItemsWaiting:
    """What else waits for the user beside projects: the items of one kind (监控表) at a step
    that is theirs, counted, and the LIMIT waiting longest."""

    kind: items.Kind
    items: list
    count: int


@dataclass(frozen=True)
class Workbench:
    todos: list[TodoItem]
    todo_count: int
    overdue: list[DueItem]
    overdue_count: int
    upcoming: list[DueItem]
    upcoming_count: int
    handled: list[HandledItem]
    delegated: list[DelegatedWork] = field(default_factory=list)  # work they stand in for
    delegating: list[Delegation] = field(default_factory=list)  # their own work, handed over
    waiting_items: list[ItemsWaiting] = field(default_factory=list)  # 监控表 and the like

    @property
    def badge(self) -> int:
        """The 待我办理 count on the navigation: projects and the other items together."""
        return self.todo_count + sum(w.count for w in self.waiting_items)


def workbench(session: Session, user: User, spec: LifecycleSpec, *, now: dt.datetime) -> Workbench:
    today = now.astimezone(CHINA).date()
    projects = _waiting_longest(session, user, spec, today)
    overdue, overdue_count, upcoming, upcoming_count = _due(session, user, spec, today)
    standing_in, handed_over = running_involving(session, user, today)
    return Workbench(
        delegated=[_delegated(session, user, spec, d, now, today) for d in standing_in],
        delegating=handed_over,
        todos=_todos(session, user, spec, list(projects), now, today),
        todo_count=todo_count(session, user, spec, today),
        overdue=overdue,
        overdue_count=overdue_count,
        upcoming=upcoming,
        upcoming_count=upcoming_count,
        handled=_handled(session, user, spec, today),
        waiting_items=_waiting_items(session, user, spec),
    )


def _waiting_items(session: Session, user: User, spec: LifecycleSpec) -> list[ItemsWaiting]:
    """Of each kind of item the lifecycle file has a workflow for, those waiting for the user:
    one count, and the list only when there are some."""
    found = []
    for kind in items.KINDS.values():
        if kind.workflow not in spec.workflows:
            continue
        query = items.todo(user, kind, spec)
        count = session.scalar(query.with_only_columns(func.count()).order_by(None))
        if count:
            model = kind.model
            rows = list(session.scalars(query.order_by(model.updated_at, model.id).limit(LIMIT)))
            found.append(ItemsWaiting(kind, rows, count))
    return found


def _delegated(session, user, spec, d: Delegation, now, today) -> DelegatedWork:
    """What waits for the delegator that the user may do in their name: counted, and the
    LIMIT waiting longest listed with their actions (「批复通过（代 李四）」)."""
    principal = d.delegator
    query = delegated_todo_projects(user, principal, spec, today)
    count = session.scalar(query.with_only_columns(func.count()).order_by(None))
    projects = list(session.scalars(
        query.order_by(Project.state_entered_at, Project.id).limit(LIMIT)
    )) if count else []  # fmt: skip
    return DelegatedWork(d, _todos(session, user, spec, projects, now, today, principal), count)


def _todos(session, user, spec, projects, now, today, principal=None) -> list[TodoItem]:
    if principal is None:
        work = {p.id: work_for(user, p, spec, today) for p in projects}
    else:  # 委托: the delegator's work that the user may do in their name
        work = {p.id: [t for t in work_for(principal, p, spec, today)
                       if access.may_fire_for(user, principal, p, t, spec)]
                for p in projects}  # fmt: skip
    wanted: dict[str, dict[int, Project]] = {}
    for p in projects:
        for t in work[p.id]:
            for name in t.guards:
                wanted.setdefault(name, {})[p.id] = p
    preloaded = guards.preload(session, {k: list(v.values()) for k, v in wanted.items()})
    arrivals = _arrivals(session, [p.id for p in projects])
    names = _names(session, {p.submitted_by_id for p in projects})
    items = []
    for p in projects:
        actions = [
            Action(t.trigger, t.label, t.dest, t.comment_required,
                   guards.run_guards(p, guards.GuardContext(session, user, t, now, preloaded,
                                                            principal)))
            for t in work[p.id]
        ]  # fmt: skip
        if principal is not None:
            actions = [
                Action(a.trigger, a.label, a.dest, a.comment_required, a.problems,
                       principal.id, principal.display_name)
                for a in actions
            ]  # fmt: skip
        since = _waiting_since(p, work[p.id])
        items.append(TodoItem(p, actions, since, workdays_between(since, today),
                              names.get(p.submitted_by_id, ""), arrivals.get(p.id),
                              spec.states[p.state].sla_days))  # fmt: skip
    return items


def _arrivals(session: Session, ids: list[int]) -> dict[int, AuditEvent]:
    """Each project's last state change: who brought it here, when, and with what comment."""
    if not ids:
        return {}
    latest = (
        select(func.max(AuditEvent.seq))
        .where(AuditEvent.project_id.in_(ids), AuditEvent.to_state.is_not(None))
        .group_by(AuditEvent.project_id)
    )
    events = session.scalars(select(AuditEvent).where(AuditEvent.seq.in_(latest)))
    return {e.project_id: e for e in events}


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(rows.tuples().all())


def _scope(user: User, spec: LifecycleSpec):
    """Whose deadlines the user is shown: their unit's, or a reviewer's visible projects'.
    An administrator acts on no project and is shown none."""
    if not (user.roles & (UNIT_ROLES | {Role.reviewer})):
        return false()
    # The visibility rule itself, not `id IN (visible ids)`: the planner then reads the
    # milestones and projects in range on their indexes instead of listing every visible id.
    return access.visible_projects(user, spec).whereclause


def _waiting_longest(session, user, spec, today) -> list[Project]:
    """The LIMIT projects waiting longest for the user: the oldest of each state on the
    (state, state_entered_at) index, merged. One walk in state_entered_at order over all of
    them skipped the rows of every other state first (81,515 of them for a province's
    reviewer, whose work is in the two rarest states)."""
    query = todo_projects(user, spec, today).order_by(Project.state_entered_at, Project.id)
    found = [
        p for state in todo_states(user, spec)
        for p in session.scalars(query.where(Project.state == state).limit(LIMIT))
    ]  # fmt: skip
    return sorted(found, key=lambda p: (p.state_entered_at, p.id))[:LIMIT]


def _due(session, user, spec, today) -> tuple[list[DueItem], int, list[DueItem], int]:
    horizon = today + dt.timedelta(days=spec.reminders.upcoming_days)
    scope = _scope(user, spec)
    # The stored deadline: a due counted from another milestone (质保金: 终验 + 3 年) is there
    # once that one happened, so releases are found on the same index as every other due.
    dated = open_milestones(spec).where(scope, Milestone.deadline <= horizon)
    counts = session.execute(
        dated.with_only_columns(
            func.count(),
            func.coalesce(func.sum(case((Milestone.deadline < today, 1), else_=0)), 0),
        ).order_by(None)
    ).one()
    late_count, soon_count = counts[1], counts[0] - counts[1]
    order = (Milestone.deadline, Milestone.id)
    rows = [  # the most overdue, and the soonest due: each list is capped on its own
        *session.execute(dated.where(Milestone.deadline < today).order_by(*order).limit(LIMIT)),
        *session.execute(dated.where(Milestone.deadline >= today).order_by(*order).limit(LIMIT)),
    ]
    items = [
        DueItem(p, f"{m.kind_label}：{m.title}", m.deadline, (m.deadline - today).days, m.id)
        for m, p in rows
    ]
    # Self-evaluations still to be handed in: the deadline follows from the project's year
    # (early next year), so they are counted by year and only the first of each list loaded —
    # a reviewer's province has thousands.
    policy = spec.reminders
    pending = (scope, Project.state.in_(EVALUATION_PENDING))
    by_year = session.execute(
        select(Project.year, func.count()).where(*pending).group_by(Project.year)
    ).all()
    due_years = {y: evaluation_deadline_of(y, policy) for y, _ in by_year}
    late_years = [y for y, d in due_years.items() if d < today]
    soon_years = [y for y, d in due_years.items() if today <= d <= horizon]
    for years in (late_years, soon_years):
        if not years:
            continue
        projects = session.scalars(
            select(Project).where(*pending, Project.year.in_(years))
            .order_by(Project.year, Project.id).limit(LIMIT)
        )  # fmt: skip
        for p in projects:
            deadline = due_years[p.year]
            items.append(DueItem(p, "提交绩效自评", deadline, (deadline - today).days, None))
    counts_by_year = dict(by_year)
    late_count += sum(counts_by_year[y] for y in late_years)
    soon_count += sum(counts_by_year[y] for y in soon_years)
    overdue = sorted((i for i in items if i.days_left < 0), key=lambda i: i.days_left)
    upcoming = sorted((i for i in items if i.days_left >= 0), key=lambda i: i.days_left)
    return overdue[:LIMIT], late_count, upcoming[:LIMIT], soon_count


def _handled(session, user, spec, today) -> list[HandledItem]:
    recent = session.execute(
        select(AuditEvent.project_id, AuditEvent.label, AuditEvent.at)
        .where(AuditEvent.actor_id == user.id, AuditEvent.project_id.is_not(None))
        .order_by(AuditEvent.seq.desc())
        .limit(HANDLED_SCAN)
    ).all()
    last: dict[int, tuple[str, dt.datetime]] = {}
    for project_id, label, at in recent:
        if project_id not in last and len(last) < HANDLED:
            last[project_id] = (label, at)
    projects = session.scalars(select(Project).where(Project.id.in_(list(last))))
    by_id = {p.id: p for p in projects if access.can_view(user, p, spec)}
    return [
        _handled_item(spec, user, p, *last[p.id], today)
        for project_id in last
        if (p := by_id.get(project_id)) is not None
    ]


def _handled_item(spec, user, project, label, at, today) -> HandledItem:
    return HandledItem(project, label, at, holding(spec, user, project, today))


def holding(
    spec: LifecycleSpec, user: User, project: Project, today: dt.date, *, done: bool = False
) -> Holding:
    """Who holds the project now and since when. During its year an implementing project
    waits for nobody: 开始自评 is work only once the year is over. `done`: the user has done
    their part already (approved in a 会签 still waiting for others)."""
    waiting = [t for t in spec.todo_transitions(project.state)
               if t.todo == "always" or today.year > project.year]  # fmt: skip
    roles = {r for t in waiting for r in t.roles}
    holders = [name for role, name in spec.roles.items() if role in roles]
    since = _waiting_since(project, waiting)
    return Holding(
        holders,
        not done and bool(work_for(user, project, spec, today)),
        spec.has_ended(project.state),
        since,
        workdays_between(since, today),
    )


def _waiting_since(project: Project, transitions) -> dt.date:
    """Since when the project has waited: its arrival in its state, or, when only 开始自评 is
    left, 1 January after its year."""
    since = _local(project.state_entered_at)
    if transitions and all(t.todo == "after_project_year" for t in transitions):
        since = max(since, dt.date(project.year + 1, 1, 1))
    return since


def _local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(CHINA).date()
