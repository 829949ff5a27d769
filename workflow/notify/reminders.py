"""Plan and create due reminders: milestones (质保金 releases after the archive included) and the
self-evaluation deadline. Each reminder is a row with a unique key, created with its in-app
notifications and outbox emails in one transaction, so a run repeated, a day caught up, or two
schedulers at once, remind once.

Reminders stop when they ask nothing of anyone: once a project's lifecycle has ended (归档,
不予支持) only an outstanding 质保金 release is still reminded, until it is recorded. An overdue
item is reminded weekly for a month, then monthly, not weekly for years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, selectinload

from workflow.clock import CHINA
from workflow.lifecycle.spec import LifecycleSpec, ReminderPolicy
from workflow.milestones.models import Milestone
from workflow.notify.delivery import EMAILS, deliver, project_link
from workflow.notify.models import Reminder
from workflow.org.models import Role, User, UserRole
from workflow.projects.models import Project
from workflow.workdays import on_or_after_workday, on_or_before_workday

#: The most days a day off moves a reminder back (国庆 with its weekends: 8 or 9 days).
HOLIDAY_REACH = 14
#: Milestones still reminded after the lifecycle has ended: the money is still held.
OUTLIVE_THE_ARCHIVE = ("warranty_release",)
#: States in which the self-evaluation is still to be handed in.
EVALUATION_PENDING = ("implementing", "evaluating", "evaluation_unit_review")
#: The order of a day's reminders of one item: the last one made is the one 我的消息 shows.
ORDER = {"before": 0, "due": 1, "overdue": 2, "escalation": 3}
HEADLINES = {
    "before": "以下事项即将到期，请提前安排：",
    "due": "以下事项今日到期：",
    "overdue": "以下事项已逾期，尚未登记完成：",
    "escalation": "【提请单位负责人关注】以下事项逾期已久，尚未完成：",
}


@dataclass(frozen=True)
class Target:
    """Something with a deadline that a unit must be reminded of."""

    key: str  # milestone:12, evaluation:5
    project: Project
    milestone: Milestone | None
    title: str
    deadline: dt.date
    known_since: dt.date  # no reminder is dated before this day


def schedule(
    deadline: dt.date, policy: ReminderPolicy, until: dt.date
) -> list[tuple[str, dt.date]]:
    """(kind, day) of every reminder for `deadline` sent by `until`, in the order they are sent.
    A reminder that falls on a day off is sent on a working day: one that asks people to act
    before the deadline (before, due) on the working day before; one that says it was missed
    (overdue, escalation) on the working day after, never on or before the deadline itself.
    Overdue: every `overdue_every_days` for the first `overdue_weekly_for_months`, then every
    `overdue_then_every_months`."""
    # Far enough ahead that a day moved back over the longest holiday is not missed.
    ahead = until + dt.timedelta(days=HOLIDAY_REACH)
    days = [("before", deadline - dt.timedelta(days=n)) for n in policy.before_days]
    if policy.on_due:
        days.append(("due", deadline))
    often_until = min(ahead, deadline + relativedelta(months=policy.overdue_weekly_for_months))
    step = dt.timedelta(days=policy.overdue_every_days)
    overdue = deadline + step
    while overdue <= often_until:
        days.append(("overdue", overdue))
        overdue += step
    months = policy.overdue_weekly_for_months + policy.overdue_then_every_months
    while (overdue := deadline + relativedelta(months=months)) <= ahead:
        days.append(("overdue", overdue))
        months += policy.overdue_then_every_months
    days.append(("escalation", deadline + dt.timedelta(days=policy.escalate_after_days)))
    sent = {(kind, _sent_on(kind, day)) for kind, day in days if day <= ahead}
    return sorted(((k, d) for k, d in sent if d <= until), key=lambda kd: (kd[1], ORDER[kd[0]]))


def _sent_on(kind: str, day: dt.date) -> dt.date:
    return on_or_before_workday(day) if kind in ("before", "due") else on_or_after_workday(day)


def open_milestones(spec: LifecycleSpec) -> Select[tuple[Milestone, Project]]:
    """Milestones that still ask something of their unit: confirmed, not recorded, and — once
    the project's lifecycle has ended — only what outlives it: a 质保金 release, and the
    milestone its due is counted from (an unrecorded 终验 would keep the release undated)."""
    release = aliased(Milestone)
    anchors = select(release.anchor_id).where(
        release.kind.in_(OUTLIVE_THE_ARCHIVE), release.actual_date.is_(None),
        release.anchor_id.is_not(None),
    )  # fmt: skip
    return (
        select(Milestone, Project)
        .join(Project, Project.id == Milestone.project_id)
        .where(
            Project.milestones_confirmed_at.is_not(None),
            Milestone.actual_date.is_(None),
            or_(Project.state.not_in(spec.ended_states()),
                Milestone.kind.in_(OUTLIVE_THE_ARCHIVE), Milestone.id.in_(anchors)),
        )
    )  # fmt: skip


def evaluation_deadline(project: Project, policy: ReminderPolicy) -> dt.date:
    """The self-evaluation is due early in the year after the project's year (3月31日)."""
    return dt.date(
        project.year + 1, policy.evaluation_deadline_month, policy.evaluation_deadline_day
    )


def targets(session: Session, spec: LifecycleSpec) -> list[Target]:
    """Open milestones, and self-evaluations still to be handed in."""
    found = []
    query = open_milestones(spec).options(selectinload(Milestone.anchor))  # one query, not one each
    rows = session.execute(query.order_by(Project.id, Milestone.position))
    for milestone, project in rows:
        due = milestone.effective_due()
        if due is not None:
            title = f"{milestone.kind_label}：{milestone.title}"
            known = project.milestones_confirmed_at.astimezone(CHINA).date()
            found.append(Target(f"milestone:{milestone.id}", project, milestone, title, due, known))
    pending = select(Project).where(Project.state.in_(EVALUATION_PENDING)).order_by(Project.id)
    for project in session.scalars(pending):
        deadline = evaluation_deadline(project, spec.reminders)
        found.append(
            Target(f"evaluation:{project.id}", project, None, "提交绩效自评", deadline, dt.date.min)
        )
    return found


def create_due_reminders(
    session: Session, spec: LifecycleSpec, *, today: dt.date, now: dt.datetime, base_url: str
) -> int:
    """Create today's reminders, and those of the last `lookback_days` days a stopped scheduler
    missed; returns how many were new. The caller commits."""
    policy = spec.reminders
    since = today - dt.timedelta(days=policy.lookback_days)
    recipients = _Recipients(session)
    created = 0
    for target in targets(session, spec):
        # Never remind of a day before the deadline was known (milestones confirmed).
        start = max(since, target.known_since)
        for kind, day in schedule(target.deadline, policy, today):
            reminder_id = _insert(session, target, kind, day, now) if day >= start else None
            if reminder_id is not None:
                _announce(session, target, kind, day, reminder_id, recipients, now, base_url)
                created += 1
    return created


def _key(target: Target, kind: str, day: dt.date) -> str:
    return f"{target.key}:{kind}:{day.isoformat()}"


def _insert(session: Session, target: Target, kind: str, day: dt.date, now) -> int | None:
    """The new reminder's id, or None when another run already made it (the unique key)."""
    values = {
        "key": _key(target, kind, day),
        "project_id": target.project.id,
        "milestone_id": target.milestone.id if target.milestone else None,
        "kind": kind,
        "deadline": target.deadline,
        "remind_on": day,
        "created_at": now,
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Reminder).values(**values).on_conflict_do_nothing()
    # RETURNING, not rowcount: psycopg 3 reports -1 for an INSERT … ON CONFLICT.
    return session.execute(statement.returning(Reminder.id)).scalar()


class _Recipients:
    """The fillers (and, for escalations, the heads) of each unit, loaded once per run."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(User, UserRole.role)
            .join(UserRole)
            .where(User.is_active.is_(True), User.unit_id.is_not(None))
        )
        self.by_unit: dict[tuple[int, str], list[User]] = {}
        for user, role in rows:
            self.by_unit.setdefault((user.unit_id, role), []).append(user)

    def __call__(self, unit_id: int, kind: str) -> list[User]:
        users = list(self.by_unit.get((unit_id, Role.filler.value), []))
        if kind == "escalation":
            users += [
                u for u in self.by_unit.get((unit_id, Role.unit_head.value), []) if u not in users
            ]
        return users


def _announce(session, target: Target, kind, day, reminder_id, recipients, now, base_url) -> None:
    project = target.project
    late = (day - target.deadline).days
    # What the message says follows from the day it is sent (a due date on a Sunday is
    # announced on Friday as two days ahead), not from the kind it was planned as.
    said = kind if late > 0 else ("due" if late == 0 else "before")
    title = f"{HEADLINES[said].rstrip('：')}：{target.title}"
    title += f"，已逾期{late}天" if late > 0 else (f"，{-late}天后到期" if late < 0 else "")
    for user in recipients(project.unit_id, kind):
        body = EMAILS.get_template("reminder.txt").render(
            user=user, headline=HEADLINES[said], project=project, subject_line=target.title,
            deadline=target.deadline, kind=said, overdue_days=late, days_left=-late,
            link=project_link(base_url, project),
        )  # fmt: skip
        deliver(session, user, kind="reminder", project=project, title=title, body=body,
                now=now, topic=target.key, reminder_id=reminder_id)  # fmt: skip
