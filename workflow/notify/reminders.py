"""Plan and create due reminders: milestones (质保金 releases after the archive included) and the
self-evaluation deadline. Each reminder is a row with a unique key, created with its in-app
notifications and outbox emails in one transaction, so a run repeated, a day caught up, or two
schedulers at once, remind once.

Reminders stop when they ask nothing of anyone: once a project's lifecycle has ended (归档,
不予支持) only an outstanding 质保金 release is still reminded, until it is recorded. An overdue
item is reminded weekly for a month, then monthly, not weekly for years.

At a province's scale (500,000 milestones) the run reads only what can be reminded on the days
it runs: from the policy and the calendar, `reminded_deadlines` gives the ranges of deadlines
that can give a reminder on those days, and the milestones are found on the index of their
stored deadline (`Milestone.deadline`: a relative due is stored once its anchor is recorded).
Reminders, messages and emails are written with multi-row INSERTs, so the statements of a run
do not grow with the items due."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from workflow import workdays
from workflow.bulk import insert_rows
from workflow.clock import CHINA
from workflow.holidays import loading as holidays
from workflow.lifecycle.spec import LifecycleSpec, ReminderPolicy
from workflow.milestones.models import KIND_LABELS, Milestone
from workflow.notify.delivery import DEFAULT_BASE_URL, EMAILS, Message, deliver_all, project_link
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


#: What a reminder asks of the unit, unless its target says otherwise.
ACTION = "请按期办理，完成后在系统中登记实际完成情况。"


@dataclass(frozen=True)
class Target:
    """Something with a deadline that a unit must be reminded of."""

    key: str  # milestone:12, evaluation:5
    project: Project
    milestone_id: int | None
    title: str
    deadline: dt.date
    known_since: dt.date  # no reminder is dated before this day
    #: Where the message leads, when not to the project (a round's 监控表 of the unit: the
    #: message then speaks of the unit's work, not of `project`, which only anchors the row)
    path: str | None = None
    action: str = ACTION  # what the unit is asked to do


#: What the other areas have units reminded of (workflow/monitoring/hooks.py: the 监控表 not
#: yet submitted): each gives, for the deadline ranges of a run, its targets (one query on an
#: index of the deadline), and the oldest deadline it still has open (the monthly overdue
#: reminders look back to it).
TargetSource = Callable[[Session, LifecycleSpec, list[tuple[dt.date, dt.date]]], list[Target]]
OldestSource = Callable[[LifecycleSpec], Select]
TARGET_SOURCES: list[tuple[TargetSource, OldestSource]] = []


def target_source(found: TargetSource, oldest: OldestSource) -> None:
    if (found, oldest) not in TARGET_SOURCES:
        TARGET_SOURCES.append((found, oldest))


def schedule(
    deadline: dt.date, policy: ReminderPolicy, until: dt.date, since: dt.date | None = None
) -> list[tuple[str, dt.date]]:
    """(kind, day) of every reminder for `deadline` sent by `until` (and from `since`: the
    months of an item overdue for years before it are not counted one by one), in the order
    they are sent.
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
    if since is not None and policy.overdue_then_every_months > 0:
        # Start in a month whose reminder was sent before `since` (a reminder is sent at most
        # HOLIDAY_REACH days after its day, and that day is within the month counted to).
        before = since - dt.timedelta(days=HOLIDAY_REACH + 31)
        behind = (before.year - deadline.year) * 12 + before.month - deadline.month
        every = policy.overdue_then_every_months
        months += max(behind - months, 0) // every * every
    while (overdue := deadline + relativedelta(months=months)) <= ahead:
        days.append(("overdue", overdue))
        months += policy.overdue_then_every_months
    days.append(("escalation", deadline + dt.timedelta(days=policy.escalate_after_days)))
    sent = {(kind, _sent_on(kind, day)) for kind, day in days if day <= ahead}
    since = since or dt.date.min
    sent = ((k, d) for k, d in sent if since <= d <= until)
    return sorted(sent, key=lambda kd: (kd[1], ORDER[kd[0]]))


def _sent_on(kind: str, day: dt.date) -> dt.date:
    return _sent_on_by_calendar(kind, day, workdays.generation())


@functools.lru_cache(maxsize=1 << 16)  # a run asks for the same few days again and again
def _sent_on_by_calendar(kind: str, day: dt.date, _calendar: int) -> dt.date:
    return on_or_before_workday(day) if kind in ("before", "due") else on_or_after_workday(day)


def open_milestones(spec: LifecycleSpec) -> Select[tuple[Milestone, Project]]:
    """Milestones that still ask something of their unit: confirmed, not recorded, and — once
    the project's lifecycle has ended — only what outlives it: a 质保金 release, and the
    milestone its due is counted from (an unrecorded 终验 would keep the release undated)."""
    release = aliased(Milestone)
    undated_release = (
        select(release.id)
        .where(release.anchor_id == Milestone.id, release.kind.in_(OUTLIVE_THE_ARCHIVE),
               release.actual_date.is_(None))
        .exists()
    )  # fmt: skip  # on ix_milestones_anchor_id, for the few rows the other terms leave
    return (
        select(Milestone, Project)
        .join(Project, Project.id == Milestone.project_id)
        .where(
            Project.milestones_confirmed_at.is_not(None),
            Milestone.actual_date.is_(None),
            or_(Project.state.not_in(spec.ended_states()),
                Milestone.kind.in_(OUTLIVE_THE_ARCHIVE), undated_release),
        )
    )  # fmt: skip


def evaluation_deadline(project: Project, policy: ReminderPolicy) -> dt.date:
    """The self-evaluation is due early in the year after the project's year (3月31日)."""
    return evaluation_deadline_of(project.year, policy)


def evaluation_deadline_of(year: int, policy: ReminderPolicy) -> dt.date:
    """The self-evaluation deadline of the projects of `year`."""
    return dt.date(year + 1, policy.evaluation_deadline_month, policy.evaluation_deadline_day)


def reminded_deadlines(
    policy: ReminderPolicy, since: dt.date, until: dt.date, earliest: dt.date | None
) -> list[tuple[dt.date, dt.date]]:
    """The ranges of deadlines (merged, in order) that can give a reminder sent on a day from
    `since` to `until`; none before `earliest`, the oldest open deadline. A few days more than
    those that do (`schedule` decides), never one less: a reminder asking for action is sent on
    the working day on or before its day, so its day lies between the first working day from
    `since` and the day before the first working day after `until`; one reporting a miss is
    sent on the working day on or after its day, so its day lies after the last working day
    before `since` and by the last working day by `until`."""
    day = dt.timedelta(days=1)
    asks_from = on_or_after_workday(since)
    asks_until = min(on_or_after_workday(until + day) - day, until + dt.timedelta(HOLIDAY_REACH))
    reports_from = on_or_before_workday(since - day) + day
    reports_until = on_or_before_workday(until)
    ranges = []
    if asks_from <= asks_until:
        for n in (*policy.before_days, *((0,) if policy.on_due else ())):
            ranges.append((asks_from + dt.timedelta(n), asks_until + dt.timedelta(n)))
    if reports_from <= reports_until:
        ranges += _reports(policy, reports_from, reports_until, earliest)
    return _merged(ranges)


def _reports(policy: ReminderPolicy, first: dt.date, last: dt.date, earliest: dt.date | None):
    """Deadlines whose overdue or escalation day falls from `first` to `last`."""
    step, weeks = policy.overdue_every_days, policy.overdue_weekly_for_months
    escalation = dt.timedelta(policy.escalate_after_days)
    ranges = [(first - escalation, last - escalation)]
    # weekly while within the first months after the deadline: at most 31 days a month
    ranges += [(first - dt.timedelta(step * k), last - dt.timedelta(step * k))
               for k in range(1, 31 * weeks // step + 1)]  # fmt: skip
    every, months = policy.overdue_then_every_months, weeks + policy.overdue_then_every_months
    # then monthly, back to the oldest open deadline; + 3 days: the 29th–31st of a month
    # land on the last day of a shorter one
    while every > 0 and earliest is not None:
        low, high = first - relativedelta(months=months), last - relativedelta(months=months)
        if high + dt.timedelta(3) < earliest:
            break
        ranges.append((low, high + dt.timedelta(3)))
        months += every
    return ranges


def _merged(ranges: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    merged: list[tuple[dt.date, dt.date]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + dt.timedelta(1):
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


def targets(
    session: Session, spec: LifecycleSpec, ranges: list[tuple[dt.date, dt.date]]
) -> list[Target]:
    """Open milestones, and self-evaluations still to be handed in, whose deadline is in one of
    `ranges`: one query each, on the deadline's index."""
    if not ranges:
        return []
    query = open_milestones(spec).with_only_columns(
        Milestone.id, Milestone.kind, Milestone.title, Milestone.deadline, Project
    )
    query = query.where(or_(*(Milestone.deadline.between(low, high) for low, high in ranges)))
    found = [
        Target(f"milestone:{milestone_id}", project, milestone_id,
               f"{KIND_LABELS.get(kind, kind)}：{title}", deadline,
               project.milestones_confirmed_at.astimezone(CHINA).date())
        for milestone_id, kind, title, deadline, project in session.execute(
            query.order_by(Project.id, Milestone.position))
    ]  # fmt: skip
    policy = spec.reminders
    years = sorted(
        year - 1
        for year in range(ranges[0][0].year, ranges[-1][1].year + 1)
        if any(low <= _evaluation_day(policy, year) <= high for low, high in ranges)
    )
    if years:
        pending = select(Project).where(Project.state.in_(EVALUATION_PENDING),
                                        Project.year.in_(years))  # fmt: skip
        for project in session.scalars(pending.order_by(Project.id)):
            deadline = evaluation_deadline(project, policy)
            found.append(Target(f"evaluation:{project.id}", project, None, "提交绩效自评",
                                deadline, dt.date.min))  # fmt: skip
    for source, _ in TARGET_SOURCES:
        found += source(session, spec, ranges)
    return found


def _evaluation_day(policy: ReminderPolicy, year: int) -> dt.date:
    return dt.date(year, policy.evaluation_deadline_month, policy.evaluation_deadline_day)


def create_due_reminders(
    session: Session, spec: LifecycleSpec, *, today: dt.date, now: dt.datetime, base_url: str
) -> int:
    """Create the reminders of the days since the last run through today (at most
    `lookback_days` back: a scheduler that was down catches up); returns how many were new.
    Reads only the items whose deadline falls due on those days; writes in batches. The
    caller commits."""
    policy = spec.reminders
    # The calendar as the admin left it, even if they changed it on a web node since the last
    # run: one look at each year's stamp, and the days of a year that changed.
    holidays.refresh(session, now=now)
    since, earliest = _run_from(session, spec, today)
    found = targets(session, spec, reminded_deadlines(policy, since, today, earliest))
    planned = []
    for n, target in enumerate(found):
        start = max(since, target.known_since)  # never a day before the deadline was known
        for kind, day in schedule(target.deadline, policy, today, start):
            planned.append((day, n, ORDER[kind], kind, target))
    # By day, then the items as listed, then ORDER: each item's reminders in the order they say
    # things, and the newest reminder the last row (where the next run starts).
    planned.sort(key=lambda p: p[:3])
    made = _insert(session, [(target, kind, day) for day, _, _, kind, target in planned], now)
    if made:
        recipients = _Recipients(session, {target.project.unit_id for target, *_ in made})
        template = EMAILS.get_template("reminder.txt")
        messages = [message for reminder in made
                    for message in _messages(reminder, recipients, template, base_url)]  # fmt: skip
        deliver_all(session, messages, now=now)
    return len(made)


def _run_from(
    session: Session, spec: LifecycleSpec, today: dt.date
) -> tuple[dt.date, dt.date | None]:
    """The first day to run: the day of the newest reminder (the last run covered every day up
    to it; its day again, for what was confirmed after it), at most `lookback_days` back; and
    the oldest deadline still open, where the monthly overdue reminders stop looking back."""
    newest = select(Reminder.remind_on).order_by(Reminder.id.desc()).limit(1).scalar_subquery()
    oldest_milestone = (
        select(func.min(Milestone.deadline)).where(Milestone.actual_date.is_(None))
    ).scalar_subquery()
    oldest_year = (
        select(func.min(Project.year)).where(Project.state.in_(EVALUATION_PENDING))
    ).scalar_subquery()
    others = [oldest(spec).scalar_subquery() for _, oldest in TARGET_SOURCES]
    last, oldest, year, *more = session.execute(
        select(newest, oldest_milestone, oldest_year, *others)
    ).one()  # fmt: skip
    policy = spec.reminders
    since = today - dt.timedelta(days=policy.lookback_days)
    if last is not None and last <= today:
        since = max(since, last)
    if year is not None:
        evaluation = _evaluation_day(policy, year + 1)
        oldest = evaluation if oldest is None else min(oldest, evaluation)
    for day in more:
        if day is not None:
            oldest = day if oldest is None else min(oldest, day)
    return since, oldest


def _key(target: Target, kind: str, day: dt.date) -> str:
    return f"{target.key}:{kind}:{day.isoformat()}"


def _insert(session: Session, planned: list[tuple[Target, str, dt.date]], now: dt.datetime):
    """Insert the reminders planned (one multi-row INSERT … ON CONFLICT DO NOTHING, paged by
    SQLAlchemy); (target, kind, day, id) of those that are new, in the order planned: those
    another run made already are left out (the unique key)."""
    if not planned:
        return []
    rows = [
        {"key": _key(target, kind, day), "project_id": target.project.id,
         "milestone_id": target.milestone_id, "kind": kind, "deadline": target.deadline,
         "remind_on": day, "created_at": now}
        for target, kind, day in planned
    ]  # fmt: skip
    table = Reminder.__table__
    # RETURNING, not rowcount: psycopg 3 reports -1 for an INSERT … ON CONFLICT.
    returned = insert_rows(session, table, rows, returning=(table.c.key, table.c.id),
                           skip_conflicts=True)  # fmt: skip
    ids = dict(tuple(row) for row in returned)
    return [
        (target, kind, day, ids[row["key"]])
        for (target, kind, day), row in zip(planned, rows, strict=True)
        if row["key"] in ids
    ]


class _Recipients:
    """The fillers (and, for escalations, the heads) of the units reminded, loaded at once."""

    def __init__(self, session: Session, unit_ids: set[int]) -> None:
        rows = session.execute(
            select(User, UserRole.role)
            .join(UserRole)
            .where(User.is_active.is_(True), User.unit_id.in_(sorted(unit_ids)))
            .order_by(User.id)
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


def _messages(reminder, recipients: _Recipients, template, base_url: str) -> list[Message]:
    target, kind, day, reminder_id = reminder
    project = target.project
    unit_id = project.unit_id
    late = (day - target.deadline).days
    # What the message says follows from the day it is sent (a due date on a Sunday is
    # announced on Friday as two days ahead), not from the kind it was planned as.
    said = kind if late > 0 else ("due" if late == 0 else "before")
    title = f"{HEADLINES[said].rstrip('：')}：{target.title}"
    title += f"，已逾期{late}天" if late > 0 else (f"，{-late}天后到期" if late < 0 else "")
    if target.path is not None:  # the unit's work, not the project's
        project, link = None, f"{(base_url or DEFAULT_BASE_URL).rstrip('/')}{target.path}"
    else:
        link = project_link(base_url, project)
    return [
        Message(user, "reminder", project, title, template.render(
            user=user, headline=HEADLINES[said], project=project, subject_line=target.title,
            deadline=target.deadline, kind=said, overdue_days=late, days_left=-late, link=link,
            action=target.action,
        ), topic=target.key, reminder_id=reminder_id)
        for user in recipients(unit_id, kind)
    ]  # fmt: skip
