"""时限 and escalation (issue 16): a state in states.yaml may give projects a time limit in
working days (`sla: {days: 5}`) and name who is told when one waits longer (`escalate_to:`,
the recipient names of `notify:`). The daily reminder run tells them once per stay in the state;
the 工作台 shows such a step as overdue to everyone who holds it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from workflow.clock import CHINA
from workflow.lifecycle.hooks import RECIPIENTS
from workflow.lifecycle.spec import LifecycleSpec
from workflow.notify.delivery import deliver, project_link
from workflow.notify.models import StepEscalation
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.workdays import workdays_between

#: At most this many escalations a run (a first run on old data catches up over a few days).
BATCH = 500


def waited(project: Project, today: dt.date) -> int:
    """Working days the project has waited in its state (as the 工作台 counts them)."""
    return workdays_between(project.state_entered_at.astimezone(CHINA).date(), today)


def over_limit(spec: LifecycleSpec, project: Project, today: dt.date) -> int | None:
    """The state's 时限 when the project has waited longer than it, else None."""
    limit = spec.states[project.state].sla_days if project.state in spec.states else None
    return limit if limit is not None and waited(project, today) > limit else None


def escalate(
    session: Session, spec: LifecycleSpec, *, today: dt.date, now: dt.datetime, base_url: str
) -> int:
    """Tell the `escalate_to` people of every project that waited past its state's 时限 and
    was not told of this stay yet; returns how many projects. The caller commits."""
    limited = {name: s for name, s in spec.states.items() if s.sla_days and s.escalate_to}
    if not limited:
        return 0
    # Calendar days are never fewer than working days: a superset, read on (state, entered).
    candidates = or_(*(
        and_(Project.state == name,
             Project.state_entered_at < dt.datetime.combine(
                 today - dt.timedelta(days=s.sla_days), dt.time(), tzinfo=CHINA))
        for name, s in limited.items()
    ))  # fmt: skip
    told_before = (
        select(StepEscalation.id)
        .where(StepEscalation.project_id == Project.id,
               StepEscalation.round_at == Project.state_entered_at)
        .exists()
    )  # fmt: skip
    projects = session.scalars(
        select(Project).where(candidates, ~told_before)
        .order_by(Project.state_entered_at, Project.id).limit(BATCH)
    ).all()  # fmt: skip
    count = 0
    for project in projects:
        limit = over_limit(spec, project, today)
        if limit is None:
            continue  # a holiday made it shorter in working days
        state = limited[project.state]
        people = _people(session, spec, project, state.escalate_to)
        for user in people:
            _tell(session, spec, user, project, limit, today, now, base_url)
        session.add(StepEscalation(project_id=project.id, state=project.state,
                                   round_at=project.state_entered_at, sent_at=now,
                                   told=len(people)))  # fmt: skip
        count += 1
    session.flush()
    return count


def _people(session: Session, spec: LifecycleSpec, project: Project, names) -> list[User]:
    """The people the names mean for this project, who may open it (as `notify:` does)."""
    ctx = SimpleNamespace(
        project=project, moved=project, last_actor_id=project.last_transition_by_id
    )
    named = or_(*(RECIPIENTS[name](ctx) for name in names))
    users = session.scalars(
        select(User).where(User.is_active.is_(True), named).order_by(User.id)
    ).all()  # fmt: skip
    return [u for u in users if access.can_view(u, project, spec)]


def _tell(session, spec, user, project, limit, today, now, base_url) -> None:
    days = waited(project, today)
    state = spec.state_label(project.state)
    holders = "、".join(spec.roles[r] for r in spec.holders(project.state))
    title = f"「{project.name}」在「{state}」已等待 {days} 个工作日，超过时限（{limit} 个工作日）"
    body = (
        f"{user.display_name}，您好：\n\n"
        f"项目：{project.name}（{project.year} 年度，{project.unit.name}）\n"
        f"当前状态：{state}，自 {project.state_entered_at.astimezone(CHINA):%Y年%m月%d日} 起"
        f"在{holders or '相关人员'}处等待办理，已 {days} 个工作日，"
        f"超过流程规定的 {limit} 个工作日。\n"
        f"请督促办理。查看项目：\n{project_link(base_url, project)}"
    )
    deliver(session, user, kind="reminder", project=project, title=title, body=body, now=now,
            topic=f"escalation:{project.id}")  # fmt: skip
